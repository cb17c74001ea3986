package dev.awsonboard.lifecycle;

import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.lifecycle.port.Notifier;
import dev.awsonboard.lifecycle.port.NotifierException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way to tell people about a request, or record that we could not: what Slack refuses is
 * written to the audit trail (the action and Slack's error code) and to the log, never dropped in
 * silence, and never stops the use case that was telling (the decision, the run, the expiry stand).
 */
final class Tell {
    private static final Logger log = LoggerFactory.getLogger(Tell.class);

    private final Notifier notifier;
    private final AuditLog audit;

    Tell(Notifier notifier, AuditLog audit) {
        this.notifier = notifier;
        this.audit = audit;
    }

    /** Runs {@code send}; if it fails, records {@code action} with the error code. True when it was sent. */
    boolean orRecord(Request r, String action, String detail, Runnable send) {
        try {
            send.run();
            return true;
        } catch (RuntimeException e) {
            String code = e instanceof NotifierException n ? n.code() : e.getClass().getSimpleName();
            audit.record(r.id(), AuditLog.BOT, action, detail, code);
            log.warn("request {}: {} failed: {}", r.id(), action, code);
            return false;
        }
    }

    /** The requester learns where the request stands. */
    void requester(Request r) {
        orRecord(r, "slack:notify-requester", "to=" + r.requesterUserId(), () -> notifier.notifyRequester(r));
    }

    /** Every approval message of the request is redrawn from its current state. */
    void approvers(Request r) {
        orRecord(r, "slack:update-approval", "", () -> notifier.refreshApprovalRequest(r));
    }

    /** The approvers' messages and the requester, after a decision, an expiry or a cancellation ({@code action} names which). */
    void approversAndRequester(Request r, String action) {
        orRecord(r, action, "", () -> {
            notifier.refreshApprovalRequest(r);
            notifier.notifyRequester(r);
        });
    }

    /** The person is told they are done (their buttons close), then the approvers and the requester. */
    void completed(Request r, boolean offerFirstPassword) {
        orRecord(r, "slack:notify-completion", "", () -> {
            notifier.setupCompleted(r, offerFirstPassword);
            notifier.refreshApprovalRequest(r);
            notifier.notifyRequester(r);
        });
    }

    /** The person's setup ended without success: its buttons close and they are told why. */
    void setupClosed(Request r) {
        orRecord(r, "slack:close-setup", "to=" + r.targetUserId(), () -> notifier.setupClosed(r));
    }
}
