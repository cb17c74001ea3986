package dev.awsonboard.lifecycle;

import dev.awsonboard.lifecycle.model.MessageRef;
import dev.awsonboard.lifecycle.model.Notice;
import dev.awsonboard.lifecycle.model.Reason;
import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.lifecycle.model.Status;
import dev.awsonboard.lifecycle.port.Leases;
import dev.awsonboard.lifecycle.port.Notifier;
import dev.awsonboard.lifecycle.port.NotifierException;
import dev.awsonboard.lifecycle.port.RequestStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Use case, the half after the acknowledgement: a submitted request's kind asks Slack about the
 * person and IAM about the user ({@link RequestKind#check}); then the request either goes before
 * the approvers or is rejected, and the requester is told either way.
 */
final class Screening {
    private static final Logger log = LoggerFactory.getLogger(Screening.class);

    private final RequestStore store;
    private final Leases leases;
    private final Lease lease;
    private final Kinds kinds;
    private final Checks checks;
    private final Notifier notifier;
    private final Approvers approvers;
    private final Clock clock;
    private final AuditLog audit;
    private final Tell tell;
    private final Runner runner;
    /** Checks running in this process, which share the lease owner with each other. */
    private final Set<String> checking = ConcurrentHashMap.newKeySet();

    /** @param runner runs what its requester decided ({@link RequestKind#decidedByItsRequester}) */
    Screening(RequestStore store, Leases leases, Lease lease, Kinds kinds, Checks checks, Notifier notifier,
              Approvers approvers, Clock clock, Runner runner) {
        this.runner = runner;
        this.store = store;
        this.approvers = approvers;
        this.leases = leases;
        this.lease = lease;
        this.kinds = kinds;
        this.checks = checks;
        this.notifier = notifier;
        this.clock = clock;
        this.audit = new AuditLog(store, clock);
        this.tell = new Tell(notifier, audit);
    }

    /**
     * The checks that ask Slack and IAM. Runs once per request across replicas (its check lease);
     * a restart picks up requests left SUBMITTED ({@link Sweeper}).
     */
    void check(String requestId, Optional<Intake.Reply> reply) {
        Optional<Request> found = store.find(requestId);
        if (found.isEmpty() || found.get().status() != Status.SUBMITTED) {
            return;
        }
        if (!checking.add(requestId)) {
            return;
        }
        try {
            if (leases.claim(checkLease(requestId), lease.owner(), clock.instant(), clock.instant().plus(lease.ttl()))) {
                checkClaimed(requestId, reply);
            }
        } finally {
            checking.remove(requestId);
        }
    }

    private void checkClaimed(String requestId, Optional<Intake.Reply> reply) {
        Request outcome = null;
        try (var ignored = org.slf4j.MDC.putCloseable("request_id", requestId)) {
            Request r = store.find(requestId).orElseThrow();
            if (r.status() != Status.SUBMITTED) {
                return;
            }
            try {
                RequestKind kind = kinds.of(r.kind());
                Request checked = kind.check(checks, r);
                outcome = kind.decidedByItsRequester() ? approvedByItsRequester(r, checked) : putBeforeApprovers(r, checked);
            } catch (Refusal e) {
                outcome = reject(r, e.notice);
            }
            if (outcome != null) {
                answer(outcome, reply);
            }
        } finally {
            leases.release(checkLease(requestId), lease.owner());
        }
        if (outcome != null && outcome.status() == Status.APPROVED) {
            runner.run(outcome.id()); // a crash before this leaves it APPROVED, which the sweep resumes
        }
    }

    /** Checked, and decided by the click that asked for it: approved by its requester, nobody else asked. */
    private Request approvedByItsRequester(Request submitted, Request checked) {
        Optional<Request> stored = store.replace(submitted, checked.withStatus(Status.APPROVED, clock.instant())
                .withApprover(submitted.requesterUserId(), clock.instant()));
        if (stored.isEmpty()) {
            return null; // cancelled meanwhile
        }
        Request r = stored.get();
        audit.record(r.id(), r.requesterUserId(), "approve", "kind=" + r.kind() + " iamUser=" + r.iamUserName()
                + " for=" + r.targetUserId() + " (decided by the click that asked)", "ok");
        log.info("request {} ({} of IAM user {}) approved by its requester {}", r.id(), r.kind(), r.iamUserName(),
                r.requesterUserId());
        return r;
    }

    /**
     * The checks hold a lease of their own, not the request's: they end by telling the requester,
     * after the request is already before the approvers, and an approval taken meanwhile by
     * another replica found the request's lease held and left the run to the next sweep.
     */
    private static String checkLease(String requestId) {
        return "check:" + requestId;
    }

    /** Checked: waiting for approval, and the approvers are asked. */
    private Request putBeforeApprovers(Request submitted, Request checked) {
        Optional<Request> stored = store.replace(submitted, checked.withStatus(Status.REQUESTED, clock.instant())
                .withNeeds(approvers.needs(checked, List.of(), Approvers.Wait.NEVER), clock.instant()));
        if (stored.isEmpty()) {
            return null; // cancelled meanwhile: the canceller told people
        }
        Request r = stored.get();
        audit.record(r.id(), AuditLog.BOT, "checked", "for=" + r.targetUserId()
                + (r.plan().isEmpty() ? "" : " holds=" + r.plan().size()) + " " + Decisions.progress(r.needs()), "ok");
        return postApproval(r);
    }

    /** Asks the approvers; a request nobody can be asked about is rejected. Also used to repair after a crash. */
    Request postApproval(Request r) {
        List<MessageRef> refs;
        try {
            Notifier.Audience audience = approvers.audience(r);
            if (audience.isEmpty()) {
                audit.record(r.id(), AuditLog.BOT, "slack:post-approval-request", "", "no_approvers");
                return reject(r, Notice.of(Reason.APPROVERS_UNREACHABLE, "code", "no_approvers"));
            }
            refs = notifier.postApprovalRequest(r, audience);
        } catch (NotifierException e) {
            audit.record(r.id(), AuditLog.BOT, "slack:post-approval-request", "", e.code());
            return reject(r, Notice.of(Reason.APPROVERS_UNREACHABLE, "code", e.code()));
        }
        return recordApprovalMessages(r, refs);
    }

    /**
     * Every message posted is recorded, even on a request that moved on while they went out (cancelled,
     * or decided from App Home): else its buttons would stay live and never be redrawn. One that moved on
     * is redrawn at once, so its messages say how it stands.
     */
    private Request recordApprovalMessages(Request r, List<MessageRef> refs) {
        Request current = r;
        for (int attempt = 0; attempt < 10; attempt++) {
            List<MessageRef> all = new java.util.ArrayList<>(current.approvalMessages());
            refs.stream().filter(ref -> !all.contains(ref)).forEach(all::add);
            Optional<Request> stored = store.replace(current, current.withApprovalMessages(all, clock.instant()));
            if (stored.isPresent()) {
                if (stored.get().status() != Status.REQUESTED) {
                    tell.approvers(stored.get());
                }
                return stored.get();
            }
            Optional<Request> again = store.find(r.id());
            if (again.isEmpty()) {
                return r;
            }
            current = again.get();
        }
        log.warn("request {}: could not record its approval messages", r.id());
        return current;
    }

    private Request reject(Request r, Notice why) {
        Optional<Request> rejected = store.replace(r, r.withEnding(Status.REJECTED, why, clock.instant()));
        if (rejected.isEmpty()) {
            return null;
        }
        audit.record(r.id(), AuditLog.BOT, "reject", why.reason() + " " + why.args().values(), "rejected");
        log.info("request {} ({} of IAM user {}) rejected: {}", r.id(), r.kind(), r.iamUserName(), why.reason());
        return rejected.get();
    }

    /** The requester hears how the checks went: through the command's reply if there is one, else by DM. */
    private void answer(Request r, Optional<Intake.Reply> reply) {
        if (reply.isPresent()) {
            try {
                reply.get().send(r);
                return;
            } catch (RuntimeException e) {
                log.info("request {}: the reply to the requester failed ({}); sending a DM", r.id(), e.getMessage());
            }
        }
        tell.requester(r);
    }
}
