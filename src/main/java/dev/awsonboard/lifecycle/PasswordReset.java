package dev.awsonboard.lifecycle;

import dev.awsonboard.lifecycle.model.AccessPolicy;
import dev.awsonboard.lifecycle.model.Kind;
import dev.awsonboard.lifecycle.model.MessageRef;
import dev.awsonboard.lifecycle.model.Notice;
import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.lifecycle.model.Status;
import dev.awsonboard.lifecycle.model.Step;
import dev.awsonboard.lifecycle.port.Notifier;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A forgotten password: the user may change its password at sign-in, and the person gets a DM
 * with a "Show password" button, which sets a fresh one-time password and shows it only to
 * them ({@link PasswordReveal}). Nothing is set in IAM before that click.
 */
final class PasswordReset implements RequestKind {
    private static final List<Step> ORDER = List.of(Step.NONE, Step.PASSWORD_CHANGE_ALLOWED, Step.PASSWORD_INVITE_SENT,
            Step.PASSWORD_SHOWN);

    private final AccessPolicy policy;
    private final Ownership ownership;
    private final Notifier notifier;
    private final PasswordChange passwordChange;
    private final UserCheck userCheck;

    PasswordReset(AccessPolicy policy, Ownership ownership, Notifier notifier, PasswordChange passwordChange,
                  UserCheck userCheck) {
        this.policy = policy;
        this.ownership = ownership;
        this.notifier = notifier;
        this.passwordChange = passwordChange;
        this.userCheck = userCheck;
    }

    @Override
    public Kind kind() {
        return Kind.RESET_PASSWORD;
    }

    // --- who may ask (whoMayRequest.resetPassword), and what keeps it out ---

    @Override
    public Optional<Notice> refusal(String requester, String person) {
        return policy.refusal(Kind.RESET_PASSWORD, requester, person);
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

    // --- the checks before approval: the user exists and has an owner fit for access ---

    @Override
    public Request check(Checks checks, Request r) {
        Checks.Owned owned = checks.ownedUser(this, r);
        return checks.forApprovers(r, owned.user(), owned.owner(), List.of());
    }

    // --- the steps after approval; the person's click sets the password ---

    @Override
    public List<Step> order() {
        return ORDER;
    }

    @Override
    public void carryOut(Run run) {
        userCheck.personStillFit(run);
        userCheck.stillThere(run);
        run.step(Step.PASSWORD_CHANGE_ALLOWED, passwordChange::allow);
        // The invite with the Show password button is posted once the request waits for the person (postButtons).
    }

    @Override
    public Status finished() {
        return Status.AWAITING_PASSWORD;
    }

    // --- the way down ---

    @Override
    public Request undo(Request r) {
        return r; // nothing was changed in IAM that the person did not ask for
    }

    /** The DM with the Show password button, once the request waits for the person: a click then is never out of date. */
    @Override
    public MessageRef postButtons(Request r) {
        return notifier.sendPasswordInvite(r);
    }
}
