package dev.awsonboard.lifecycle;

import dev.awsonboard.lifecycle.model.Notice;
import dev.awsonboard.lifecycle.model.Reason;
import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.lifecycle.model.Status;
import dev.awsonboard.lifecycle.port.Leases;
import dev.awsonboard.lifecycle.port.IamException;
import dev.awsonboard.lifecycle.port.Notifier;
import dev.awsonboard.lifecycle.port.Outbox;
import dev.awsonboard.lifecycle.port.RequestStore;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;

/**
 * Carries out approved requests: claims the request (a lease in the store, so one worker in
 * all replicas runs it), then runs its {@link RequestKind} step by step, recording each
 * step before the next starts, so {@link #run} can be called again after a crash and picks up
 * where it stopped. A failure marks the request FAILED and undoes what the procedure allows.
 */
public final class Runner {
    private static final Logger log = LoggerFactory.getLogger(Runner.class);

    private final RequestStore store;
    private final Leases leases;
    private final Clock clock;
    private final AuditLog audit;
    private final IamRetry retry;
    private final Lease lease;
    private final CrashProbe probe;
    private final Effects effects;
    /** Where telling people that a run started goes, beside the run itself. */
    private final Executor notices;
    private final Kinds kinds;
    private final Tell tell;
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    private final Heartbeats heartbeats;

    Runner(RequestStore store, Leases leases, Kinds kinds, Notifier notifier, Clock clock, IamRetry retry, Lease lease,
           CrashProbe probe, Effects effects, Executor notices, Heartbeats heartbeats) {
        this.heartbeats = heartbeats;
        this.store = store;
        this.leases = leases;
        this.kinds = kinds;
        this.notices = notices;
        this.clock = clock;
        this.audit = new AuditLog(store, clock);
        this.tell = new Tell(notifier, audit);
        this.retry = retry;
        this.lease = lease;
        this.probe = probe;
        this.effects = effects;
    }

    public void run(String requestId) {
        // Every log line of this run carries the request id as a field (never a secret).
        try (var ignored = org.slf4j.MDC.putCloseable("request_id", requestId)) {
            runLogged(requestId);
        }
    }

    private void runLogged(String requestId) {
        Optional<Request> found = store.find(requestId);
        if (found.isEmpty() || !Status.RESUMABLE.contains(found.get().status())) {
            return;
        }
        // The lease keeps other processes out; this set keeps out other threads of this one,
        // which share the lease owner (a sweep and a resume can reach the same request).
        if (!running.add(requestId)) {
            return;
        }
        try {
            Optional<Claim> claim = Claim.take(leases, heartbeats, requestId, lease, clock);
            if (claim.isEmpty()) {
                log.info("request {}: another worker holds it; leaving it", requestId);
                return;
            }
            boolean finished = false; // stays false only when the worker dies mid-run (an Error)
            Runnable afterwards = null;
            try {
                // Re-read under the claim: the previous holder may have moved it on since.
                Request r = store.find(requestId).orElseThrow();
                if (Status.RESUMABLE.contains(r.status())) {
                    afterwards = runClaimed(r, claim.get());
                }
                finished = true;
            } finally {
                // A dead worker beats no more: its lease runs out and another worker takes over.
                claim.get().stop(finished);
            }
            // What the last write owes is carried out with the request let go: the person's codes or
            // click, which take the request's lease, never wait for the approvers' message or an undo.
            if (afterwards != null) {
                afterwards.run();
            }
            probe.reached("run ended");
        } finally {
            running.remove(requestId);
        }
    }

    /** Runs the steps; returns what is left to do once the request is let go (telling people of the end), if anything. */
    private Runnable runClaimed(Request r, Claim claim) {
        RequestKind kind = kinds.of(r.kind());
        Run run = new Run(r, kind, r.status() == Status.PROVISIONING, store, claim, clock, probe, audit, retry);
        FutureTask<Void> started = null;
        try {
            if (r.status() == Status.APPROVED) {
                r = run.save(r.withStatus(Status.PROVISIONING, clock.instant()));
                started = announce(r);
            }
            if (r.status() != Status.PROVISIONING) {
                return null;
            }
            // Also when resumed: the run that started it may have died before it got here.
            supersedeOpenSetups(r);
            kind.carryOut(run);
            Request finished = run.current().withStatus(kind.finished(), clock.instant());
            // The end and what people are told of it are one write: a crash after it leaves them owed, and
            // the sweep tells them. Told once the start was told, so no message goes back in time. The
            // person's buttons come first, once the status that makes them valid is stored.
            List<Outbox.Owed> owed = new ArrayList<>();
            if (Status.AWAITING_PERSON.contains(finished.status())) {
                owed.add(Outbox.Owed.of(Outbox.Effect.POST_SETUP, finished.status()));
            }
            owed.addAll(kind.tellsPerson() ? Effects.tellOfWithPerson(finished, finished.status()) : Effects.tellOf(finished.status()));
            Request done = run.save(finished, owed);
            log.info("request {} ({} of IAM user {}): steps done, now {}", done.id(), done.kind(), done.iamUserName(), done.status());
            audit.record(done.id(), AuditLog.BOT, "steps-done", "status=" + done.status(), "ok");
            FutureTask<Void> announced = started;
            return () -> {
                if (Status.AWAITING_PERSON.contains(done.status())) {
                    effects.settle(done.id(), Outbox.Effect.POST_SETUP); // the person's buttons wait for no approvers' message
                }
                settle(announced);
                effects.settle(done.id());
            };
        } catch (Run.Superseded e) {
            log.info("request {}: another worker moved it on; leaving it", r.id());
            return null;
        } catch (Run.StepFailed e) {
            settle(started);
            return fail(run, e.notice);
        } catch (IamException e) {
            // The raw AWS text (ARNs, request ids) stays in the log; people get the code.
            log.warn("request {}: {} failed: {}", r.id(), run.iam.lastFailedAction(), e.getMessage());
            settle(started);
            return fail(run, describe(run.iam.lastFailedAction(), e));
        } catch (RuntimeException e) {
            log.error("request {}: stopped unexpectedly ({})", r.id(), e.getClass().getSimpleName(), e);
            settle(started);
            return fail(run, Notice.of(Reason.UNEXPECTED, "what", e.getClass().getSimpleName()));
        }
    }

