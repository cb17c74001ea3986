package dev.awsonboard.slack.inbound;

import com.slack.api.app_backend.events.payload.EventsApiPayload;
import com.slack.api.bolt.context.builtin.EventContext;
import com.slack.api.bolt.response.Response;
import com.slack.api.model.User;
import com.slack.api.model.event.UserChangeEvent;
import dev.awsonboard.lifecycle.Departures;
import dev.awsonboard.slack.language.Languages;
import dev.awsonboard.slack.language.SlackText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Executor;

/**
 * {@code user_change} (scope users:read): a person deactivated in Slack (the user object says
 * {@code deleted: true}) gets offboarding requests filed by the bot, for the approvers to decide.
 * Every other profile change is acknowledged and ignored. The work runs after the ack.
 */
public final class DepartureListener {
    private static final Logger log = LoggerFactory.getLogger(DepartureListener.class);
    private final Departures departures;
    private final Languages languages;
    private final Executor afterAck;

    DepartureListener(Departures departures, Languages languages, Executor afterAck) {
        this.departures = departures;
        this.languages = languages;
        this.afterAck = afterAck;
    }

    public Response userChanged(EventsApiPayload<UserChangeEvent> payload, EventContext ctx) {
        User u = payload.getEvent() == null ? null : payload.getEvent().getUser();
        if (u == null || u.getId() == null || !u.isDeleted() || u.isBot() || u.isAppUser()) {
            return ctx.ack();
        }
        String id = u.getId();
        String name = SlackText.clip(firstNonBlank(u.getRealName(), u.getName(), id), 80);
        // The approvers read the request's reason in the channel's language, as a requester would have typed it.
        String reason = languages.forChannel().plain("departure.reason", "name", name);
        afterAck.execute(() -> {
            try {
                departures.personLeft(id, reason);
            } catch (RuntimeException e) {
                // Slack does not send the event again once acked; the next change of that user would.
                log.warn("could not file offboardings for {}, who was deactivated: {}", id, e.getClass().getSimpleName());
            }
        });
        return ctx.ack();
    }

    private static String firstNonBlank(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return "";
    }
}
