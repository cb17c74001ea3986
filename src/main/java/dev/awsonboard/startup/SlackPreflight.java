package dev.awsonboard.startup;

import com.slack.api.Slack;
import com.slack.api.methods.response.auth.AuthTestResponse;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.SlackApiTextResponse;
import dev.awsonboard.config.Config;
import dev.awsonboard.config.Secret;
import dev.awsonboard.slack.webapi.SlackClients;

import java.io.IOException;

/**
 * Asks Slack about each token before anything is built, so a refused token stops the start with
 * the variable's name. Without it Bolt's {@code App} makes the first {@code auth.test} itself and
 * says "The token is invalid" whether the token was refused or Slack could not be reached at all.
 */
public final class SlackPreflight {
    private SlackPreflight() {
    }

    /**
     * What the check leaves for the start: the Slack client it used, whose connection to Slack is
     * open and warm, and what {@code auth.test} said of the bot: its own user id (null if Slack named
     * none) and its workspace (team, and enterprise on Enterprise Grid), so the start asks neither again.
     */
    public record Checked(Slack slack, String botUserId, String teamId, String enterpriseId) {
    }

    /** @throws StartupException naming SLACK_BOT_TOKEN, SLACK_APP_TOKEN or SLACK_API_URL */
    public static Checked check(Config config) {
        Slack slack = SlackClients.slack(config.slackApiUrl());
        try {
            AuthTestResponse auth = check(slack, config);
            return new Checked(slack, auth.getUserId(), auth.getTeamId(), auth.getEnterpriseId());
        } catch (RuntimeException | Error e) {
            SlackClients.closeQuietly(slack); // the start fails with the check's own message
            throw e;
        }
    }

    /** What auth.test said of the bot, once every token was accepted. */
    static AuthTestResponse check(Slack slack, Config config) {
        String url = config.slackApiUrl();
        AuthTestResponse auth = ask(url, "auth.test", () -> slack.methods(config.slackBotToken().reveal()).authTest(r -> r));
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
        return auth;
    }

    private interface Call<T extends SlackApiTextResponse> {
        T call() throws IOException, SlackApiException;
    }

    private static <T extends SlackApiTextResponse> T ask(String url, String method, Call<T> call) {
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