    /**
     * Tells the approvers (their message) and the requester that the run started. None of it is on
     * the way to the person's QR, so it goes beside the steps instead of before them (at 50 ms per
     * Slack call, three round trips); {@link #settle} makes sure it is over before anyone hears how
     * the run ended, so no message is ever updated out of order.
     */
    private FutureTask<Void> announce(Request r) {
        FutureTask<Void> task = new FutureTask<>(() -> {
            try (var ignored = org.slf4j.MDC.putCloseable("request_id", r.id())) {
                tell.approversAndRequester(r, "slack:notify-decision");
            }
        }, null);
        try {
            notices.execute(task);
        } catch (RejectedExecutionException stopping) {
            // settle() runs it on this thread
        }
        return task;
    }

    /** Waits for {@code task}, running it here if no thread has taken it up yet (a busy pool cannot deadlock this). */
    private static void settle(FutureTask<Void> task) {
        if (task == null) {
            return;
        }
        task.run(); // no-op when it ran or is running elsewhere
        try {
            task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            log.warn("telling people that a run started failed: {}", e.getCause().getClass().getSimpleName());
        }
    }

    /**
     * Setups of the same IAM user still waiting for the person (a QR not yet used, a password not
     * yet shown) belong to the past once this request runs: their QR and buttons stop working.
     */
    private void supersedeOpenSetups(Request by) {
        for (Request other : store.findOpenByIamUserName(by.iamUserName())) {
            if (!other.id().equals(by.id()) && Status.AWAITING_PERSON.contains(other.status())) {
                supersede(other, by);
            }
        }
    }

    /**
     * {@code by} now runs for the same IAM user: this setup, still waiting for the person, is cancelled,
     * and that write owes its unused MFA device, its QR and its buttons gone, and the approvers told. IAM
     * is otherwise left to {@code by}.
     */
    private void supersede(Request open, Request by) {
        Optional<Request> cancelled = store.replace(open,
                Effects.ended(open, Status.CANCELLED, Notice.of(Reason.SUPERSEDED, "id", by.id(), "kind", by.kind()), clock.instant()),
                Effects.ofEnding(open, Status.CANCELLED, Outbox.Effect.DELETE_DEVICE, false));
        if (cancelled.isEmpty()) {
            return; // it moved on meanwhile (the person finished, or it expired): nothing to supersede
        }
        audit.record(open.id(), AuditLog.BOT, "supersede", "by=" + by.id(), "ok");
        log.info("request {}: replaced by request {} ({})", open.id(), by.id(), by.kind());
        probe.reached("saved CANCELLED (superseded)");
        effects.settle(open.id());
    }

    static Notice describe(String action, IamException e) {
        Reason reason = switch (e.kind()) {
            case ACCESS_DENIED -> Reason.IAM_ACCESS_DENIED;
            case LIMIT_EXCEEDED -> Reason.IAM_LIMIT_REACHED;
            case THROTTLED, UNAVAILABLE, TEMPORARILY_UNMODIFIABLE -> Reason.IAM_UNAVAILABLE;
            default -> Reason.IAM_FAILED;
        };
        String what = action == null ? "" : action.substring(action.indexOf(':') + 1);
        return Notice.of(reason, "action", what, "code", e.code());
    }

    /**
     * Marks the request FAILED, a compare-and-set against the copy this run wrote last: if anyone else
     * moved it on since (another worker took it over), this run stops there and undoes nothing of
     * theirs. The same write owes the undo (so a failure leaves no half-made user, even after a crash),
     * the QR's deletion, the person's setup closed and people told.
     */
    private Runnable fail(Run run, Notice why) {
        Request r = run.current();
        if (run.lost()) {
            log.info("request {}: this run lost its claim to another worker; its failure ({}) undoes nothing", r.id(), why.reason());
            return null;
        }
        Optional<Request> failed = store.replace(r, Effects.ended(r, Status.FAILED, why, clock.instant()),
                Effects.ofEnding(r, Status.FAILED, Outbox.Effect.UNDO, true));
        if (failed.isEmpty()) {
            log.info("request {}: moved on by another worker; this run's failure ({}) undoes nothing", r.id(), why.reason());
            return null;
        }
        log.warn("request {} failed: {}", r.id(), why.reason());
        audit.record(r.id(), AuditLog.BOT, "fail", why.reason() + " " + why.args().values(), "failed");
        probe.reached("saved FAILED");
        return () -> effects.settle(r.id());
    }
}
