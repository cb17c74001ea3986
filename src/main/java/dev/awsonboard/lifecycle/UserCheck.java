package dev.awsonboard.lifecycle;

import dev.awsonboard.lifecycle.model.Reason;
import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.lifecycle.model.Step;
import dev.awsonboard.lifecycle.model.Tags;
import dev.awsonboard.lifecycle.port.IamGateway;
import dev.awsonboard.lifecycle.port.NotifierException;
import dev.awsonboard.lifecycle.port.People;

import java.util.Optional;

/**
 * Checks a fresh run makes before it changes IAM, because time passed since the request was
 * checked: the person must still be fit to hold access (not deactivated, not a bot or guest),
 * and for a reset or an offboarding the IAM user must still exist (offboarding: and still carry
 * this bot's tag, unless any user may be offboarded). A resumed run skips them: it may find the
 * user already deleted by itself.
 */
final class UserCheck {
    private final IamGateway iam;
    private final People people;

    UserCheck(IamGateway iam, People people) {
        this.iam = iam;
        this.people = people;
    }

    void personStillFit(Run run) {
        Request r = run.current();
        if (r.step() != Step.NONE) {
            return;
        }
        Optional<People.Person> person;
        try {
            person = people.find(r.targetUserId());
        } catch (NotifierException e) {
            throw run.fail(Reason.PERSON_CHECK_FAILED, "code", e.code());
        }
        PersonFitness.problem(person, r.targetUserId()).ifPresent(n -> {
            throw new Run.StepFailed(n);
        });
    }

    void stillThere(Run run) {
        if (run.current().step() == Step.NONE) {
            find(run);
        }
    }

    void stillOurs(Run run, boolean anyUser) {
        if (run.current().step() != Step.NONE) {
            return;
        }
        IamGateway.ExistingUser user = find(run);
        if (!anyUser && !user.tags().containsKey(Tags.REQUEST_ID)) {
            throw run.fail(Reason.IAM_USER_NOT_OURS, "user", user.userName());
        }
    }

    private IamGateway.ExistingUser find(Run run) {
        String name = run.current().iamUserName();
        return run.iam.call("iam:GetUser", "user=" + name, IamRetry.Mode.TRANSIENT, () -> iam.findUser(name))
                .orElseThrow(() -> run.fail(Reason.IAM_USER_NOT_FOUND, "user", name));
    }
}
