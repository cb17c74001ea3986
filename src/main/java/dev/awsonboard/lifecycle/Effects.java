package dev.awsonboard.lifecycle;

import dev.awsonboard.lifecycle.model.MessageRef;
import dev.awsonboard.lifecycle.model.Notice;
import dev.awsonboard.lifecycle.model.Reason;
import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.lifecycle.model.Status;
import dev.awsonboard.lifecycle.port.IamException;
import dev.awsonboard.lifecycle.port.Leases;
import dev.awsonboard.lifecycle.port.Notifier;
import dev.awsonboard.lifecycle.port.NotifierException;
import dev.awsonboard.lifecycle.port.Outbox;
import dev.awsonboard.lifecycle.port.Outbox.Effect;
import dev.awsonboard.lifecycle.port.Outbox.Owed;
import dev.awsonboard.lifecycle.port.RequestStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Carries out what stored changes owe ({@link Outbox}): the writer right after its write
 * ({@link #settle}), and every sweep whatever is still due ({@link #drainDue}), on any replica, until
 * each effect is confirmed. One drain per subject at a time across replicas (a lease of its own), its
 * effects in the order owed. Every effect is safe to carry out again: undoing looks at IAM as it is, a
 * file already gone is deleted, a message is redrawn from the request as stored; a notice whose request
 * has moved on since is dropped, as the later write owes what to say then. A failed try waits, longer
 * each time; IAM undos and QR deletions are tried until they succeed, a notice Slack refuses for good
 * (or keeps failing {@link #NOTICE_ATTEMPTS} times) is given up and written to the audit trail.
 */
final class Effects {
    private static final Logger log = LoggerFactory.getLogger(Effects.class);
    static final Duration FIRST_RETRY = Duration.ofMinutes(1);
    static final Duration LAST_RETRY = Duration.ofHours(1);
    static final int NOTICE_ATTEMPTS = 10;
    /** Effects whose carrying out may owe more of the same subject. */
    private static final Set<Effect> MAY_OWE_MORE = java.util.EnumSet.of(Effect.UNDO, Effect.DELETE_DEVICE, Effect.POST_SETUP);
    /** Subjects one sweep drains at most; the rest wait for the next. */
    static final int DRAIN_BATCH = 200;

    /** What one drain did, for the sweep's report. */
    record Drained(int settled, int qrFilesDeleted) {
        static final Drained NONE = new Drained(0, 0);

        Drained plus(Drained o) {
            return new Drained(settled + o.settled, qrFilesDeleted + o.qrFilesDeleted);
        }
    }

    /** A try that did not work out, and whether it is worth another. */
    private static final class NotDone extends RuntimeException {
        final String code;
        final boolean retry;

        NotDone(String code, boolean retry) {
            super(code, null, false, false);
            this.code = code;
            this.retry = retry;
        }
    }

    private final RequestStore store;
    private final Outbox outbox;
    private final Leases leases;
    private final Lease lease;
    private final Kinds kinds;
    private final Cleanup cleanup;
    private final Notifier notifier;
    private final AuditLog audit;
    private final Clock clock;
    private final CrashProbe probe;
    private final Heartbeats heartbeats;
    /**
     * One drain per subject at a time in this process too (its threads share the lease owner): a writer
     * waits for another thread's drain of its subject and then carries out what it wrote, so what it
     * owes is done when it returns; a sweep passes a subject someone is draining.
     */
    private final ReentrantLock[] locks = new ReentrantLock[64];
    private volatile Departures departures;

    Effects(RequestStore store, Outbox outbox, Leases leases, Lease lease, Kinds kinds, Cleanup cleanup, Notifier notifier,
            Clock clock, CrashProbe probe, Heartbeats heartbeats) {
        this.heartbeats = heartbeats;
        this.store = store;
        this.outbox = outbox;
        this.leases = leases;
        this.lease = lease;
        this.kinds = kinds;
        this.cleanup = cleanup;
        this.notifier = notifier;
        this.audit = new AuditLog(store, clock);
        this.clock = clock;
        this.probe = probe;
        for (int i = 0; i < locks.length; i++) {
            locks[i] = new ReentrantLock();
        }
    }

    /** Who files the offboardings of a person who left ({@link Effect#PERSON_LEFT}); built after this, through the intake. */
    void departures(Departures d) {
        this.departures = d;
    }

    // --- what a write owes ---

    /**
     * {@code r} ended without success: the request as stored next, its QR no longer its own (the
     * deletion is owed instead, by the same write).
     */
    static Request ended(Request r, Status status, Notice why, Instant now) {
        return r.withEnding(status, why, now).withDelivery(r.dmChannel(), null, now);
    }

    /**
     * What the write that ends {@code r} in {@code status} owes: {@code undo} in IAM first (null for
     * none), the QR deleted, the person's setup closed, the approval messages redrawn, the requester
     * told if {@code requester}. The notices tell of {@code status}.
     */
    static List<Owed> ofEnding(Request r, Status status, Effect undo, boolean requester) {
        List<Owed> owed = new ArrayList<>();
        if (undo != null) {
            owed.add(Owed.of(undo));
        }
        if (r.qrFileId() != null) {
            owed.add(Owed.of(Effect.DELETE_QR, r.qrFileId()));
        }
        if (r.dmChannel() != null || r.setupMessage() != null || Status.AWAITING_PERSON.contains(r.status())) {
            owed.add(Owed.of(Effect.CLOSE_SETUP, status));
        }
        owed.add(Owed.of(Effect.TELL_APPROVERS, status));
        if (requester) {
            owed.add(Owed.of(Effect.TELL_REQUESTER, status));
        }
        return owed;
    }

    /** The approvers' messages and the requester are told of {@code status}. */
    static List<Owed> tellOf(Status status) {
        return List.of(Owed.of(Effect.TELL_APPROVERS, status), Owed.of(Effect.TELL_REQUESTER, status));
    }

    /** As {@link #tellOf(Status)}, and the person {@code r} is for when someone else asked for it. */
    static List<Owed> tellOfWithPerson(Request r, Status status) {
        if (r.targetUserId().equals(r.requesterUserId())) {
            return tellOf(status);
        }
        List<Owed> owed = new ArrayList<>(tellOf(status));
        owed.add(Owed.of(Effect.TELL_PERSON, status));
        return owed;
    }

    // --- carrying it out ---

    /**
     * Carries out what {@code subject} owes, right after the write that owes it: what was never tried
     * yet, and what is due; done (or failed, and owed) when it returns. Waits for another thread of this
     * process draining the subject; another replica's drain leaves it to that drain or the sweep.
     */
    void settle(String subject) {
        settle(subject, null);
    }

    /** As {@link #settle(String)}, only the effects of kind {@code only} (null: all): what must not wait for the rest. */
    void settle(String subject, Effect only) {
        try {
            drain(subject, true, only);
        } catch (RuntimeException e) {
            // Still owed: the sweep tries again. The write that owes it stands.
            log.warn("{}: carrying out what it owes failed: {}", subject, e.getClass().getSimpleName(), e);
        }
    }

    /**
     * Every subject with an effect due, each on its own: one that fails does not stop the others. An
     * effect never tried is its writer's for {@link Sweeper#GRACE}, so a sweep does not race the writer
     * that is carrying it out (and telling people in order) right now.
     */
    Drained drainDue() {
        Drained total = Drained.NONE;
        for (String subject : outbox.due(clock.instant(), DRAIN_BATCH)) {
            try {
                total = total.plus(drain(subject, false, null));
            } catch (RuntimeException e) {
                log.warn("{}: carrying out what it owes failed: {}", subject, e.getClass().getSimpleName(), e);
            }
        }
        return total;
    }

    private Drained drain(String subject, boolean writer, Effect only) {
        ReentrantLock lock = locks[Math.floorMod(subject.hashCode(), locks.length)];
        if (writer) {
            lock.lock();
        } else if (!lock.tryLock()) {
            return Drained.NONE;
        }
        try {
            return drainClaimed(subject, writer, only);
        } finally {
            lock.unlock();
        }
    }

    private Drained drainClaimed(String subject, boolean writer, Effect only) {
        Instant now = clock.instant();
        // A claim of its own, beating while an undo takes its time; confirmed before each effect, so a
        // drain that stalled while another replica took its subject over does not do it all again.
        Optional<Claim> claim = Claim.take(leases, heartbeats, "owed:" + subject, lease, clock);
        if (claim.isEmpty()) {
            return Drained.NONE; // another replica is at it
        }
        boolean finished = false;
        try {
            Drained done = Drained.NONE;
            // An effect may owe more (an undo that finished late redraws the approvals; a person who cannot
            // be reached ends the setup): another round then, a few at most.
            for (int round = 0; round < 3; round++) {
                List<Outbox.Entry> ready = outbox.owedBy(subject).stream()
                        .filter(e -> (only == null || e.effect() == only) && ready(e, writer, now)).toList();
                for (Outbox.Entry e : ready) {
                    claim.get().confirm();
                    done = done.plus(carryOut(e));
                }
                if (ready.stream().noneMatch(e -> MAY_OWE_MORE.contains(e.effect()))) {
                    break;
                }
            }
            finished = true;
            return done;
        } catch (Run.Superseded lost) {
            finished = true;
            return Drained.NONE; // another replica took the subject over: what is left is its
        } finally {
            claim.get().stop(finished);
        }
    }

    /** Whether this drain takes {@code e} now; {@code began}: when this drain began (what it owed since is its own). */
    private boolean ready(Outbox.Entry e, boolean writer, Instant began) {
        Instant now = clock.instant();
        if (e.attempts() == 0) {
            return writer || !e.recordedAt().isBefore(began) || !e.recordedAt().plus(Sweeper.GRACE).isAfter(now);
        }
        return !e.dueAt().isAfter(now);
    }

    private Drained carryOut(Outbox.Entry e) {
        probe.reached("before effect:" + e.effect());
        try {
            act(e);
        } catch (NotDone n) {
            if (n.retry) {
                outbox.failed(e, n.code, clock.instant().plus(backoff(e.effect(), e.attempts())));
                return Drained.NONE;
            }
            audit.record(e.subject(), AuditLog.BOT, "gave-up:" + e.effect(), "target=" + e.target(), n.code);
            log.warn("{}: gave up {} after {} tries: {}", e.subject(), e.effect(), e.attempts() + 1, n.code);
        }
        probe.reached("after effect:" + e.effect());
        outbox.settled(e);
        return new Drained(1, e.effect() == Effect.DELETE_QR ? 1 : 0);
    }

    /**
     * How long a failed effect waits: a QR deletion (the image holds a seed) is tried at every sweep, as
     * it always was; anything else 1 minute after its first failure, doubling, at most an hour.
     */
    static Duration backoff(Effect effect, long attempts) {
        if (effect == Effect.DELETE_QR) {
            return Duration.ZERO;
        }
        Duration d = FIRST_RETRY.multipliedBy(1L << Math.min(attempts, 10));
        return d.compareTo(LAST_RETRY) > 0 ? LAST_RETRY : d;
    }

    private void act(Outbox.Entry e) {
        if (e.effect() == Effect.DELETE_QR) {
            deleteQr(e);
            return;
        }
        if (e.effect() == Effect.PERSON_LEFT) {
            departures.fileOffboardings(e.target(), e.detail(), e.recordedAt());
            return;
        }
        Optional<Request> found = store.find(e.subject());
        if (found.isEmpty()) {
            return; // nothing left to act on
        }
        Request r = found.get();
        if ((e.effect() == Effect.UNDO || e.effect() == Effect.DELETE_DEVICE)
                && e.recordedAt().plus(Sweeper.LOST_DEVICE_WINDOW).isBefore(clock.instant())) {
            // Owed for days: a device or user of that name may be someone else's by now (an admin
            // re-registering a phone reuses the serial). Left to a person; the request keeps its leftovers mark.
            throw new NotDone("undo-too-old", false);
        }
        boolean still = e.target().isEmpty() || e.target().equals(r.status().name());
        try {
            switch (e.effect()) {
                case UNDO -> undone(r, kinds.of(r.kind()).undo(r));
                case DELETE_DEVICE -> undone(r, cleanup.deleteOwnDevice(r));
                case POST_SETUP -> {
                    if (still) {
                        postSetup(r);
                    }
                }
                case CLOSE_SETUP -> {
                    if (still && (r.dmChannel() != null || r.setupMessage() != null)) {
                        notifier.setupClosed(r);
                    }
                }
                case TELL_COMPLETED -> {
                    if (still) {
                        notifier.setupCompleted(r, Outbox.OFFER_PASSWORD.equals(e.detail()));
                    }
                }
                case TELL_APPROVERS -> {
                    if (still) {
                        notifier.refreshApprovalRequest(r);
                    }
                }
                case TELL_REQUESTER -> {
                    if (still) {
                        notifier.notifyRequester(r);
                    }
                }
                case TELL_PERSON -> {
                    if (still) {
                        notifier.notifyPerson(r);
                    }
                }
                default -> throw new IllegalStateException("not a request's effect: " + e.effect());
            }
        } catch (NotifierException n) {
            // Slack's verdict decides: later, or never (a channel or a person that cannot be reached).
            boolean retry = n.isTransient() && e.attempts() + 1 < NOTICE_ATTEMPTS;
            if (!retry) {
                audit.record(r.id(), AuditLog.BOT, "slack:" + e.effect().name().toLowerCase(java.util.Locale.ROOT), "", n.code());
            }
            throw new NotDone(n.code(), retry);
        } catch (IamException i) {
            throw new NotDone(i.code(), true);
        }
    }

    /**
     * The undo ran: it marks the request with leftovers (a newer copy) when IAM kept something, and
     * is tried again later. Once a later try removed everything, the mark goes and the approvers see it.
     */
    private void undone(Request before, Request after) {
        if (after.leftovers() && after.version() != before.version()) {
            throw new NotDone("leftovers", true);
        }
        if (before.leftovers()) {
            store.replace(before, before.withLeftovers(false, clock.instant()),
                    List.of(Owed.of(Effect.TELL_APPROVERS, before.status())));
        }
    }

    private void deleteQr(Outbox.Entry e) {
        String note = e.attempts() == 0 ? "" : " (retry " + (e.attempts() + 1) + ")";
        try {
            notifier.deleteFile(e.target());
            audit.record(e.subject(), AuditLog.BOT, "slack:delete-qr", "file=" + e.target() + note, "ok");
        } catch (NotifierException n) {
            // The QR holds a seed: it stays owed whatever Slack says, until Slack confirms it is gone.
            audit.record(e.subject(), AuditLog.BOT, "slack:delete-qr", "file=" + e.target() + note, n.code());
            log.warn("{}: could not delete QR file {}: {} (it stays owed)", e.subject(), e.target(), n.code());
            throw new NotDone(n.code(), true);
        }
    }

    /**
     * The person's buttons, now that the status that makes them valid is stored; recorded on the
     * request so that its end can close them. A person Slack will not let the bot reach ends it.
     */
    private void postSetup(Request r) {
        if (r.setupMessage() != null) {
            return; // posted and recorded by an earlier drain
        }
        MessageRef ref;
        try {
            ref = kinds.of(r.kind()).postButtons(r);
        } catch (NotifierException n) {
            if (n.isTransient()) {
                throw n;
            }
            audit.record(r.id(), AuditLog.BOT, "slack:setup-buttons", "to=" + r.targetUserId(), n.code());
            Request failed = ended(r, Status.FAILED, Notice.of(Reason.PERSON_UNREACHABLE, "person", r.targetUserId(), "code", n.code()),
                    clock.instant());
            store.replace(r, failed, ofEnding(r, Status.FAILED, Effect.UNDO, true));
            return;
        }
        if (ref == null) {
            return;
        }
        audit.record(r.id(), AuditLog.BOT, "slack:setup-buttons", "to=" + r.targetUserId(), "ok");
        // Recorded while the setup still waits; a request that moved on meanwhile leaves it be (its
        // buttons answer "out of date").
        for (Request current = r; current.status() == r.status(); ) {
            Request next = current.withSetupMessage(ref, clock.instant());
            if (current.dmChannel() == null) {
                next = next.withDelivery(ref.channel(), current.qrFileId(), clock.instant());
            }
            if (store.replace(current, next).isPresent()) {
                return;
            }
            Optional<Request> again = store.find(r.id());
            if (again.isEmpty()) {
                return;
            }
            current = again.get();
        }
    }
}
