package dev.awsonboard.lifecycle;

import dev.awsonboard.lifecycle.model.Holding;
import dev.awsonboard.lifecycle.port.IamException;
import dev.awsonboard.lifecycle.port.IamGateway;

import java.util.List;
import java.util.function.Consumer;

/**
 * Takes an IAM user apart in the order IAM demands (DeleteUser answers DeleteConflict while
 * anything is attached), then deletes it. Every removal is idempotent: what is already gone is
 * not an error and is not reported as removed, so a resumed run never removes a thing twice.
 */
final class UserRemoval {
    private final Inventory inventory;
    private final IamGateway iam;
    private final IamRetry retry;

    UserRemoval(IamGateway iam, IamRetry retry) {
        this.iam = iam;
        this.retry = retry;
        this.inventory = new Inventory(iam, retry);
    }

    /**
     * Removes every holding of {@code type} the user has now; {@code removed} is told of each one
     * this call removed (so it can be recorded before the next).
     */
    void removeAll(IamCalls calls, String user, Holding.Type type, Consumer<Holding> removed) {
        List<Holding> held;
        try {
            held = inventory.of(user, type);
        } catch (IamException e) {
            if (e.kind() == IamException.Kind.NO_SUCH_ENTITY) {
                return; // the user itself is gone: nothing of it is left to remove
            }
            throw e;
        }
        for (Holding h : held) {
            if (remove(calls, user, h)) {
                removed.accept(h);
            }
        }
    }

    /** Removes one holding; false when it was already gone. */
    boolean remove(IamCalls calls, String user, Holding h) {
        String who = "user=" + user;
        return switch (h.type()) {
            case LOGIN_PROFILE -> calls.remove("iam:DeleteLoginProfile", who, () -> iam.deleteLoginProfile(user));
            case ACCESS_KEY -> calls.remove("iam:DeleteAccessKey", who + " key=" + h.id(), () -> iam.deleteAccessKey(user, h.id()));
            case SIGNING_CERTIFICATE -> calls.remove("iam:DeleteSigningCertificate", who + " certificate=" + h.id(),
                    () -> iam.deleteSigningCertificate(user, h.id()));
            case SSH_KEY -> calls.remove("iam:DeleteSSHPublicKey", who + " key=" + h.id(), () -> iam.deleteSshPublicKey(user, h.id()));
            case SERVICE_CREDENTIAL -> calls.remove("iam:DeleteServiceSpecificCredential", who + " credential=" + h.id(),
                    () -> iam.deleteServiceSpecificCredential(user, h.id()));
            case VIRTUAL_MFA_DEVICE -> {
                boolean deactivated = calls.remove("iam:DeactivateMFADevice", who + " serial=" + h.id(),
                        () -> iam.deactivateMfaDevice(user, h.id()));
                boolean deleted = calls.remove("iam:DeleteVirtualMFADevice", "serial=" + h.id(), () -> iam.deleteVirtualMfaDevice(h.id()));
                yield deactivated || deleted;
            }
            // Hardware tokens and security keys cannot be deleted by API; deactivated, they stay the owner's.
            case OTHER_MFA_DEVICE -> calls.remove("iam:DeactivateMFADevice", who + " serial=" + h.id(),
                    () -> iam.deactivateMfaDevice(user, h.id()));
            case INLINE_POLICY -> calls.remove("iam:DeleteUserPolicy", who + " policy=" + h.id(), () -> iam.deleteUserPolicy(user, h.id()));
            case MANAGED_POLICY -> calls.remove("iam:DetachUserPolicy", who + " policy=" + h.id(), () -> iam.detachUserPolicy(user, h.id()));
            case GROUP -> calls.remove("iam:RemoveUserFromGroup", who + " group=" + h.id(), () -> iam.removeUserFromGroup(user, h.id()));
        };
    }

    /**
     * Deletes a virtual MFA device that is no longer assigned to anyone; true when this call deleted it.
     * False when it is gone, or assigned again (DeleteConflict): then it is somebody's and stays.
     */
    boolean deleteUnassignedDevice(IamCalls calls, String serial) {
        try {
            return calls.remove("iam:DeleteVirtualMFADevice", "serial=" + serial, () -> iam.deleteVirtualMfaDevice(serial));
        } catch (IamException e) {
            if (e.code().equals("DeleteConflict")) {
                return false;
            }
            throw e;
        }
    }

    /**
     * DeleteUser. A DeleteConflict means something was attached meanwhile: everything is removed
     * once more and the delete tried again. NoSuchEntity is believed only once reads agree (right
     * after a create IAM may not know the user yet everywhere). True when this call deleted it.
     */
    boolean deleteUser(IamCalls calls, String user, Consumer<Holding> removed) {
        for (int round = 1; ; round++) {
            try {
                calls.run("iam:DeleteUser", "user=" + user, IamRetry.Mode.TRANSIENT, () -> iam.deleteUser(user));
                return true;
            } catch (IamException e) {
                if (e.kind() == IamException.Kind.NO_SUCH_ENTITY && confirmedGone(user)) {
                    return false;
                }
                boolean conflict = e.code().equals("DeleteConflict");
                if ((!conflict && e.kind() != IamException.Kind.NO_SUCH_ENTITY) || round >= 3) {
                    throw e;
                }
                for (Holding.Type type : Holding.Type.values()) {
                    removeAll(calls, user, type, removed);
                }
            }
        }
    }

    /** Three reads, with backoff between them, all say the user does not exist. */
    boolean confirmedGone(String user) {
        for (int check = 1; check <= 3; check++) {
            boolean present = retry.call(IamRetry.Mode.TRANSIENT, () -> iam.findUser(user).isPresent(), e -> { });
            if (present) {
                return false;
            }
            if (check < 3) {
                retry.pauseBeforeCheck(check);
            }
        }
        return true;
    }
}
