package dev.awsonboard.lifecycle;

import dev.awsonboard.lifecycle.model.AccessPolicy;
import dev.awsonboard.lifecycle.model.Holding;
import dev.awsonboard.lifecycle.model.Kind;
import dev.awsonboard.lifecycle.model.MessageRef;
import dev.awsonboard.lifecycle.model.Notice;
import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.lifecycle.model.Status;
import dev.awsonboard.lifecycle.model.Step;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A lost or replaced phone: every virtual MFA device of the user is deactivated and deleted
 * (hardware tokens and security keys stay), a new one is made and its QR goes to the person,
 * who enters two codes ({@link MfaActivation}). The user, its password and groups are untouched.
 */
final class MfaReset implements RequestKind {
    private static final List<Step> ORDER = List.of(Step.NONE, Step.OLD_DEVICES_REMOVED, Step.DEVICE_REQUESTED,
            Step.MFA_DEVICE_CREATED, Step.SETUP_SENT, Step.MFA_ENABLED);

    private final AccessPolicy policy;
    private final Ownership ownership;
    private final UserRemoval removal;
    private final MfaSetup mfaSetup;
    private final Cleanup cleanup;
    private final UserCheck userCheck;

    MfaReset(AccessPolicy policy, Ownership ownership, UserRemoval removal, MfaSetup mfaSetup, Cleanup cleanup,
             UserCheck userCheck) {
        this.policy = policy;
        this.ownership = ownership;
        this.removal = removal;
        this.mfaSetup = mfaSetup;
        this.cleanup = cleanup;
        this.userCheck = userCheck;
    }

    @Override
    public Kind kind() {
        return Kind.RESET_MFA;
    }

    // --- who may ask (whoMayRequest.resetMfa), and what keeps it out ---

    @Override
    public Optional<Notice> refusal(String requester, String person) {
        return policy.refusal(Kind.RESET_MFA, requester, person);
    }

    /** Anything open for the user, a setup waiting for its person included. */
    @Override
    public Set<Status> blockedBy() {
        return Intake.BLOCKED_BY_ANY_OPEN;
    }

    @Override
    public Intake.Subject subject(Intake.NewRequest cmd) {
        return Intake.Subject.existingUser(cmd, ownership);
    }

    // --- the checks before approval: the user exists and has an owner fit for access; the devices it has ---

    @Override
    public Request check(Checks checks, Request r) {
        Checks.Owned owned = checks.ownedUser(this, r);
        List<Holding> devices = checks.holdings(owned.user().userName(), Holding.Type.VIRTUAL_MFA_DEVICE,
                Holding.Type.OTHER_MFA_DEVICE);
        return checks.forApprovers(r, owned.user(), owned.owner(), devices);
    }

    // --- the steps after approval ---

    @Override
    public List<Step> order() {
        return ORDER;
    }

    @Override
    public void carryOut(Run run) {
        userCheck.personStillFit(run);
        userCheck.stillThere(run);
        run.step(Step.OLD_DEVICES_REMOVED, this::removeVirtualDevices);
        run.step(Step.SETUP_SENT, mfaSetup::deliver);
    }

    @Override
    public Status finished() {
        return Status.AWAITING_MFA;
    }

    @Override
    public MessageRef postButtons(Request r) {
        return mfaSetup.postInstructions(r);
    }

    // --- the way down: the old devices are gone for good; only the new, unused one can be taken back ---

    @Override
    public Request undo(Request r) {
        return cleanup.deleteOwnDevice(r);
    }

    private void removeVirtualDevices(Run run) {
        Request r = run.current();
        removal.removeAll(run.iam, r.iamUserName(), Holding.Type.VIRTUAL_MFA_DEVICE, h -> {
            List<Holding> removed = new ArrayList<>(run.current().removed());
            removed.add(h);
            run.update(c -> c.withRemoved(removed, run.now()));
        });
    }
}
