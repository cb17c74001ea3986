package dev.awsonboard.lifecycle;

import dev.awsonboard.lifecycle.model.Holding;
import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.lifecycle.model.Status;
import dev.awsonboard.lifecycle.model.Step;

import java.util.ArrayList;
import java.util.List;

/**
 * A lost or replaced phone: every virtual MFA device of the user is deactivated and deleted
 * (hardware tokens and security keys stay), a new one is made and its QR goes to the person,
 * who enters two codes ({@link MfaActivation}). The user, its password and groups are untouched.
 */
final class ResetMfaProcedure implements Procedure {
    private static final List<Step> ORDER = List.of(Step.NONE, Step.OLD_DEVICES_REMOVED, Step.DEVICE_REQUESTED,
            Step.MFA_DEVICE_CREATED, Step.SETUP_SENT, Step.MFA_ENABLED);

    private final UserRemoval removal;
    private final MfaSetup mfaSetup;
    private final Cleanup cleanup;
    private final UserCheck userCheck;

    ResetMfaProcedure(UserRemoval removal, MfaSetup mfaSetup, Cleanup cleanup, UserCheck userCheck) {
        this.removal = removal;
        this.mfaSetup = mfaSetup;
        this.cleanup = cleanup;
        this.userCheck = userCheck;
    }

    @Override
    public List<Step> order() {
        return ORDER;
    }

    @Override
    public void carryOut(Runner.Run run) {
        userCheck.personStillFit(run);
        userCheck.stillThere(run);
        run.step(Step.OLD_DEVICES_REMOVED, this::removeVirtualDevices);
        run.step(Step.SETUP_SENT, mfaSetup::deliver);
    }

    @Override
    public Status finished() {
        return Status.AWAITING_MFA;
    }

    /** The old devices are gone for good; only the new, unused one can be taken back. */
    @Override
    public Request undo(Request r) {
        return cleanup.deleteOwnDevice(r);
    }

    private void removeVirtualDevices(Runner.Run run) {
        Request r = run.current();
        removal.removeAll(run.iam, r.iamUserName(), Holding.Type.VIRTUAL_MFA_DEVICE, h -> {
            List<Holding> removed = new ArrayList<>(run.current().removed());
            removed.add(h);
            run.update(c -> c.withRemoved(removed, run.now()));
        });
    }
}
