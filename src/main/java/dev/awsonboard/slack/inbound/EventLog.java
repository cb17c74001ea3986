package dev.awsonboard.slack.inbound;

import java.time.Duration;
import java.time.Instant;

/**
 * The Slack event deliveries the bot took in, by event id. Slack re-delivers an event it got no
 * acknowledgement for (at once, after a minute, after five): a re-delivery of an event already
 * handled is dropped; one whose earlier delivery never got that far (the bot died) is handled once.
 */
public interface EventLog {

    /** How long a started delivery is thought to be still in someone's hands. */
    Duration IN_FLIGHT = Duration.ofMinutes(1);

    /**
     * True when this delivery is to be handled now: the event is new, or an earlier delivery of it
     * started more than {@link #IN_FLIGHT} ago and never finished. Marks it started.
     */
    boolean start(String eventId, Instant now);

    /** The event was handled (acknowledged): later deliveries of it are dropped. */
    void handled(String eventId);

    /** Forgets events older than {@code before} (Slack stops re-delivering after minutes). */
    int forgetBefore(Instant before);
}
