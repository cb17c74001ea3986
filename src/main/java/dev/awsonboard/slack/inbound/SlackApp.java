package dev.awsonboard.slack.inbound;

import com.slack.api.Slack;
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
        app.blockAction(Ids.END_GRANT, listeners.decisions::endGrant);
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
