package dev.awsonboard.lifecycle;

import dev.awsonboard.lifecycle.model.AccessPolicy;
import dev.awsonboard.lifecycle.model.Holding;
import dev.awsonboard.lifecycle.model.Kind;
import dev.awsonboard.lifecycle.model.MessageRef;
import dev.awsonboard.lifecycle.model.Notice;
import dev.awsonboard.lifecycle.model.Reason;
import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.lifecycle.model.Status;
import dev.awsonboard.lifecycle.model.Step;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Ask to set up MFA: a console user without MFA (what AWS Security Hub flags as IAM.5) gets its first
 * virtual MFA device, named like the user; its person gets the QR in a DM and turns it on with two
 * codes ({@link MfaActivation}). It is an MFA reset's setup with nothing removed, and it grants nothing,
 * so the approver who asks decides it with that click: no approval message, the click audited as the
 * approval. The person is the user's owner by its link, never whoever the click names.
 */
final class MfaEnrolment implements RequestKind {
    private static final List<Step> ORDER = List.of(Step.NONE, Step.DEVICE_REQUESTED, Step.MFA_DEVICE_CREATED,
            Step.SETUP_SENT, Step.MFA_ENABLED);

    private final AccessPolicy policy;
    private final Ownership ownership;
    private final MfaSetup mfaSetup;
    private final Cleanup cleanup;
    private final UserCheck userCheck;

    MfaEnrolment(AccessPolicy policy, Ownership ownership, MfaSetup mfaSetup, Cleanup cleanup, UserCheck userCheck) {
        this.policy = policy;
        this.ownership = ownership;
        this.mfaSetup = mfaSetup;
        this.cleanup = cleanup;
        this.userCheck = userCheck;
    }

    @Override
    public Kind kind() {
        return Kind.ENROL_MFA;
    }

    // --- who may ask: approvers, about anyone's user (it is their decision too) ---

    @Override
    public Optional<Notice> refusal(String requester, String person) {
        return policy.isApprover(requester) ? Optional.empty()
                : Optional.of(Notice.of(Reason.NOT_ALLOWED_TO_REQUEST, "kind", Kind.ENROL_MFA));
    }

    @Override
    public Set<Status> blockedBy() {
        return Intake.BLOCKED_BY_ANY_OPEN;
    }

    @Override
    public Intake.Subject subject(Intake.NewRequest cmd) {
        return Intake.Subject.existingUser(cmd, ownership);
    }

    // --- the checks: the user exists, belongs to a person fit for access, and has no MFA device ---

    @Override
    public Request check(Checks checks, Request r) {
        Checks.Owned owned = checks.ownedUser(this, r);
        List<Holding> devices = checks.holdings(owned.user().userName(), Holding.Type.VIRTUAL_MFA_DEVICE,
                Holding.Type.OTHER_MFA_DEVICE);
        if (!devices.isEmpty()) {
            throw Refusal.of(Reason.MFA_ALREADY_ON, "user", owned.user().userName());
        }
        return checks.forApprovers(r, owned.user(), owned.owner(), List.of());
    }

    @Override
    public boolean decidedByItsRequester() {
        return true;
    }

    // --- the steps: the MFA reset's setup, nothing removed ---

    @Override
    public List<Step> order() {
        return ORDER;
    }

    @Override
    public void carryOut(Run run) {
        userCheck.personStillFit(run);
        userCheck.stillThere(run);
        // The name may have been offboarded and made again for someone else since the check: no QR for them.
        if (run.current().step() == Step.NONE && !ownership.stillTheUserOf(run.current())) {
            throw run.fail(Reason.USER_REPLACED, "user", run.current().iamUserName());
        }
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

    // --- the way down: the new, unused device is taken back ---

    @Override
    public Request undo(Request r) {
        return cleanup.deleteOwnDevice(r);
    }
}
