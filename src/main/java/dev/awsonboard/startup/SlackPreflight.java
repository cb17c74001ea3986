package dev.awsonboard.startup;

import com.slack.api.Slack;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.SlackApiTextResponse;
import dev.awsonboard.config.Config;
import dev.awsonboard.config.Secret;
import dev.awsonboard.slack.SlackApp;

import java.io.IOException;

/**
 * Asks Slack about each token before anything is built, so a refused token stops the start with
 * the variable's name. Without it Bolt's {@code App} makes the first {@code auth.test} itself and
 * says "The token is invalid" whether the token was refused or Slack could not be reached at all.
 */
public final class SlackPreflight {
    private SlackPreflight() {
    }

    /** @throws StartupException naming SLACK_BOT_TOKEN, SLACK_APP_TOKEN or SLACK_API_URL */
    public static void check(Config config) {
        try (Slack slack = SlackApp.slack(config.slackApiUrl())) {
            check(slack, config);
        } catch (StartupException e) {
            throw e;
        } catch (Exception e) {
            // Closing the HTTP client failed; the checks themselves passed.
        }
    }

    static void check(Slack slack, Config config) {
        String url = config.slackApiUrl();
        SlackApiTextResponse auth = ask(url, "auth.test", () -> slack.methods(config.slackBotToken().reveal()).authTest(r -> r));
        if (!auth.isOk()) {
            throw new StartupException("SLACK_BOT_TOKEN was refused by Slack (" + auth.getError() + "): copy the Bot User"
                    + " OAuth Token (xoxb-...) again from OAuth & Permissions; reinstall the app if it was removed.");
        }
        if (config.slackAppToken().isPresent()) {
            Secret appToken = config.slackAppToken().get();
            // The URL it returns is a one-time ticket that lapses unused; Socket Mode asks for its own.
            SlackApiTextResponse open = ask(url, "apps.connections.open",
                    () -> slack.methods(appToken.reveal()).appsConnectionsOpen(r -> r));
            if (!open.isOk()) {
                throw new StartupException("SLACK_APP_TOKEN was refused by Slack (apps.connections.open: " + open.getError()
                        + "): generate an app-level token with scope connections:write under Basic Information >"
                        + " App-Level Tokens, and enable Socket Mode (manifest.yml: settings.socket_mode_enabled: true).");
            }
        }
    }

    private interface Call {
        SlackApiTextResponse call() throws IOException, SlackApiException;
    }

    private static SlackApiTextResponse ask(String url, String method, Call call) {
        try {
            return call.call();
        } catch (SlackApiException e) {
            // An HTTP error rather than Slack's {"ok":false}: a wrong SLACK_API_URL (404) or Slack itself failing.
            throw new StartupException("Slack at " + url + " answered " + method + " with HTTP " + e.getResponse().code()
                    + ": check SLACK_API_URL (default https://slack.com/api/).", e);
        } catch (IOException e) {
            // DNS, refused connections, TLS, timeouts.
            throw new StartupException("could not reach Slack at " + url + " (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + "): check SLACK_API_URL and this host's"
                    + " network, DNS and proxy.", e);
        }
    }
}
