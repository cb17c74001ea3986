package dev.awsonboard.lifecycle;

import dev.awsonboard.lifecycle.model.Holding;
import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.lifecycle.model.Step;
import dev.awsonboard.lifecycle.model.Tags;
import dev.awsonboard.lifecycle.port.IamException;
import dev.awsonboard.lifecycle.port.IamGateway;
import dev.awsonboard.lifecycle.port.RequestStore;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;

/**
 * Removes from IAM what a request left behind when it ends without success: the IAM user an
 * onboarding created (with everything attached, however it got there), an MFA device nobody can
 * use. "Already gone" counts as done, so each can run again after a crash; the outbox owes it until
 * it is done ({@link Effects}), and the person's side (the QR, the buttons) is owed there too. An
 * IAM user that was never this request's (no ARN recorded and no user carrying its request-id tag)
 * is not touched.
 */
final class Cleanup {
    private static final Logger log = LoggerFactory.getLogger(Cleanup.class);

    private final IamGateway iam;
    private final RequestStore store;
    private final AuditLog audit;
    private final Clock clock;
    private final IamRetry retry;
    private final UserRemoval removal;
    private final CrashProbe probe;
    private final Ownership ownership;

    Cleanup(IamGateway iam, RequestStore store, Clock clock, IamRetry retry, CrashProbe probe, Ownership ownership) {
        this.ownership = ownership;
        this.iam = iam;
        this.store = store;
        this.audit = new AuditLog(store, clock);
        this.clock = clock;
        this.retry = retry;
        this.removal = new UserRemoval(iam, retry);
        this.probe = probe;
    }

    private IamCalls calls(Request r) {
        return new IamCalls(r.id(), AuditLog.BOT, audit, retry, probe);
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
            // A user of that name with another UserId was made after ours went (by hand): not ours either.
            if (r.userArn() != null ? stillOurs(r, calls) : madeUnrecorded(r, calls)) {
                for (Holding.Type type : Holding.Type.values()) {
                    removal.removeAll(calls, r.iamUserName(), type, h -> { });
                }
                removal.deleteUser(calls, r.iamUserName(), h -> { });
                ownership.gone(r).ifPresent(ownership::apply);
            }
        } catch (IamException e) {
            log.warn("request {}: could not remove IAM user {}: {}", r.id(), r.iamUserName(), e.getMessage());
            clean = false;
        }
        r = deleteOwnDevice(r);
        return clean ? r : markLeftovers(r);
    }

    /**
     * Whether IAM's user of that name is still the one this request recorded (by UserId, when it recorded
     * one). Not {@link Ownership#stillTheUserOf}: an undo can follow CreateUser at once, while IAM may not
     * show the new user yet, so this read allows for that lag (and is audited, as the undo's calls are).
     */
    private boolean stillOurs(Request r, IamCalls calls) {
        if (r.iamUserId() == null) {
            return true; // recorded before UserIds were: the name is all there is
        }
        return calls.findExisting("iam:GetUser", "user=" + r.iamUserName(), () -> iam.findUser(r.iamUserName()))
                .filter(u -> r.iamUserId().equals(u.userId())).isPresent();
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

    private Request markLeftovers(Request r) {
        Request current = store.find(r.id()).orElse(r);
        return store.replace(current, current.withLeftovers(clock.instant())).orElse(current);
    }
}
