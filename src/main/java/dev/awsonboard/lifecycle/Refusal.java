package dev.awsonboard.lifecycle;

import dev.awsonboard.lifecycle.model.Notice;
import dev.awsonboard.lifecycle.model.Reason;

/**
 * Thrown by a kind's rules when a request must not go on (at the acknowledgement: refused, nothing
 * stored; in the checks: rejected, approvers never asked), with the notice people read. No stack
 * trace: it is an answer, not a fault.
 */
final class Refusal extends RuntimeException {
    final Notice notice;

    Refusal(Notice notice) {
        super(notice.reason().name(), null, false, false);
        this.notice = notice;
    }

    static Refusal of(Reason reason, Object... namesAndValues) {
        return new Refusal(Notice.of(reason, namesAndValues));
    }
}
