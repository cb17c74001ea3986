package dev.awsonboard.lifecycle;

import dev.awsonboard.lifecycle.model.AccessPolicy;
import dev.awsonboard.lifecycle.model.Holding;
import dev.awsonboard.lifecycle.model.Kind;
import dev.awsonboard.lifecycle.model.Link;
import dev.awsonboard.lifecycle.model.LinkChange;
import dev.awsonboard.lifecycle.model.Notice;
import dev.awsonboard.lifecycle.model.Reason;
import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.lifecycle.model.Status;
import dev.awsonboard.lifecycle.model.Step;
import dev.awsonboard.lifecycle.model.Tags;
import dev.awsonboard.lifecycle.port.IamGateway;

import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Linking: an IAM user that already exists (made before the bot, or by hand) becomes a person's,
 * so that resets, offboarding, status and App Home act for them. The approvers read what IAM says
 * of the user (console password, MFA devices, access keys and their last use, groups) and whose it
 * was; on approval the user is tagged with the person's Slack user and the link is recorded. A
 * link to someone else is replaced (a re-link).
 */
final class Linking implements RequestKind {
    private static final List<Step> ORDER = List.of(Step.NONE, Step.OWNER_TAGGED, Step.LINK_RECORDED);

    private final AccessPolicy policy;
    private final Ownership ownership;
    private final IamGateway iam;
    private final Clock clock;

    Linking(AccessPolicy policy, Ownership ownership, IamGateway iam, Clock clock) {
        this.policy = policy;
        this.ownership = ownership;
        this.iam = iam;
        this.clock = clock;
    }

    @Override
    public Kind kind() {
        return Kind.LINK;
    }

    // --- who may ask (whoMayRequest.link: by default anyone for themselves, approvers for anyone) ---

    @Override
    public Optional<Notice> refusal(String requester, String person) {
        return policy.refusal(Kind.LINK, requester, person);
    }

    /** Anything open for the user, a setup waiting for its person included. */
    @Override
    public Set<Status> blockedBy() {
        return Intake.BLOCKED_BY_ANY_OPEN;
    }

    /** Both the IAM user and the person must be named: a link says whose it is. */
    @Override
    public Intake.Subject subject(Intake.NewRequest cmd) {
        Intake.Subject named = Intake.Subject.namedUser(cmd);
        if (cmd.targetUserId() == null) {
            throw Refusal.of(Reason.TARGET_MISSING);
        }
        return named;
    }

    // --- the checks before approval: the user exists; the person is fit; what IAM says of the user; whose it is now ---

    @Override
    public Request check(Checks checks, Request r) {
        IamGateway.ExistingUser user = checks.existingUser(r);
        checks.personFit(r.targetUserId());
        Optional<Link> current = ownership.linkOf(user);
        if (current.isPresent() && current.get().slackUserId().equals(r.targetUserId())) {
            throw Refusal.of(Reason.ALREADY_LINKED, "user", user.userName(), "person", r.targetUserId());
        }
        List<Holding> facts = new ArrayList<>();
        for (Holding h : checks.holdings(user.userName(), Holding.Type.LOGIN_PROFILE, Holding.Type.VIRTUAL_MFA_DEVICE,
                Holding.Type.OTHER_MFA_DEVICE, Holding.Type.ACCESS_KEY, Holding.Type.GROUP)) {
            facts.add(h.type() == Holding.Type.ACCESS_KEY ? withLastUse(checks, h) : h);
        }
        String owner = r.targetUserId();
        return checks.forApprovers(r, user, owner, facts)
                .withLinkedTo(current.map(Link::slackUserId).orElse(null), clock.instant());
    }

    private Holding withLastUse(Checks checks, Holding key) {
        return new Holding(key.type(), key.id(), checks.read(() -> iam.accessKeyLastUsed(key.id()))
                .map(at -> at.atZone(ZoneOffset.UTC).toLocalDate().toString()).orElse(Holding.NEVER_USED));
    }

    // --- the steps after approval: our tag on the user, then the link ---

    @Override
    public List<Step> order() {
        return ORDER;
    }

    @Override
    public void carryOut(Run run) {
        run.step(Step.OWNER_TAGGED, this::tag);
        // The link is recorded with the step, so the user is the person's from that write on.
        run.step(Step.LINK_RECORDED, nothing -> { }, r -> Optional.of(new LinkChange.Put(new Link(
                Request.accountIdOf(r.userArn()), r.iamUserId(), r.iamUserName(), ownership.slackTeamId(), r.targetUserId(),
                Link.How.LINKED, r.approverUserId(), clock.instant()))));
    }

    @Override
    public Status finished() {
        return Status.DONE;
    }

    // --- the way down: a tag set but no link recorded is put back as it was ---

    @Override
    public Request undo(Request r) {
        if (r.step() == Step.OWNER_TAGGED) {
            try {
                if (r.linkedTo() != null) {
                    iam.tagUser(r.iamUserName(), Map.of(Tags.SLACK_USER, r.linkedTo()));
                } else {
                    iam.untagUser(r.iamUserName(), List.of(Tags.SLACK_USER));
                }
            } catch (RuntimeException e) {
                return r; // the tag says the new person while no link does; the next link or unlink sets it right
            }
        }
        return r;
    }

    private void tag(Run run) {
        Request r = run.current();
        run.iam.run("iam:TagUser", "user=" + r.iamUserName() + " tag=" + Tags.SLACK_USER + ":" + r.targetUserId(),
                IamRetry.Mode.EXISTS, () -> iam.tagUser(r.iamUserName(), Map.of(Tags.SLACK_USER, r.targetUserId())));
    }
}
