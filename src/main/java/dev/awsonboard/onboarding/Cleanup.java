package dev.awsonboard.onboarding;

import java.time.Clock;

/**
 * Removes what a request created, newest first: MFA device, login profile, group
 * memberships, the user, and the QR image in Slack. "Already gone" counts as done, so it
 * can run again after a crash. A user that was never ours (no ARN recorded) is not touched.
 */
final class Cleanup {
    private final IamGateway iam;
    private final Notifier notifier;
    private final RequestStore store;
    private final AuditLog audit;
    private final Clock clock;
    private final ProvisioningSettings settings;

    Cleanup(IamGateway iam, Notifier notifier, RequestStore store, AuditLog audit, Clock clock, ProvisioningSettings settings) {
        this.iam = iam;
        this.notifier = notifier;
        this.store = store;
        this.audit = audit;
        this.clock = clock;
        this.settings = settings;
    }

    /**
     * Undoes everything for a request that has already been moved to its final status (FAILED
     * or EXPIRED); returns the stored copy, whose reason says so if anything could not be removed.
     */
    Request removeAll(Request r) {
        boolean clean = undoIam(r);
        if (r.qrFileId() != null) {
            try {
                notifier.deleteFile(r.qrFileId());
                audit.record(r.id(), AuditLog.BOT, "slack:delete-qr", "file=" + r.qrFileId(), "ok");
                r = store.replace(r, r.withDelivery(r.dmChannel(), null, clock.instant())).orElse(r);
            } catch (NotifierException e) {
                audit.record(r.id(), AuditLog.BOT, "slack:delete-qr", "file=" + r.qrFileId(), e.code());
            }
        }
        if (!clean) {
            r = store.replace(r, r.withFailure(r.status(), r.failureReason()
                    + "; some IAM resources could not be removed, see the audit trail", clock.instant())).orElse(r);
        }
        return r;
    }

    /** True when everything this request created in IAM is gone. */
    private boolean undoIam(Request r) {
        if (r.userArn() == null) {
            return true; // we never created (or adopted) a user, so there is nothing of ours
        }
        String user = r.iamUserName();
        String serial = r.mfaSerial() != null ? r.mfaSerial() : settings.deviceSerialFor(r);
        boolean ok = true;
        if (r.step().isAtLeast(Step.MFA_ENABLED)) {
            ok &= attempt(r, "iam:DeactivateMFADevice", "user=" + user, () -> iam.deactivateMfaDevice(user, serial));
        }
        ok &= attempt(r, "iam:DeleteVirtualMFADevice", "serial=" + serial, () -> iam.deleteVirtualMfaDevice(serial));
        ok &= attempt(r, "iam:DeleteLoginProfile", "user=" + user, () -> iam.deleteLoginProfile(user));
        for (String g : settings.groupsFor(r)) {
            ok &= attempt(r, "iam:RemoveUserFromGroup", "user=" + user + " group=" + g, () -> iam.removeUserFromGroup(user, g));
        }
        ok &= attempt(r, "iam:DeleteUser", "user=" + user, () -> iam.deleteUser(user));
        return ok;
    }

    private boolean attempt(Request r, String action, String detail, Runnable call) {
        try {
            call.run();
            audit.record(r.id(), AuditLog.BOT, action, detail, "ok");
            return true;
        } catch (IamException e) {
            if (e.kind() == IamException.Kind.NO_SUCH_ENTITY) {
                return true;
            }
            audit.record(r.id(), AuditLog.BOT, action, detail, e.code());
            return false;
        }
    }
}
