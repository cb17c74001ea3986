package dev.awsonboard.lifecycle;

import dev.awsonboard.lifecycle.model.Kind;
import dev.awsonboard.lifecycle.model.Notice;
import dev.awsonboard.lifecycle.model.Reason;
import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.lifecycle.model.Status;
import dev.awsonboard.lifecycle.model.Step;
import dev.awsonboard.lifecycle.port.Leases;
import dev.awsonboard.lifecycle.port.IamException;
import dev.awsonboard.lifecycle.port.Notifier;
import dev.awsonboard.lifecycle.port.NotifierException;
import dev.awsonboard.lifecycle.port.RequestStore;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Carries out approved requests: claims the request (a lease in the store, so one worker in
 * all replicas runs it), then runs its kind's {@link Procedure} step by step, recording each
 * step before the next starts, so {@link #run} can be called again after a crash and picks up
 * where it stopped. A failure marks the request FAILED and undoes what the procedure allows.
 */
public final class Runner {
    private static final Logger log = LoggerFactory.getLogger(Runner.class);

    private final RequestStore store;
    private final Leases leases;
    private final Notifier notifier;
    private final Clock clock;
    private final AuditLog audit;
    private final IamRetry retry;
    private final Lease lease;
    private final CrashProbe probe;
    private final Cleanup cleanup;
    /** Where telling people that a run started goes, beside the run itself. */
    private final Executor notices;
    private final Map<Kind, Procedure> procedures = new EnumMap<>(Kind.class);
    private final Set<String> running = ConcurrentHashMap.newKeySet();

    Runner(RequestStore store, Leases leases, Notifier notifier, Clock clock, IamRetry retry, Lease lease, CrashProbe probe, Cleanup cleanup,
           Executor notices) {
        this.store = store;
        this.leases = leases;
        this.notices = notices;
        this.notifier = notifier;
        this.clock = clock;
        this.audit = new AuditLog(store, clock);
        this.retry = retry;
        this.lease = lease;
        this.probe = probe;
        this.cleanup = cleanup;
    }

    Runner with(Kind kind, Procedure procedure) {
        procedures.put(kind, procedure);
        return this;
    }

    Procedure procedure(Kind kind) {
        return procedures.get(kind);
    }

    /** Thrown inside a run when a step cannot go on; the run marks the request FAILED with this notice. */
    static final class StepFailed extends RuntimeException {
        final Notice notice;

        StepFailed(Notice notice) {
            super(notice.reason().name(), null, false, false);
            this.notice = notice;
        }
    }

    /** Thrown when our compare-and-set lost: someone else moved the request on. */
    static final class Superseded extends RuntimeException {
        Superseded() {
            super(null, null, false, false);
        }
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
            if (!claim(requestId)) {
                log.info("request {}: another worker holds it; leaving it", requestId);
                return;
            }
            boolean finished = false; // stays false only when the worker dies mid-run (an Error)
            try {
                // Re-read under the claim: the previous holder may have moved it on since.
                Request r = store.find(requestId).orElseThrow();
                if (Status.RESUMABLE.contains(r.status())) {
                    runClaimed(r);
                }
                finished = true;
            } finally {
                if (finished) {
                    leases.release(requestId, lease.owner());
                }
            }
        } finally {
            running.remove(requestId);
        }
    }

    private boolean claim(String requestId) {
        return leases.claim(requestId, lease.owner(), clock.instant(), clock.instant().plus(lease.ttl()));
    }

    private void runClaimed(Request r) {
        Procedure procedure = procedures.get(r.kind());
        Run run = new Run(r, procedure, r.status() == Status.PROVISIONING);
        FutureTask<Void> started = null;
        try {
            if (r.status() == Status.APPROVED) {
                r = run.save(r.withStatus(Status.PROVISIONING, clock.instant()));
                started = announce(r);
            }
            if (r.status() != Status.PROVISIONING) {
                return;
            }
            // Also when resumed: the run that started it may have died before it got here.
            supersedeOpenSetups(r);
            procedure.carryOut(run);
            Request finished = run.current().withStatus(procedure.finished(), clock.instant());
            Request done;
            if (Status.AWAITING_PERSON.contains(finished.status())) {
                // The person holds their QR or button now and may answer at once: record that first,
                // so their codes never meet a request still marked as provisioning while Slack is slow
                // to take the notices. A crash before the notices leaves the approvers' message behind
                // until the person finishes, which redraws it.
                done = run.save(finished);
                settle(started);
                refresh(done);
                tellRequester(done);
            } else {
                // People hear before the end is recorded: after a crash in between, the resumed run finds
                // every step done and tells them again. Told after it, a crash would leave them untold
                // for good (nothing resumes a finished request), e.g. never seeing an offboarding's summary.
                settle(started);
                refresh(finished);
                tellRequester(finished);
                run.reached("after slack:told-requester");
                done = run.save(finished);
            }
            log.info("request {} ({} of IAM user {}): steps done, now {}", done.id(), done.kind(), done.iamUserName(), done.status());
            audit.record(done.id(), AuditLog.BOT, "steps-done", "status=" + done.status(), "ok");
        } catch (Superseded e) {
            log.info("request {}: another worker moved it on; leaving it", r.id());
        } catch (StepFailed e) {
            settle(started);
            fail(r.id(), e.notice);
        } catch (IamException e) {
            // The raw AWS text (ARNs, request ids) stays in the log; people get the code.
            log.warn("request {}: {} failed: {}", r.id(), run.iam.lastFailedAction(), e.getMessage());
            settle(started);
            fail(r.id(), describe(run.iam.lastFailedAction(), e));
        } catch (RuntimeException e) {
            log.error("request {}: stopped unexpectedly ({})", r.id(), e.getClass().getSimpleName(), e);
            settle(started);
            fail(r.id(), Notice.of(Reason.UNEXPECTED, "what", e.getClass().getSimpleName()));
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
                tellDecision(r);
            }
        }, null);
        try {
            notices.execute(task);
        } catch (RejectedExecutionException stopping) {
            // settle() runs it on this thread
        }
        return task;
    }

    /** The approvers' message and the requester learn of a decision (for an approval: that the run started). */
    void tellDecision(Request r) {
        try {
            notifier.refreshApprovalRequest(r);
            notifier.notifyRequester(r);
        } catch (NotifierException e) {
            // Recorded, not dropped: the decision stands and the trail says who was not told.
            audit.record(r.id(), AuditLog.BOT, "slack:notify-decision", "", e.code());
            log.warn("request {}: could not update Slack after the decision: {}", r.id(), e.code());
        }
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
                cleanup.supersede(other, by);
            }
        }
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

    private void fail(String requestId, Notice why) {
        for (int i = 0; i < 5; i++) {
            Optional<Request> current = store.find(requestId);
            if (current.isEmpty() || current.get().status().isTerminal()) {
                return;
            }
            Request r = current.get();
            Optional<Request> failed = store.replace(r, r.withEnding(Status.FAILED, why, clock.instant()));
            if (failed.isPresent()) {
                log.warn("request {} failed: {}", requestId, why.reason());
                audit.record(requestId, AuditLog.BOT, "fail", why.reason() + " " + why.args().values(), "failed");
                // Undo what the procedure allows, so a failure leaves no half-made user.
                Request cleaned = procedures.get(r.kind()).undo(failed.get());
                cleanup.endSetup(cleaned);
                refresh(cleaned);
                tellRequester(cleaned);
                return;
            }
        }
    }

    private void refresh(Request r) {
        try {
            notifier.refreshApprovalRequest(r);
        } catch (NotifierException e) {
            audit.record(r.id(), AuditLog.BOT, "slack:update-approval", "", e.code());
            log.warn("request {}: could not update the approval message: {}", r.id(), e.code());
        }
    }

    private void tellRequester(Request r) {
        try {
            notifier.notifyRequester(r);
        } catch (NotifierException e) {
            audit.record(r.id(), AuditLog.BOT, "slack:notify-requester", "to=" + r.requesterUserId(), e.code());
            log.warn("request {}: could not tell the requester: {}", r.id(), e.code());
        }
    }

    /** One run of one request: its current stored copy, and the means to move it on. */
    public final class Run {
        private Request current;
        private final Procedure procedure;
        private final boolean resumed;
        final IamCalls iam;

        /** When this run last claimed the request (just before it was made). */
        private Instant claimed;

        private Run(Request r, Procedure procedure, boolean resumed) {
            this.current = r;
            this.procedure = procedure;
            this.resumed = resumed;
            this.iam = new IamCalls(r.id(), AuditLog.BOT, audit, retry, probe);
            this.claimed = clock.instant();
        }

        public Request current() {
            return current;
        }

        /** An earlier run started this request and stopped (a crash): it may have done more than it recorded. */
        boolean resumed() {
            return resumed;
        }

        Instant now() {
            return clock.instant();
        }

        /** Runs {@code body} unless an earlier run recorded {@code step}; then records it. */
        void step(Step step, Consumer<Run> body) {
            if (passed(step)) {
                return;
            }
            body.accept(this);
            save(current.withStep(step, clock.instant()));
        }

        boolean passed(Step step) {
            return procedure.order().indexOf(current.step()) >= procedure.order().indexOf(step);
        }

        /**
         * Records a change, renewing our claim once a fifth of it has passed; losing either means someone
         * else took over. A fresher claim cannot have run out, so renewing it at every step only added a
         * database write to each of them; the compare-and-set on the row still catches any other writer.
         */
        Request save(Request next) {
            Instant now = clock.instant();
            if (!now.isBefore(claimed.plus(lease.ttl().dividedBy(5)))) {
                if (!claim(current.id())) {
                    throw new Superseded();
                }
                claimed = now;
            }
            Request before = current;
            current = store.replace(current, next).orElseThrow(Superseded::new);
            probe.reached("saved " + current.status() + "/" + current.step()
                    + (current.qrFileId() != null && before.qrFileId() == null ? " +qr" : ""));
            return current;
        }

        Request update(UnaryOperator<Request> change) {
            return save(change.apply(current));
        }

        StepFailed fail(Reason reason, Object... namesAndValues) {
            return new StepFailed(Notice.of(reason, namesAndValues));
        }

        void reached(String point) {
            probe.reached(point);
        }

        AuditLog audit() {
            return audit;
        }
    }
}
