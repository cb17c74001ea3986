package dev.awsonboard.lifecycle.port;

import dev.awsonboard.lifecycle.model.Status;

import java.time.Instant;
import java.util.Optional;

/**
 * Which reminders went out about a request, kept on its stored row. Recording one is a
 * compare-and-set on the counters, so of two replicas sweeping at once exactly one records (and
 * then sends) each reminder, and a restart never sends it again.
 */
public interface ReminderLog {

    /** What was recorded for the request; empty when there is no such request. */
    Optional<Reminded> reminded(String requestId);

    /**
     * Records {@code next} if the request is still in {@code status} and its counters still equal
     * {@code expected}'s. False when another worker recorded first or the request moved on.
     */
    boolean record(String requestId, Status status, Reminded expected, Reminded next);

    /**
     * @param approval reminders sent to the approvers
     * @param setup    reminders sent to the person about their setup
     * @param at       when the last reminder of either kind was recorded; null before the first
     */
    record Reminded(int approval, int setup, Instant at) {
        public static final Reminded NONE = new Reminded(0, 0, null);

        public Reminded approvalSent(Instant now) {
            return new Reminded(approval + 1, setup, now);
        }

        public Reminded setupSent(int upTo, Instant now) {
            return new Reminded(approval, upTo, now);
        }
    }
}
