package dev.awsonboard.slack.inbound;

import com.slack.api.app_backend.events.payload.EventsApiPayload;
import com.slack.api.bolt.context.builtin.EventContext;
import com.slack.api.bolt.response.Response;
import com.slack.api.model.User;
import com.slack.api.model.event.UserChangeEvent;
import dev.awsonboard.lifecycle.Departures;
import dev.awsonboard.slack.language.Languages;
import dev.awsonboard.slack.language.SlackText;


/**
 * {@code user_change} (scope users:read): a person deactivated in Slack (the user object says
 * {@code deleted: true}) gets offboarding requests filed by the bot, for the approvers to decide.
 * Every other profile change is acknowledged and ignored. The person's departure is recorded at the
 * ack; the offboardings are filed after it.
 */
public final class DepartureListener {
    private final Departures departures;
    private final Languages languages;

    DepartureListener(Departures departures, Languages languages) {
        this.departures = departures;
        this.languages = languages;
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
        // Recorded before the ack (one write to the store); filed after it, or by the sweep after a crash.
        // Slack sends the event no more once acked, so a store that cannot record it fails the ack instead.
        departures.left(id, reason);
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
