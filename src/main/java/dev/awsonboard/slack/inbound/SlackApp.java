package dev.awsonboard.slack.inbound;

import com.slack.api.Slack;
import com.slack.api.app_backend.events.payload.EventsApiPayload;
import com.slack.api.bolt.App;
import com.slack.api.bolt.AppConfig;
import com.slack.api.bolt.context.builtin.EventContext;
import com.slack.api.bolt.response.Response;
import com.slack.api.model.event.AppHomeOpenedEvent;
import com.slack.api.model.event.Event;
import com.slack.api.model.event.MessageChangedEvent;
import com.slack.api.model.event.MessageDeletedEvent;
import com.slack.api.model.event.MessageEvent;
import com.slack.api.model.event.UserChangeEvent;
import dev.awsonboard.lifecycle.UseCases;
import dev.awsonboard.lifecycle.port.RequestStore;
import dev.awsonboard.slack.language.Languages;
import dev.awsonboard.slack.render.Ids;
import dev.awsonboard.slack.webapi.SlackNotifier;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * The Bolt {@link App} as a route table: the rules every request goes through (Bolt's own, with
 * {@link SigningSecretVerifier} checking signatures, {@link OwnWorkspaceOnly} and {@link EachEventOnce}), then which listener answers
 * each Slack action. Each listener is thin and hands the work to a use case.
 */
public final class SlackApp {
    /** How long a codes submission may wait for IAM before Slack gets a "checking…" view (tests shorten it). */
    public static final Duration CODES_WAIT = Duration.ofSeconds(2);

    private SlackApp() {
    }

    /**
     * @param teamId       the bot's workspace, from auth.test; null: requests are not checked for it
     * @param enterpriseId its Enterprise Grid organisation, or null
     */
    public static App build(Slack slack, String botToken, String signingSecret, Listeners listeners, EventLog events,
                            Clock clock, String teamId, String enterpriseId, Languages languages) {
        App app = new VerifyingApp(AppConfig.builder().slack(slack).singleTeamBotToken(botToken).signingSecret(signingSecret).build());
        if (teamId != null) {
            app.use(new OwnWorkspaceOnly(new OwnWorkspaceOnly.Workspace(teamId, enterpriseId), languages));
        }
        app.use(new EachEventOnce(events, clock));

        // /aws-onboard and its form
        app.command(Ids.COMMAND, listeners.command::handle);
        app.viewSubmission(Ids.REQUEST_MODAL, listeners.requestModal::handle);
        // the approval message and the requester's
        app.blockAction(Ids.APPROVE, listeners.decisions::approve);
        app.blockAction(Ids.DENY, listeners.decisions::deny);
        app.blockAction(Ids.CANCEL, listeners.decisions::cancel);
        // the person's setup
        app.blockAction(Ids.ENTER_CODES, listeners.codes::openModal);
        app.viewSubmission(Ids.CODES_MODAL, listeners.codes::submitModal);
        app.event(MessageEvent.class, listeners.codes::directMessage);
        app.blockAction(Ids.SHOW_PASSWORD, listeners.password::show);
        app.blockAction(Ids.FIRST_PASSWORD, listeners.password::showFirst);
        // a grant the person or an approver ends early
        app.blockAction(Ids.END_GRANT, listeners.decisions::endGrant);
        // App Home
        app.event(AppHomeOpenedEvent.class, listeners.home::opened);
        app.blockAction(Ids.HOME_RESET_MFA, listeners.home::resetMfa);
        app.blockAction(Ids.HOME_RESET_PASSWORD, listeners.home::resetPassword);
        app.blockAction(Ids.HOME_LANGUAGE, listeners.home::language);
        // the account's IAM users (approvers)
        app.blockAction(Ids.USERS_LINK, listeners.users::link);
        app.blockAction(Ids.USERS_ENROL_MFA, listeners.users::enrolMfa);
        // people leaving
        app.event(UserChangeEvent.class, listeners.departures::userChanged);
        // Edits and deletions in the DM are not codes; acked so Slack does not send them again.
        app.event(MessageChangedEvent.class, SlackApp::ignored);
        app.event(MessageDeletedEvent.class, SlackApp::ignored);
        return app;
    }

    private static <E extends Event> Response ignored(EventsApiPayload<E> payload, EventContext ctx) {
        return ctx.ack();
    }

    /** One listener per Slack surface; the composition root gets them all from {@link #over}. */
    public record Listeners(CommandListener command, RequestModalListener requestModal, DecisionListener decisions,
                            CodesListener codes, PasswordListener password, HomeListener home,
                            DepartureListener departures, AccountUsersListener users) {

        /**
         * Every listener over the use cases.
         *
         * @param slack       answers after the acknowledgement, in each reader's language
         * @param drawHome    draws a person's App Home now
         * @param interactive runs what people wait on after the acknowledgement
         * @param background  runs what nobody waits on
         * @param codesWait   how long a codes submission waits for IAM before the modal says "checking…"
         */
        public static Listeners over(UseCases lifecycle, RequestStore store, SlackNotifier slack, Consumer<String> drawHome,
                                     Executor interactive, Executor background, Duration codesWait) {
            return new Listeners(
                    new CommandListener(lifecycle.intake(), lifecycle.decisions(), lifecycle.status(), slack.languages(), interactive,
                            lifecycle.accountUsers()),
                    new RequestModalListener(lifecycle.intake(), slack),
                    new DecisionListener(lifecycle.decisions(), slack, interactive),
                    new CodesListener(lifecycle.mfa(), slack, interactive, codesWait),
                    new PasswordListener(lifecycle.passwords(), store, slack, interactive),
                    new HomeListener(drawHome, lifecycle.selfService(), slack.languages(), slack, interactive),
                    new DepartureListener(lifecycle.departures(), slack.languages()),
                    new AccountUsersListener(lifecycle.accountUsers(), lifecycle.intake(), slack.languages(), slack, interactive));
        }
    }
}
