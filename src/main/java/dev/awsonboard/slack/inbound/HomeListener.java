package dev.awsonboard.slack.inbound;

import com.slack.api.app_backend.events.payload.EventsApiPayload;
import com.slack.api.app_backend.interactive_components.payload.BlockActionPayload;
import com.slack.api.bolt.context.builtin.ActionContext;
import com.slack.api.bolt.context.builtin.EventContext;
import com.slack.api.bolt.request.builtin.BlockActionRequest;
import com.slack.api.bolt.response.Response;
import com.slack.api.model.event.AppHomeOpenedEvent;
import dev.awsonboard.lifecycle.model.Kind;
import dev.awsonboard.lifecycle.model.Outcome;
import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.lifecycle.SelfService;
import dev.awsonboard.slack.language.Languages;
import dev.awsonboard.slack.language.Texts;
import dev.awsonboard.slack.render.Home;
import dev.awsonboard.slack.webapi.HomePublisher;
import dev.awsonboard.slack.webapi.SlackNotifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * The App Home tab: drawn when opened; its own buttons (ask for an MFA reset or a new password for
 * oneself) and the language select. Its other buttons (Approve, Deny, Enter codes, Show password,
 * Cancel) carry the messages' action ids and go to their listeners. Acks make no remote call.
 */
public final class HomeListener {
    private static final Logger log = LoggerFactory.getLogger(HomeListener.class);
    /** Draws a person's Home now ({@link HomePublisher#now}). */
    private final Consumer<String> redraw;
    private final SelfService selfService;
    private final Languages languages;
    private final SlackNotifier slack;
    private final Executor afterAck;

    HomeListener(Consumer<String> redraw, SelfService selfService, Languages languages, SlackNotifier slack,
                        Executor afterAck) {
        this.redraw = redraw;
        this.selfService = selfService;
        this.languages = languages;
        this.slack = slack;
        this.afterAck = afterAck;
    }

    public Response opened(EventsApiPayload<AppHomeOpenedEvent> payload, EventContext ctx) {
        AppHomeOpenedEvent e = payload.getEvent();
        // The Messages tab sends this event too; only the Home tab has a view to draw.
        if (e != null && e.getUser() != null && "home".equals(e.getTab())) {
            redraw.accept(e.getUser());
        }
        return ctx.ack();
    }

    public Response resetMfa(BlockActionRequest req, ActionContext ctx) {
        return request(req, ctx, Kind.RESET_MFA);
    }

    public Response resetPassword(BlockActionRequest req, ActionContext ctx) {
        return request(req, ctx, Kind.RESET_PASSWORD);
    }

    /** Stored before the ack like a slash command; the checks and their answer (by DM) come after it. */
    private Response request(BlockActionRequest req, ActionContext ctx, Kind kind) {
        BlockActionPayload p = req.getPayload();
        String actor = p.getUser().getId();
        Outcome<Request> outcome = selfService.request(actor, kind, Interactions.actionValue(p));
        // A request submitted is logged once, by Intake; here only the refusals.
        if (!outcome.isDone()) {
            log.info("App Home request ({}) by {} refused: {}", kind, actor, outcome.notice().reason());
        }
        if (outcome.isDone()) {
            redraw.accept(actor);
        } else {
            Texts t = languages.forUser(actor);
            afterAck.execute(() -> Interactions.tellOnly(slack, p, actor, ":warning: " + t.notice(outcome.notice())));
        }
        return ctx.ack();
    }

    public Response language(BlockActionRequest req, ActionContext ctx) {
        BlockActionPayload p = req.getPayload();
        String actor = p.getUser().getId();
        String value = p.getActions() == null || p.getActions().isEmpty() || p.getActions().get(0).getSelectedOption() == null
                ? "" : p.getActions().get(0).getSelectedOption().getValue();
        Optional<Locale> choice = switch (value) {
            case Home.ENGLISH -> Optional.of(Locale.ENGLISH);
            case Home.JAPANESE -> Optional.of(Locale.JAPANESE);
            default -> Optional.empty(); // Slack's setting: the choice is forgotten
        };
        afterAck.execute(() -> {
            try {
                languages.choose(actor, choice);
            } catch (RuntimeException e) {
                log.warn("could not keep the language choice of {}: {}", actor, e.getClass().getSimpleName());
                Interactions.tellOnly(slack, p, actor, languages.forUser(actor).get("home.language.failed"));
                return;
            }
            redraw.accept(actor);
        });
        return ctx.ack();
    }
}
