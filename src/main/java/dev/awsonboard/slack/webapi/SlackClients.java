package dev.awsonboard.slack.webapi;

import com.slack.api.Slack;
import com.slack.api.SlackConfig;

/** The bot's Slack Web API clients, configured alike wherever one is made (the bot, its start-up checks, doctor). */
public final class SlackClients {
    private SlackClients() {
    }

    /** The Slack client configuration; {@code apiUrl} points it at slack.com or a fake. */
    public static Slack slack(String apiUrl) {
        SlackConfig config = new SlackConfig();
        config.setMethodsEndpointUrlPrefix(apiUrl);
        // Request and response bodies carry passwords (views.update) and QR upload URLs. The SDK's
        // default listeners log them at DEBUG; with no listeners there is no logging path for a
        // body at all, whatever level an operator sets.
        config.setPrettyResponseLoggingEnabled(false);
        config.setHttpClientResponseHandlers(new java.util.ArrayList<>());
        config.setLibraryMaintainerMode(false);
        config.setFailOnUnknownProperties(false);
        // The SDK otherwise makes a hidden auth.test per token to label its metrics; we keep none.
        config.setStatsEnabled(false);
        return Slack.getInstance(config);
    }

    /** Closes a client a failed start leaves behind; its failure to close adds nothing to the start's own. */
    public static void closeQuietly(Slack slack) {
        try {
            slack.close();
        } catch (Exception e) {
            // the start fails with its own message
        }
    }

    /**
     * Loads what Slack's client needs before it can ask anything (its classes, which build an HTTP
     * client with the JVM's trust store, and Gson's view of {@code auth.test}'s answer), so that the
     * start's token check finds them ready. Opens no connection; anything going wrong only means no
     * head start.
     */
    public static void warmUp() {
        // configured as the real client is; the URL is never called
        try (Slack warmed = slack(new SlackConfig().getMethodsEndpointUrlPrefix())) {
            com.slack.api.util.json.GsonFactory.createSnakeCase(warmed.getConfig())
                    .fromJson("{\"ok\":true,\"user_id\":\"U0\"}", com.slack.api.methods.response.auth.AuthTestResponse.class);
        } catch (Exception | LinkageError e) {
            // no head start; the token check loads all of it itself
        }
    }

    /** The Web API client the bot's own calls go through (one token, one shared Gson). */
    public static com.slack.api.methods.MethodsClient methods(Slack slack, String token) {
        return new SharedGsonMethodsClient(slack, token);
    }
}
