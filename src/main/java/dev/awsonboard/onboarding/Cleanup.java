package dev.awsonboard.onboarding;

import java.util.Collection;

/**
 * Removes what a request created in IAM, newest first: MFA device, login profile, group
 * memberships, the user. "Already gone" counts as done, so it can run again after a crash.
 */
final class Cleanup {
    private final IamGateway iam;
    private final AuditLog audit;

    Cleanup(IamGateway iam, AuditLog audit) {
        this.iam = iam;
        this.audit = audit;
    }

    /** True when everything this request created is gone. */
    boolean undo(OnboardingRequest r, Collection<String> groups, String iamPath) {
        if (r.userArn() == null) {
            return true; // we never created (or adopted) a user, so there is nothing of ours
        }
        String user = r.iamUserName();
        String serial = r.mfaSerial() != null ? r.mfaSerial()
                : "arn:aws:iam::" + r.userArn().split(":")[4] + ":mfa" + iamPath + user;
        boolean ok = true;
        if (r.step().isAtLeast(Step.MFA_ENABLED)) {
            ok &= attempt(r, "iam:DeactivateMFADevice", "user=" + user, () -> iam.deactivateMfaDevice(user, serial));
        }
        ok &= attempt(r, "iam:DeleteVirtualMFADevice", "serial=" + serial, () -> iam.deleteVirtualMfaDevice(serial));
        ok &= attempt(r, "iam:DeleteLoginProfile", "user=" + user, () -> iam.deleteLoginProfile(user));
        for (String g : groups) {
            ok &= attempt(r, "iam:RemoveUserFromGroup", "user=" + user + " group=" + g, () -> iam.removeUserFromGroup(user, g));
        }
        ok &= attempt(r, "iam:DeleteUser", "user=" + user, () -> iam.deleteUser(user));
        return ok;
    }

    private boolean attempt(OnboardingRequest r, String action, String detail, Runnable call) {
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
