package dev.awsonboard.lifecycle;

import dev.awsonboard.lifecycle.model.AccessPolicy;
import dev.awsonboard.lifecycle.model.Notice;
import dev.awsonboard.lifecycle.model.Outcome;
import dev.awsonboard.lifecycle.model.Reason;
import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.lifecycle.model.Status;
import dev.awsonboard.lifecycle.port.RequestStore;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * Use case: an approver approves or denies a request, or its requester (or an approver)
 * withdraws it before anyone decided. Approval hands the request to the {@link Runner}. Only
 * the store is touched before the answer: people are told, and IAM is called, after it.
 */
public final class Decisions {
    private static final Logger log = LoggerFactory.getLogger(Decisions.class);

    private final RequestStore store;
    private final AccessPolicy policy;
    private final Clock clock;
    private final AuditLog audit;
    private final Effects effects;
    private final Executor afterAck;
    private final Runner runner;

    Decisions(RequestStore store, AccessPolicy policy, Clock clock, Runner runner, Effects effects, Executor afterAck) {
        this.store = store;
        this.policy = policy;
        this.clock = clock;
        this.audit = new AuditLog(store, clock);
        this.effects = effects;
        this.runner = runner;
        this.afterAck = afterAck;
    }

    public Outcome<Request> approve(String requestId, String actor) {
        return decide(requestId, actor, Status.APPROVED);
    }

    public Outcome<Request> deny(String requestId, String actor) {
        return decide(requestId, actor, Status.DENIED);
    }

    private Outcome<Request> decide(String requestId, String actor, Status decision) {
        boolean approving = decision == Status.APPROVED;
        String verb = approving ? "approve" : "deny";
        Optional<Request> found = store.find(requestId);
        if (found.isEmpty()) {
            return Outcome.refused(Reason.UNKNOWN_REQUEST);
        }
        Request request = found.get();
        if (!policy.isApprover(actor)) {
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
        if (request.status() != Status.REQUESTED) {
            return Outcome.refused(alreadyDecided(request));
        }
        // A denial and its notices are one write: a crash after it leaves them owed. An approval's are the run's.
        Optional<Request> stored = store.replace(request,
                request.withStatus(decision, clock.instant()).withApprover(actor, clock.instant()),
                approving ? List.of() : Effects.tellOf(Status.DENIED));
        if (stored.isEmpty()) {
            // Someone else decided between our read and our write: theirs stands.
            return Outcome.refused(store.find(requestId).map(Decisions::alreadyDecided).orElse(Notice.of(Reason.CHANGED_TRY_AGAIN)));
        }
        request = stored.get();
        audit.record(requestId, actor, verb, "kind=" + request.kind() + " iamUser=" + request.iamUserName(), "ok");
        log.info("request {} ({} of IAM user {}) {} by {}", requestId, request.kind(), request.iamUserName(), decision, actor);
        Request decided = request;
        if (approving) {
            // The run tells the approvers and the requester as it starts, beside its first steps
            // rather than before them (Runner#announce): nobody waits on that for the QR.
            afterAck.execute(() -> runner.run(requestId));
            return Outcome.done(request, Notice.of(Reason.APPROVED, "kind", request.kind(), "user", request.iamUserName()));
        }
        // People hear after the ack.
        afterAck.execute(() -> effects.settle(decided.id()));
        return Outcome.done(request, Notice.of(Reason.DENIED));
    }

    /** The requester, or an approver, withdraws a request nobody has decided on yet. */
    public Outcome<Request> cancel(String requestId, String actor) {
        Optional<Request> found = store.find(requestId);
        if (found.isEmpty()) {
            return Outcome.refused(Reason.UNKNOWN_REQUEST);
        }
        Request r = found.get();
        if (!actor.equals(r.requesterUserId()) && !policy.isApprover(actor)) {
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

    private static Notice alreadyDecided(Request r) {
        return r.approverUserId() == null
                ? Notice.of(Reason.ALREADY_DECIDED, "status", r.status())
                : Notice.of(Reason.ALREADY_DECIDED_BY, "status", r.status(), "approver", r.approverUserId());
    }
}
