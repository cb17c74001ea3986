package dev.awsonboard.lifecycle;

import dev.awsonboard.lifecycle.model.Holding;
import dev.awsonboard.lifecycle.model.Notice;
import dev.awsonboard.lifecycle.model.Reason;
import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.lifecycle.model.Status;
import dev.awsonboard.lifecycle.model.Step;
import dev.awsonboard.lifecycle.model.Tags;
import dev.awsonboard.lifecycle.port.FileDeletions;
import dev.awsonboard.lifecycle.port.IamException;
import dev.awsonboard.lifecycle.port.IamGateway;
import dev.awsonboard.lifecycle.port.Notifier;
import dev.awsonboard.lifecycle.port.NotifierException;
import dev.awsonboard.lifecycle.port.RequestStore;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Optional;

/**
 * Removes what a request left behind when it ends without success, and closes the person's
 * side of it: the IAM user an onboarding created (with everything attached, however it got
 * there), an MFA device nobody can use, the QR image in Slack, the buttons in the DM. "Already
 * gone" counts as done, so each can run again after a crash. An IAM user that was never this
 * request's (no ARN recorded and no user carrying its request-id tag) is not touched.
 */
final class Cleanup {
    private static final Logger log = LoggerFactory.getLogger(Cleanup.class);

    private final IamGateway iam;
    private final Notifier notifier;
    private final RequestStore store;
    private final AuditLog audit;
    private final Tell tell;
    private final Clock clock;
    private final IamRetry retry;
    private final UserRemoval removal;
    private final FileDeletions deletions;

    Cleanup(IamGateway iam, Notifier notifier, RequestStore store, FileDeletions deletions, Clock clock, IamRetry retry) {
        this.deletions = deletions;
        this.iam = iam;
        this.notifier = notifier;
        this.store = store;
        this.audit = new AuditLog(store, clock);
        this.tell = new Tell(notifier, audit);
        this.clock = clock;
        this.retry = retry;
        this.removal = new UserRemoval(iam, retry);
    }

    private IamCalls calls(Request r) {
        return new IamCalls(r.id(), AuditLog.BOT, audit, retry, CrashProbe.NONE);
    }

    /**
     * An onboarding that failed or expired: its IAM user goes, with everything attached, and its
     * MFA device. Returns the stored copy, marked with leftovers if anything could not be removed.
     */
    Request removeUser(Request r) {
        IamCalls calls = calls(r);
        boolean clean = true;
        try {
            // No ARN and no user with our tag: we never created (or adopted) one, so nothing is ours.
            if (r.userArn() != null || madeUnrecorded(r, calls)) {
                for (Holding.Type type : Holding.Type.values()) {
                    removal.removeAll(calls, r.iamUserName(), type, h -> { });
                }
                removal.deleteUser(calls, r.iamUserName(), h -> { });
            }
        } catch (IamException e) {
            log.warn("request {}: could not remove IAM user {}: {}", r.id(), r.iamUserName(), e.getMessage());
            clean = false;
        }
        r = deleteOwnDevice(r);
        return clean ? r : markLeftovers(r);
    }

    /**
     * A CreateUser of this request was under way ({@link Step#USER_REQUESTED}) and no ARN came back:
     * its answer may have been lost after IAM made the user. A user of that name carrying this
     * request's tag is ours; any other is not.
     */
    private boolean madeUnrecorded(Request r, IamCalls calls) {
        return r.step() == Step.USER_REQUESTED
                && calls.findExisting("iam:GetUser", "user=" + r.iamUserName(), () -> iam.findUser(r.iamUserName()))
                .filter(u -> r.id().equals(u.tags().get(Tags.REQUEST_ID))).isPresent();
    }

    /** The virtual MFA device this request made, if nobody enabled it: useless to anyone. */
    Request deleteOwnDevice(Request r) {
        if (r.mfaSerial() == null || r.step() == Step.MFA_ENABLED) {
            return r;
        }
        try {
            calls(r).remove("iam:DeleteVirtualMFADevice", "serial=" + r.mfaSerial(), () -> iam.deleteVirtualMfaDevice(r.mfaSerial()));
            return r;
        } catch (IamException e) {
            log.warn("request {}: could not delete MFA device: {}", r.id(), e.code());
            return markLeftovers(r);
        }
    }

    /**
     * Deletes the QR image from Slack, if the request has one. The deletion is owed (recorded)
     * before it is tried and until Slack confirms it, so a refusal or a crash leaves it to the
     * sweep ({@link #retryOwedDeletions}); the request stops pointing at the file at once.
     */
    Request deleteQr(Request r) {
        if (r.qrFileId() == null) {
            return r;
        }
        String file = r.qrFileId();
        deletions.owe(file, r.id(), clock.instant());
        Request cleared = store.replace(r, r.withDelivery(r.dmChannel(), null, clock.instant())).orElse(r);
        tryDelete(file, r.id(), "");
        return cleared;
    }

    /**
     * A QR whose seed died with an earlier run: useless, but it must not stay in the DM. Owed like
     * any other; not a reason to stop the run if Slack refuses now.
     */
    void deleteStaleQr(Request r) {
        deletions.owe(r.qrFileId(), r.id(), clock.instant());
        tryDelete(r.qrFileId(), r.id(), " (stale)");
    }

    /** Tries every deletion still owed; returns how many Slack confirmed. */
    int retryOwedDeletions() {
        int settled = 0;
        for (FileDeletions.Owed owed : deletions.owed()) {
            if (tryDelete(owed.fileId(), owed.requestId(), " (retry " + (owed.attempts() + 1) + ")")) {
                settled++;
            }
        }
        return settled;
    }

    private boolean tryDelete(String fileId, String requestId, String note) {
        try {
            notifier.deleteFile(fileId);
            deletions.settled(fileId);
            audit.record(requestId, AuditLog.BOT, "slack:delete-qr", "file=" + fileId + note, "ok");
            return true;
        } catch (NotifierException e) {
            deletions.failed(fileId, e.code());
            audit.record(requestId, AuditLog.BOT, "slack:delete-qr", "file=" + fileId + note, e.code());
            log.warn("request {}: could not delete QR file {}: {} (it stays owed)", requestId, fileId, e.code());
            return false;
        }
    }

    /** A request that ended without success: QR gone, the person's buttons closed and the person told. */
    Request endSetup(Request r) {
        r = deleteQr(r);
        if (r.dmChannel() != null || r.setupMessage() != null) {
            tell.setupClosed(r);
        }
        return r;
    }

    /**
     * {@code by} now runs for the same IAM user: this setup, still waiting for the person, is
     * cancelled; its QR, its unused MFA device and its buttons go. IAM is otherwise left to {@code by}.
     */
    void supersede(Request open, Request by) {
        Optional<Request> cancelled = store.replace(open, open.withEnding(Status.CANCELLED,
                Notice.of(Reason.SUPERSEDED, "id", by.id(), "kind", by.kind()), clock.instant()));
        if (cancelled.isEmpty()) {
            return; // it moved on meanwhile (the person finished, or it expired): nothing to supersede
        }
        Request r = cancelled.get();
        audit.record(r.id(), AuditLog.BOT, "supersede", "by=" + by.id(), "ok");
        log.info("request {}: replaced by request {} ({})", r.id(), by.id(), by.kind());
        r = deleteOwnDevice(r);
        r = endSetup(r);
        tell.approvers(r);
    }

    private Request markLeftovers(Request r) {
        Request current = store.find(r.id()).orElse(r);
        return store.replace(current, current.withLeftovers(clock.instant())).orElse(current);
    }
}
