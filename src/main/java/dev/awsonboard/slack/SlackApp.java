package dev.awsonboard.slack;

import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.bolt.App;
import com.slack.api.bolt.AppConfig;
import com.slack.api.bolt.middleware.builtin.RequestVerification;
import com.slack.api.bolt.response.Response;
import com.slack.api.model.event.AppHomeOpenedEvent;
import com.slack.api.model.event.MessageChangedEvent;
import com.slack.api.model.event.MessageDeletedEvent;
import com.slack.api.model.event.MessageEvent;
import com.slack.api.model.event.UserChangeEvent;
import dev.awsonboard.slack.render.Ids;

import java.util.concurrent.Executor;

/**
 * Composition of the Bolt {@link App}: one listener per Slack surface, each thin and
 * handing the work to a use case.
 */
public final class SlackApp {
    private SlackApp() {
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

    /** Bolt's app with {@link SigningSecretVerifier} in place of Bolt's own signature check, at the same place in the chain. */
    static final class VerifyingApp extends App {
        VerifyingApp(AppConfig config) {
            super(config);
        }

        @Override
        protected java.util.List<com.slack.api.bolt.middleware.Middleware> buildDefaultMiddlewareList(AppConfig config) {
            java.util.List<com.slack.api.bolt.middleware.Middleware> list = new java.util.ArrayList<>(super.buildDefaultMiddlewareList(config));
            list.replaceAll(m -> m instanceof RequestVerification
                    ? new RequestVerification(new SigningSecretVerifier(config.getSigningSecret())) : m);
            if (list.stream().noneMatch(m -> m instanceof RequestVerification)) {
                throw new IllegalStateException("Bolt built no request verification to replace");
            }
            return list;
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

    public static App build(Slack slack, String botToken, String signingSecret, Listeners listeners, EventLog events,
                            java.time.Clock clock) {
        AppConfig appConfig = AppConfig.builder()
                .slack(slack)
                .singleTeamBotToken(botToken)
                .signingSecret(signingSecret)
                .build();
        App app = new VerifyingApp(appConfig);
        // Slack re-delivers an event it got no ack for: handle each event id once, including one
        // whose first delivery died with the bot before it was handled.
        app.use((req, resp, chain) -> {
            if (req.getRequestType() != com.slack.api.bolt.request.RequestType.Event) {
                return chain.next(req);
            }
            String eventId = eventId(req.getRequestBodyAsString());
            if (eventId == null) {
                return chain.next(req);
            }
            if (!events.start(eventId, clock.instant())) {
                return Response.ok(); // handled already, or being handled right now
            }
            Response response = chain.next(req);
            events.handled(eventId);
            return response;
        });
        app.command(Ids.COMMAND, listeners.command::handle);
        app.viewSubmission(Ids.REQUEST_MODAL, listeners.requestModal::handle);
        app.blockAction(Ids.APPROVE, listeners.decisions::approve);
        app.blockAction(Ids.DENY, listeners.decisions::deny);
        app.blockAction(Ids.ENTER_CODES, listeners.codes::openModal);
        app.viewSubmission(Ids.CODES_MODAL, listeners.codes::submitModal);
        app.blockAction(Ids.SHOW_PASSWORD, listeners.password::show);
        app.blockAction(Ids.FIRST_PASSWORD, listeners.password::showFirst);
        app.blockAction(Ids.CANCEL, listeners.decisions::cancel);
        app.event(MessageEvent.class, listeners.codes::directMessage);
        app.event(AppHomeOpenedEvent.class, listeners.home::opened);
        app.blockAction(Ids.HOME_RESET_MFA, listeners.home::resetMfa);
        app.blockAction(Ids.HOME_RESET_PASSWORD, listeners.home::resetPassword);
        app.blockAction(Ids.HOME_LANGUAGE, listeners.home::language);
        app.event(UserChangeEvent.class, listeners.departures::userChanged);
        // Edits and deletions in the DM are not codes; ack them so Slack does not retry.
        app.event(MessageChangedEvent.class, (p, ctx) -> ctx.ack());
        app.event(MessageDeletedEvent.class, (p, ctx) -> ctx.ack());
        return app;
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    /** The event_id of an Events API body; null when there is none (or the body is not JSON). */
    static String eventId(String body) {
        try {
            String id = JSON.readTree(body).path("event_id").asText(null);
            return id == null || id.isBlank() || id.length() > 64 ? null : id;
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }

    /** The listeners, built in the composition root with their use cases. */
    public record Listeners(CommandListener command, RequestModalListener requestModal, DecisionListener decisions,
                            CodesListener codes, PasswordListener password, HomeListener home,
                            DepartureListener departures) {
    }

    /** Runs work after the ack, so Slack hears back within its 3 seconds. */
    public interface AfterAck extends Executor {
    }
}
