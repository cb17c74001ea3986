package dev.awsonboard.lifecycle;

import dev.awsonboard.lifecycle.model.AccessPolicy;
import dev.awsonboard.lifecycle.model.Kind;
import dev.awsonboard.lifecycle.model.LinkChange;
import dev.awsonboard.lifecycle.model.Notice;
import dev.awsonboard.lifecycle.model.Reason;
import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.lifecycle.model.Status;
import dev.awsonboard.lifecycle.model.Step;
import dev.awsonboard.lifecycle.model.Tags;
import dev.awsonboard.lifecycle.port.IamGateway;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Unlinking: an IAM user stops being anyone's (a shared or service user that was linked by
 * mistake, a person who moved to another account). On approval our slack-user tag goes (so the
 * user is not adopted again) and the link is removed; IAM is otherwise untouched. Until it is
 * linked again, the user cannot be reset through the bot.
 */
final class Unlinking implements RequestKind {
    private static final List<Step> ORDER = List.of(Step.NONE, Step.OWNER_UNTAGGED, Step.LINK_REMOVED);

    private final AccessPolicy policy;
    private final Ownership ownership;
    private final IamGateway iam;

    Unlinking(AccessPolicy policy, Ownership ownership, IamGateway iam) {
        this.policy = policy;
        this.ownership = ownership;
        this.iam = iam;
    }

    @Override
    public Kind kind() {
        return Kind.UNLINK;
    }

    // --- who may ask (whoMayRequest.unlink: by default the owner, and approvers) ---

    @Override
    public Optional<Notice> refusal(String requester, String person) {
        return policy.refusal(Kind.UNLINK, requester, person);
    }

    @Override
    public Set<Status> blockedBy() {
        return Intake.BLOCKED_BY_ANY_OPEN;
    }

    /** The IAM user is named; the person is whoever it is linked to. */
    @Override
    public Intake.Subject subject(Intake.NewRequest cmd) {
        return Intake.Subject.namedUser(cmd);
    }

    // --- the checks before approval: the user exists and is linked; the requester may ask about its person ---

    @Override
    public Request check(Checks checks, Request r) {
        IamGateway.ExistingUser user = checks.existingUser(r);
        String owner = checks.owner(r, user);
        if (owner == null) {
            throw Refusal.of(Reason.NOT_LINKED, "user", user.userName());
        }
        refusal(r.requesterUserId(), owner).ifPresent(n -> {
            throw new Refusal(n);
        });
        return checks.forApprovers(r, user, owner, List.of()).withLinkedTo(owner, r.updatedAt());
    }

    // --- the steps after approval: our tag off the user, then the link gone ---

    @Override
    public List<Step> order() {
        return ORDER;
    }

    @Override
    public void carryOut(Run run) {
        run.step(Step.OWNER_UNTAGGED, this::untag);
        run.step(Step.LINK_REMOVED, nothing -> { }, r -> Optional.ofNullable(r.iamUserId()).map(LinkChange.Remove::new));
    }

    @Override
    public Status finished() {
        return Status.DONE;
    }

    // --- the way down: the tag is the person's again; the link was never removed ---

    @Override
    public Request undo(Request r) {
        if (r.step() == Step.OWNER_UNTAGGED && r.linkedTo() != null) {
            try {
                iam.tagUser(r.iamUserName(), java.util.Map.of(Tags.SLACK_USER, r.linkedTo()));
            } catch (RuntimeException e) {
                return r; // the link stands; without the tag the user is simply not adopted again
            }
        }
        return r;
    }

    private void untag(Run run) {
        Request r = run.current();
        run.iam.run("iam:UntagUser", "user=" + r.iamUserName() + " tag=" + Tags.SLACK_USER, IamRetry.Mode.EXISTS,
                () -> iam.untagUser(r.iamUserName(), List.of(Tags.SLACK_USER)));
    }
}
