package dev.awsonboard.lifecycle;

import dev.awsonboard.lifecycle.model.LinkChange;
import dev.awsonboard.lifecycle.model.Notice;
import dev.awsonboard.lifecycle.model.Reason;
import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.lifecycle.model.Step;
import dev.awsonboard.lifecycle.port.Outbox;
import dev.awsonboard.lifecycle.port.RequestStore;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * One run of one request by one worker: its current stored copy, and the means to move it on. Each
 * step is recorded before the next starts ({@link #step}), as a compare-and-set on the stored row,
 * so a resumed run skips what an earlier one recorded and a run someone else moved on stops.
 */
final class Run {
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

    private Request current;
    private final RequestKind kind;
    private final boolean resumed;
    private final RequestStore store;
    private final Claim claim;
    private final Clock clock;
    private final CrashProbe probe;
    private final AuditLog audit;
    final IamCalls iam;

    Run(Request r, RequestKind kind, boolean resumed, RequestStore store, Claim claim, Clock clock,
        CrashProbe probe, AuditLog audit, IamRetry retry) {
        this.current = r;
        this.kind = kind;
        this.resumed = resumed;
        this.store = store;
        this.claim = claim;
        this.clock = clock;
        this.probe = probe;
        this.audit = audit;
        // A run that lost its claim makes no further IAM call, not even the next attempt of one; before one
        // that changes something it makes sure with the store, so a worker that stalled while another took
        // over does not create (or delete) under the other's feet.
        this.iam = new IamCalls(r.id(), AuditLog.BOT, audit, retry, probe,
                action -> {
                    if (IamCalls.reads(action)) {
                        claim.check();
                    } else {
                        claim.confirm();
                    }
                });
    }

    Request current() {
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

    /** Like {@link #step(Step, Consumer)}; the link change the step makes goes in the write that records it. */
    void step(Step step, Consumer<Run> body, Function<Request, Optional<LinkChange>> link) {
        if (passed(step)) {
            return;
        }
        body.accept(this);
        save(current.withStep(step, clock.instant()), link.apply(current).orElse(null), List.of());
    }

    boolean passed(Step step) {
        return kind.order().indexOf(current.step()) >= kind.order().indexOf(step);
    }

    /**
     * Records a change: a compare-and-set against the copy this run wrote last, so that any other
     * writer since (a worker that took over) makes it stop. The claim is renewed by its heartbeat, not
     * here; a run that lost it writes nothing more.
     */
    Request save(Request next) {
        return save(next, null, List.of());
    }

    /** Records a change and, in the same write, what it owes ({@link Outbox}). */
    Request save(Request next, List<Outbox.Owed> owed) {
        return save(next, null, owed);
    }

    /** Records a change and a change to the links (none when {@code link} is null) in the same write. */
    Request save(Request next, LinkChange link) {
        return save(next, link, List.of());
    }

    /** Records a change, the change to the links it makes (or null) and what it owes, all in one write. */
    Request save(Request next, LinkChange link, List<Outbox.Owed> owed) {
        claim.check();
        Request before = current;
        Optional<Request> stored = store.replace(current, next, link, owed);
        if (stored.isEmpty()) {
            stored = rebasedOnMessages(next, link, owed);
        }
        current = stored.orElseThrow(Superseded::new);
        probe.reached("saved " + current.status() + "/" + current.step()
                + (current.qrFileId() != null && before.qrFileId() == null ? " +qr" : ""));
        return current;
    }

    /**
     * The approval messages may be recorded after an approval came in (an approver clicked while the
     * others were still being posted): that write is nobody's step, so this run's change goes on top of
     * it instead of taking it for another worker. Any other change since means the run lost the request.
     */
    private Optional<Request> rebasedOnMessages(Request next, LinkChange link, List<Outbox.Owed> owed) {
        Optional<Request> now = store.find(current.id());
        if (now.isEmpty()) {
            return Optional.empty();
        }
        Request theirs = now.get();
        Request ours = current.withApprovalMessages(theirs.approvalMessages(), theirs.updatedAt()).withVersion(theirs.version());
        if (!ours.equals(theirs)) {
            return Optional.empty();
        }
        return store.replace(theirs, next.withApprovalMessages(theirs.approvalMessages(), next.updatedAt()), link, owed);
    }

    Request update(UnaryOperator<Request> change) {
        return save(change.apply(current));
    }

    Request update(UnaryOperator<Request> change, List<Outbox.Owed> owed) {
        return save(change.apply(current), owed);
    }

    Request update(UnaryOperator<Request> change, LinkChange link) {
        return save(change.apply(current), link);
    }

    /** Makes sure, with the store, that this run still holds the request, before a step nobody could take back. */
    void confirmClaim() {
        claim.confirm();
    }

    /** This run's claim on the request was taken over, or ran out: it must stop and undo nothing. */
    boolean lost() {
        return claim.lost();
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
