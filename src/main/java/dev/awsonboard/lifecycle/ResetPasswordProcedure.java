package dev.awsonboard.lifecycle;

import dev.awsonboard.lifecycle.model.MessageRef;
import dev.awsonboard.lifecycle.model.Reason;
import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.lifecycle.model.Status;
import dev.awsonboard.lifecycle.model.Step;
import dev.awsonboard.lifecycle.port.Notifier;
import dev.awsonboard.lifecycle.port.NotifierException;

import java.util.List;

/**
 * A forgotten password: the user may change its password at sign-in, and the person gets a DM
 * with a "Show password" button, which sets a fresh one-time password and shows it only to
 * them ({@link PasswordReveal}). Nothing is set in IAM before that click.
 */
final class ResetPasswordProcedure implements Procedure {
    private static final List<Step> ORDER = List.of(Step.NONE, Step.PASSWORD_CHANGE_ALLOWED, Step.PASSWORD_INVITE_SENT,
            Step.PASSWORD_SHOWN);

    private final Notifier notifier;
    private final PasswordChange passwordChange;
    private final UserCheck userCheck;

    ResetPasswordProcedure(Notifier notifier, PasswordChange passwordChange, UserCheck userCheck) {
        this.notifier = notifier;
        this.passwordChange = passwordChange;
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
        run.step(Step.PASSWORD_CHANGE_ALLOWED, passwordChange::allow);
        run.step(Step.PASSWORD_INVITE_SENT, this::invite);
    }

    @Override
    public Status finished() {
        return Status.AWAITING_PASSWORD;
    }

    @Override
    public Request undo(Request r) {
        return r; // nothing was changed in IAM that the person did not ask for
    }

    private void invite(Runner.Run run) {
        Request r = run.current();
        MessageRef invite;
        try {
            invite = notifier.sendPasswordInvite(r);
        } catch (NotifierException e) {
            run.audit().record(r.id(), AuditLog.BOT, "slack:password-invite", "to=" + r.targetUserId(), e.code());
            throw run.fail(Reason.PERSON_UNREACHABLE, "person", r.targetUserId(), "code", e.code());
        }
        run.audit().record(r.id(), AuditLog.BOT, "slack:password-invite", "to=" + r.targetUserId(), "ok");
        run.update(c -> c.withDelivery(invite.channel(), null, run.now()).withSetupMessage(invite, run.now()));
    }
}
