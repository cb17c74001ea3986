package dev.awsonboard.lifecycle;

import dev.awsonboard.lifecycle.model.AccessPolicy;
import dev.awsonboard.lifecycle.model.Approval;
import dev.awsonboard.lifecycle.model.ApprovalNeed;
import dev.awsonboard.lifecycle.model.Kind;
import dev.awsonboard.lifecycle.model.Notice;
import dev.awsonboard.lifecycle.model.Outcome;
import dev.awsonboard.lifecycle.model.Reason;
import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.lifecycle.model.Status;
import dev.awsonboard.lifecycle.model.Step;
import dev.awsonboard.lifecycle.port.Notifier;
import dev.awsonboard.lifecycle.port.NotifierException;
import dev.awsonboard.lifecycle.port.RequestStore;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * Use case: an approver approves or denies a request, its requester (or an approver)
 * withdraws it before anyone decided, or a running grant is ended early. Who may decide, and how many approvals it takes, are the
 * approval rules' ({@link Approvers}): each approval is a compare-and-set that adds one distinct
 * approver, and the one that completes every rule moves the request to APPROVED and hands it to the
 * {@link Runner}; one Deny ends it. Only the store is touched before the answer (and, the first time
 * a rule's Slack user group matters, Slack for at most {@link Approvers#CLICK_WAIT}): people are
 * told, and IAM is called, after it.
 */
public final class Decisions {
    private static final Logger log = LoggerFactory.getLogger(Decisions.class);

    private final RequestStore store;
    private final Notifier notifier;
    private final AccessPolicy policy;
    private final Clock clock;
    private final AuditLog audit;
    private final Tell tell;
    private final Executor afterAck;
    private final Runner runner;
    private final Approvers approvers;
    private final GrantEnds grantEnds;
    private final Effects effects;

    Decisions(RequestStore store, Notifier notifier, AccessPolicy policy, Approvers approvers, GrantEnds grantEnds, Clock clock,
              Runner runner, Effects effects, Executor afterAck) {
        this.store = store;
        this.effects = effects;
        this.grantEnds = grantEnds;
        this.approvers = approvers;
        this.notifier = notifier;
        this.policy = policy;
        this.clock = clock;
        this.audit = new AuditLog(store, clock);
        this.tell = new Tell(notifier, audit);
        this.runner = runner;
        this.afterAck = afterAck;
    }

    public Outcome<Request> approve(String requestId, String actor) {
        return decide(requestId, actor, Status.APPROVED);
    }

    public Outcome<Request> deny(String requestId, String actor) {
        return decide(requestId, actor, Status.DENIED);
    }

    /** Compare-and-set attempts of one click; each failed one means another approval or decision got in first. */
    private static final int ATTEMPTS = 50;

    private Outcome<Request> decide(String requestId, String actor, Status decision) {
        boolean approving = decision == Status.APPROVED;
        String verb = approving ? "approve" : "deny";
        Optional<Request> found = store.find(requestId);
        if (found.isEmpty()) {
            return Outcome.refused(Reason.UNKNOWN_REQUEST);
        }
        Request request = found.get();
        boolean mayDecide;
        try {
            mayDecide = approvers.mayDecide(request, actor, Approvers.Wait.BRIEFLY);
        } catch (NotifierException e) {
            // A user group Slack did not tell about in time: nothing is decided, the click can come again.
            audit.record(requestId, actor, verb, "approvers not known yet", e.code());
            return Outcome.refused(Reason.APPROVERS_NOT_KNOWN_YET, "code", e.code());
        }
        if (!mayDecide) {
            audit.record(requestId, actor, verb, "not an approver", "refused");
            return Outcome.refused(approving ? Reason.ONLY_APPROVERS_APPROVE : Reason.ONLY_APPROVERS_DENY);
        }
        if (approving && !policy.allowSelfApproval()) {
            if (actor.equals(request.requesterUserId())) {
                audit.record(requestId, actor, verb, "own request", "refused");
                return Outcome.refused(Reason.OWN_REQUEST);
            }
            if (actor.equals(request.targetUserId())) {
                audit.record(requestId, actor, verb, "about themselves", "refused");
                return Outcome.refused(Reason.OWN_ACCESS);
            }
        }
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            if (request.status() != Status.REQUESTED) {
                return Outcome.refused(alreadyDecided(request));
            }
            if (approving && request.approvers().contains(actor)) {
                return Outcome.refused(Reason.ALREADY_APPROVED_BY_YOU);
            }
            Optional<Outcome<Request>> decided = approving ? approve(request, actor) : deny(request, actor);
            if (decided.isPresent()) {
                return decided.get();
            }
            // Someone else approved or decided between our read and our write: look again.
            request = store.find(requestId).orElseThrow();
        }
        return Outcome.refused(Reason.CHANGED_TRY_AGAIN);
    }

    /**
     * One more approval: the last one a rule needs moves the request to APPROVED and hands it to the
     * runner (once: only one compare-and-set can make that move); an earlier one is recorded and every
     * copy of the approval message redrawn. Empty when the row changed under us.
     */
    private Optional<Outcome<Request>> approve(Request request, String actor) {
        Instant now = clock.instant();
        List<Approval> approvals = new ArrayList<>(request.approvals());
        approvals.add(new Approval(actor, now));
        List<ApprovalNeed> needs = approvers.needs(request, approvals, Approvers.Wait.BRIEFLY);
        boolean complete = Approvers.met(needs);
        Request next = request.withApprovals(approvals, needs, now);
        if (complete) {
            next = next.withStatus(Status.APPROVED, now).withApprover(actor, now);
        }
        Optional<Request> stored = store.replace(request, next);
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        Request r = stored.get();
        String id = r.id();
        audit.record(id, actor, "approve", "kind=" + r.kind() + " iamUser=" + r.iamUserName() + " " + progress(needs), "ok");
        if (!complete) {
            log.info("request {} ({} of IAM user {}) approved by {}: {}", id, r.kind(), r.iamUserName(), actor, progress(needs));
            afterAck.execute(() -> tell.approvers(r));
            return Optional.of(Outcome.done(r, Notice.of(Reason.APPROVAL_RECORDED, "done", r.approvals().size(),
                    "needed", r.approvals().size() + stillNeeded(needs))));
        }
        log.info("request {} ({} of IAM user {}) {} by {}", id, r.kind(), r.iamUserName(), Status.APPROVED, String.join(",", r.approvers()));
        // The run tells the approvers and the requester as it starts, beside its first steps
        // rather than before them (Runner#announce): nobody waits on that for the QR.
        afterAck.execute(() -> runner.run(id));
        return Optional.of(Outcome.done(r, Notice.of(Reason.APPROVED, "kind", r.kind(), "user", r.iamUserName())));
    }

    /**
     * One Deny ends the request, whatever approvals came before it; the denial and its notices are one
     * write, so a crash after it leaves them owed. Empty when the row changed under us.
     */
    private Optional<Outcome<Request>> deny(Request request, String actor) {
        Optional<Request> stored = store.replace(request,
                request.withStatus(Status.DENIED, clock.instant()).withApprover(actor, clock.instant()),
                Effects.tellOf(Status.DENIED));
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        Request r = stored.get();
        audit.record(r.id(), actor, "deny", "kind=" + r.kind() + " iamUser=" + r.iamUserName()
                + (r.approvals().isEmpty() ? "" : " after approvals by " + String.join(",", r.approvers())), "ok");
        log.info("request {} ({} of IAM user {}) {} by {}", r.id(), r.kind(), r.iamUserName(), Status.DENIED, actor);
        // People hear after the ack.
        afterAck.execute(() -> effects.settle(r.id()));
        return Optional.of(Outcome.done(r, Notice.of(Reason.DENIED)));
    }

    /** "rules admins 1/2 developers 1/1", for the audit trail. */
    static String progress(List<ApprovalNeed> needs) {
        StringBuilder s = new StringBuilder("rules");
        for (ApprovalNeed n : needs) {
            s.append(' ').append(n.rule()).append(' ').append(Math.min(n.approvedBy().size(), n.approvals())).append('/').append(n.approvals());
        }
        return s.toString();
    }

    /** At least how many more approvals the request needs (the most any one rule still lacks). */
    private static int stillNeeded(List<ApprovalNeed> needs) {
        return needs.stream().mapToInt(n -> Math.max(0, n.approvals() - n.approvedBy().size())).max().orElse(0);
    }

    /** The requester, or an approver, withdraws a request nobody has decided on yet. */
    public Outcome<Request> cancel(String requestId, String actor) {
        Optional<Request> found = store.find(requestId);
        if (found.isEmpty()) {
            return Outcome.refused(Reason.UNKNOWN_REQUEST);
        }
        Request r = found.get();
        if (!actor.equals(r.requesterUserId()) && !policy.isApprover(actor) && !approvers.mayDecide(r, actor, Approvers.Wait.NEVER)) {
            audit.record(requestId, actor, "cancel", "not the requester", "refused");
            return Outcome.refused(Reason.ONLY_REQUESTER_CANCELS);
        }
        if (r.status() != Status.SUBMITTED && r.status() != Status.REQUESTED) {
            return Outcome.refused(Reason.TOO_LATE_TO_CANCEL, "status", r.status());
        }
        Optional<Request> cancelled = store.replace(r, r.withEnding(Status.CANCELLED,
                Notice.of(Reason.CANCELLED_BY, "by", actor), clock.instant()),
                Effects.ofEnding(r, Status.CANCELLED, null, !actor.equals(r.requesterUserId())));
        if (cancelled.isEmpty()) {
            return Outcome.refused(store.find(requestId).map(Decisions::alreadyDecided).orElse(Notice.of(Reason.CHANGED_TRY_AGAIN)));
        }
        Request done = cancelled.get();
        audit.record(requestId, actor, "cancel", "kind=" + done.kind() + " iamUser=" + done.iamUserName(), "ok");
        log.info("request {} ({} of IAM user {}) cancelled by {}", requestId, done.kind(), done.iamUserName(), actor);
        afterAck.execute(() -> effects.settle(done.id()));
        return Outcome.done(done, Notice.of(Reason.CANCELLED, "id", requestId));
    }

    /**
     * The person, the requester or an approver ends a running grant now (revoke, End now): its end is recorded
     * at once (a compare-and-set) and carried out after the answer ({@link GrantEnds}). A grant nobody decided
     * yet is cancelled instead.
     */
    public Outcome<Request> revoke(String requestId, String actor) {
        Optional<Request> found = store.find(requestId);
        if (found.isEmpty()) {
            return Outcome.refused(Reason.UNKNOWN_REQUEST);
        }
        Request r = found.get();
        if (r.kind() != Kind.GRANT) {
            return Outcome.refused(Reason.NOT_A_GRANT, "id", requestId);
        }
        if (!actor.equals(r.targetUserId()) && !actor.equals(r.requesterUserId()) && !policy.isApprover(actor)
                && !approvers.mayDecide(r, actor, Approvers.Wait.NEVER)) {
            audit.record(requestId, actor, "revoke", "not the person, requester or an approver", "refused");
            return Outcome.refused(Reason.ONLY_PERSON_OR_APPROVER_ENDS);
        }
        if (r.status() == Status.SUBMITTED || r.status() == Status.REQUESTED) {
            return cancel(requestId, actor);
        }
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            if (Status.RESUMABLE.contains(r.status())) {
                return Outcome.refused(Reason.GRANT_STARTING);
            }
            if (r.status() != Status.GRANTED) {
                return Outcome.refused(Reason.GRANT_ALREADY_ENDED, "status", r.status());
            }
            Optional<Request> ending = r.step() == Step.GRANT_ENDING ? Optional.of(r)
                    : grantEnds.endEarly(r, Notice.of(Reason.GRANT_ENDED_EARLY, "by", actor));
            if (ending.isPresent()) {
                Request e = ending.get();
                if (r.step() != Step.GRANT_ENDING) {
                    audit.record(requestId, actor, "revoke", "group=" + Grant.group(e) + " iamUser=" + e.iamUserName(), "ok");
                    log.info("request {} (grant of {} to IAM user {}) ended early by {}", requestId, Grant.group(e), e.iamUserName(), actor);
                }
                afterAck.execute(() -> grantEnds.end(requestId));
                return Outcome.done(e, Notice.of(Reason.GRANT_ENDING_NOW, "user", e.iamUserName(), "group", Grant.group(e)));
            }
            r = store.find(requestId).orElseThrow();
        }
        return Outcome.refused(Reason.CHANGED_TRY_AGAIN);
    }

    private static Notice alreadyDecided(Request r) {
        return r.approverUserId() == null
                ? Notice.of(Reason.ALREADY_DECIDED, "status", r.status())
                : Notice.of(Reason.ALREADY_DECIDED_BY, "status", r.status(), "approver", r.approverUserId());
    }
}
