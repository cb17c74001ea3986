package dev.awsonboard.lifecycle;

import dev.awsonboard.lifecycle.model.AccessPolicy;
import dev.awsonboard.lifecycle.model.ApprovalRules;
import dev.awsonboard.lifecycle.model.GrantTerm;
import dev.awsonboard.lifecycle.model.Holding;
import dev.awsonboard.lifecycle.model.Kind;
import dev.awsonboard.lifecycle.model.Notice;
import dev.awsonboard.lifecycle.model.Reason;
import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.lifecycle.model.Status;
import dev.awsonboard.lifecycle.model.Step;
import dev.awsonboard.lifecycle.port.IamGateway;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Temporary group membership: the person's IAM user joins a group for a while ({@code grant admins for 2h}),
 * and leaves it again at the end, exactly once ({@link GrantEnds}). Only groups an approval rule for grants
 * names may be granted, for at most the rule's {@code maxDuration}; a group the person is in already is not
 * granted, since its end would take away a membership the grant never gave.
 */
final class Grant implements RequestKind {
    private static final List<Step> ORDER = List.of(Step.NONE, Step.GROUP_GRANTED, Step.GRANT_ENDING, Step.GRANT_ENDED);

    private final AccessPolicy policy;
    private final ApprovalRules rules;
    private final Ownership ownership;
    private final IamGateway iam;
    private final UserCheck userCheck;

    Grant(AccessPolicy policy, ApprovalRules rules, Ownership ownership, IamGateway iam, UserCheck userCheck) {
        this.policy = policy;
        this.rules = rules;
        this.ownership = ownership;
        this.iam = iam;
        this.userCheck = userCheck;
    }

    @Override
    public Kind kind() {
        return Kind.GRANT;
    }

    // --- who may ask (whoMayRequest.grant: by default for oneself; approvers for anyone), and what keeps it out ---

    @Override
    public Optional<Notice> refusal(String requester, String person) {
        return policy.refusal(Kind.GRANT, requester, person);
    }

    /** A request waiting or running for the user; a running grant does not keep another group's grant out. */
    @Override
    public Set<Status> blockedBy() {
        return Status.PENDING;
    }

    /** One group a rule lets be granted, for a length within the rule's longest; the person's IAM user. */
    @Override
    public Intake.Subject subject(Intake.NewRequest cmd) {
        if (cmd.groups().size() != 1) {
            throw Refusal.of(Reason.GRANT_WHAT_MISSING);
        }
        String group = cmd.groups().get(0);
        if (!rules.grantable(group)) {
            List<String> grantable = rules.grantableGroups();
            throw grantable.isEmpty() ? Refusal.of(Reason.NO_GROUP_GRANTABLE)
                    : Refusal.of(Reason.GROUP_NOT_GRANTABLE, "group", group, "grantable", String.join(", ", grantable));
        }
        Duration length = cmd.grantFor();
        if (length == null || length.isNegative() || length.isZero()) {
            throw Refusal.of(Reason.GRANT_WHAT_MISSING);
        }
        Duration max = rules.maxGrant(group);
        if (length.compareTo(max) > 0) {
            throw Refusal.of(Reason.GRANT_TOO_LONG, "group", group, "max", max);
        }
        Intake.Subject user = Intake.Subject.existingUser(cmd, ownership);
        return new Intake.Subject(user.iamUserName(), List.of(group));
    }

    // --- the checks before approval: the user exists and is the person's, who is fit; not in the group yet ---

    @Override
    public Request check(Checks checks, Request r) {
        Checks.Owned owned = checks.ownedUser(this, r);
        List<Holding> groups = checks.holdings(owned.user().userName(), Holding.Type.GROUP);
        String group = group(r);
        if (groups.stream().anyMatch(g -> g.id().equalsIgnoreCase(group))) {
            throw Refusal.of(Reason.ALREADY_IN_GROUP, "user", owned.user().userName(), "group", group);
        }
        return checks.forApprovers(r, owned.user(), owned.owner(), groups);
    }

    // --- the steps after approval: the end is recorded, then the user joins ---

    @Override
    public List<Step> order() {
        return ORDER;
    }

    @Override
    public void carryOut(Run run) {
        userCheck.personStillFit(run);
        userCheck.stillThere(run);
        run.step(Step.GROUP_GRANTED, this::add);
    }

    @Override
    public Status finished() {
        return Status.GRANTED;
    }

    /** The person hears when their access starts and ends, whoever asked for it. */
    @Override
    public boolean tellsPerson() {
        return true;
    }

    // --- the way down: at the end, or earlier, GrantEnds takes the membership away ---

    /** A failed grant changed nothing: the one call that could fail is the one that adds the user. */
    @Override
    public Request undo(Request r) {
        return r;
    }

    static String group(Request r) {
        return r.groups().isEmpty() ? "" : r.groups().get(0);
    }

    /**
     * When the grant ends is recorded before the user joins, so that whatever happens next a sweep finds a
     * membership with an end. A fresh run looks at the groups again: one the person joined meanwhile (by hand)
     * is not the grant's to take away later.
     */
    private void add(Run run) {
        Request r = run.current();
        String user = r.iamUserName();
        String group = group(r);
        if (!run.resumed()) {
            List<String> now = run.iam.call("iam:ListGroupsForUser", "user=" + user, IamRetry.Mode.TRANSIENT, () -> iam.groupsOf(user));
            if (now.stream().anyMatch(g -> g.equalsIgnoreCase(group))) {
                throw run.fail(Reason.ALREADY_IN_GROUP, "user", user, "group", group);
            }
        }
        if (r.grant().endsAt() == null) {
            GrantTerm term = r.grant().startingAt(run.now());
            run.update(c -> c.withGrant(term, run.now()));
        }
        Request recorded = run.current();
        run.iam.run("iam:AddUserToGroup", "user=" + user + " group=" + group + " until=" + recorded.grant().endsAt(),
                IamRetry.Mode.TRANSIENT, () -> iam.addUserToGroup(user, group));
    }
}
