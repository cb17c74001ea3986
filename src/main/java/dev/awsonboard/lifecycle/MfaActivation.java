package dev.awsonboard.lifecycle;

import dev.awsonboard.lifecycle.model.Kind;
import dev.awsonboard.lifecycle.model.MfaCodes;
import dev.awsonboard.lifecycle.model.Notice;
import dev.awsonboard.lifecycle.model.Reason;
import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.lifecycle.model.Status;
import dev.awsonboard.lifecycle.model.Step;
import dev.awsonboard.lifecycle.port.IamException;
import dev.awsonboard.lifecycle.port.IamGateway;
import dev.awsonboard.lifecycle.port.Leases;
import dev.awsonboard.lifecycle.port.Outbox;
import dev.awsonboard.lifecycle.port.RequestStore;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Use case: the person proves their authenticator works with two consecutive codes; IAM
 * enables the device; the QR image, which holds the seed, is deleted from Slack. Serves
 * onboarding and MFA resets alike.
 */
public final class MfaActivation {
    private static final Logger log = LoggerFactory.getLogger(MfaActivation.class);
    /**
     * How often, and how far apart, the codes try for the setup's claim while someone holds it for a
     * moment (the person's own Show password click, a redraw): 2 s, well inside Slack's 3 s for a modal.
     */
    static final int CLAIM_TRIES = 40;
    static final long CLAIM_PAUSE_MS = 50;

    /** {@code WRONG_CODES} means the same form can be tried again. */
    public enum Result { ENABLED, WRONG_CODES, REFUSED }

    public record Answer(Result result, Notice notice, Request request) {
    }

    private final RequestStore store;
    private final IamGateway iam;
    private final Clock clock;
    private final AuditLog audit;
    private final IamRetry retry;
    private final Effects effects;
    private final CrashProbe probe;
    private final Leases leases;
    private final Lease lease;
    private final AtomicLong submissions = new AtomicLong();

    private final Ownership ownership;

    MfaActivation(RequestStore store, IamGateway iam, Clock clock, IamRetry retry, Effects effects, CrashProbe probe,
                  Leases leases, Lease lease, Ownership ownership) {
        this.ownership = ownership;
        this.leases = leases;
        this.lease = lease;
        this.store = store;
        this.iam = iam;
        this.clock = clock;
        this.audit = new AuditLog(store, clock);
        this.retry = retry;
        this.effects = effects;
        this.probe = probe;
    }

    /** The setup whose codes this person owes, for codes sent as a DM reply. */
    public Optional<Request> awaitingCodesFrom(String slackUserId) {
        // By person (indexed), not by status: under a wave of onboardings, every click on "Enter
        // codes" read every waiting setup (p50 7.7 s for 1,000 clicks in the benchmark).
        // And only their setups waiting for codes: a person can have hundreds of requests.
        return store.findByTarget(slackUserId, EnumSet.of(Status.AWAITING_MFA)).stream()
                .max(Comparator.comparing(Request::createdAt));
    }

    /** Whether this person may open the codes form of this request; cheap, no AWS call. */
    public Optional<Notice> refusal(String requestId, String actor) {
        Optional<Request> found = store.find(requestId);
        if (found.isEmpty()) {
            return Optional.of(Notice.of(Reason.UNKNOWN_REQUEST));
        }
        Request r = found.get();
        if (!actor.equals(r.targetUserId())) {
            return Optional.of(Notice.of(Reason.ONLY_PERSON_CAN_FINISH, "person", r.targetUserId()));
        }
        if (r.status() != Status.AWAITING_MFA) {
            return Optional.of(Notice.of(Reason.OUT_OF_DATE));
        }
        return Optional.empty();
    }

    public Answer submit(String requestId, String actor, MfaCodes codes) {
        Optional<Request> found = store.find(requestId);
        if (found.isEmpty()) {
            return new Answer(Result.REFUSED, Notice.of(Reason.UNKNOWN_REQUEST), null);
        }
        Request r = found.get();
        if (!actor.equals(r.targetUserId())) {
            audit.record(r.id(), actor, "submit-codes", "not the person concerned", "refused");
            return new Answer(Result.REFUSED, Notice.of(Reason.ONLY_PERSON_CAN_FINISH, "person", r.targetUserId()), r);
        }
        if (r.status() == Status.DONE && r.step() == Step.MFA_ENABLED) {
            return new Answer(Result.ENABLED, Notice.of(Reason.MFA_ALREADY_ENABLED, "user", r.iamUserName()), r);
        }
        if (r.status() != Status.AWAITING_MFA) {
            audit.record(r.id(), actor, "submit-codes", "status=" + r.status(), "out-of-date");
            return new Answer(Result.REFUSED, Notice.of(Reason.OUT_OF_DATE), r);
        }
        if (MfaCodes.problem(codes.first()).isPresent() || MfaCodes.problem(codes.second()).isPresent()) {
            return new Answer(Result.WRONG_CODES, Notice.of(Reason.CODES_MALFORMED), r);
        }
        if (codes.first().equals(codes.second())) {
            return new Answer(Result.WRONG_CODES, Notice.of(Reason.CODES_SAME), r);
        }
        // The setup's claim, as the sweep's expiry takes it: the codes and the expiry never run at once,
        // so MFA is never enabled on a user whose setup is being undone.
        String owner = lease.owner() + "/codes-" + submissions.incrementAndGet();
        if (!claim(r.id(), owner)) {
            return fromStored(r, actor, new Answer(Result.WRONG_CODES, Notice.of(Reason.CHANGED_TRY_AGAIN), r));
        }
        try {
            if (noLongerWaiting(r.id())) {
                // Finished or ended while these codes waited for the claim: the answer is what is stored.
                return fromStored(r, actor, null);
            }
            IamCalls calls = new IamCalls(r.id(), actor, audit, retry, probe);
            String detail = "user=" + r.iamUserName() + " serial=" + r.mfaSerial();
            try {
                if (!ownership.stillTheUserOf(r)) {
                    // The name was offboarded and made again for someone else: these codes are not for that user.
                    audit.record(r.id(), actor, "submit-codes", "user " + r.iamUserName() + " replaced", "out-of-date");
                    return new Answer(Result.REFUSED, Notice.of(Reason.OUT_OF_DATE), r);
                }
                // Right after the device was made IAM may not show it everywhere yet: those answers are lag.
                calls.run("iam:EnableMFADevice", detail, IamRetry.Mode.EXISTS,
                        () -> iam.enableMfaDevice(r.iamUserName(), r.mfaSerial(), codes.first(), codes.second()));
            } catch (IamException e) {
                return switch (e.kind()) {
                    case INVALID_CODE -> new Answer(Result.WRONG_CODES, Notice.of(Reason.CODES_REJECTED), r);
                    case ALREADY_EXISTS -> finish(r, actor); // enabled by a concurrent submission of the same codes
                    default -> new Answer(Result.WRONG_CODES, Notice.of(Reason.MFA_UNAVAILABLE, "code", e.code()), r);
                };
            }
            return finish(r, actor);
        } finally {
            leases.release(r.id(), owner);
        }
    }

    /**
     * The setup's claim, waited for while another holds it for a moment (a Show password click just
     * before the codes); false once the setup no longer waits for codes or the wait is over.
     */
    private boolean claim(String requestId, String owner) {
        for (int attempt = 1; ; attempt++) {
            Instant now = clock.instant();
            if (leases.claim(requestId, owner, now, now.plus(lease.ttl()))) {
                return true;
            }
            if (attempt == CLAIM_TRIES || noLongerWaiting(requestId)) {
                return false;
            }
            retry.pause(CLAIM_PAUSE_MS);
        }
    }

    /** Whether the setup, as stored now, no longer waits for codes (finished, ended, or gone). */
    private boolean noLongerWaiting(String requestId) {
        return store.find(requestId).map(r -> r.status() != Status.AWAITING_MFA).orElse(true);
    }

    /**
     * Someone else holds the setup (the sweep expiring it, the same codes sent twice): the answer is
     * what the store says now; {@code stillWaiting} while it still waits for these codes.
     */
    private Answer fromStored(Request r, String actor, Answer stillWaiting) {
        Request now = store.find(r.id()).orElse(r);
        if (now.status() == Status.DONE && now.step() == Step.MFA_ENABLED) {
            return enabled(now);
        }
        if (now.status() != Status.AWAITING_MFA) {
            audit.record(r.id(), actor, "submit-codes", "status=" + now.status(), "out-of-date");
            return new Answer(Result.REFUSED, Notice.of(Reason.OUT_OF_DATE), now);
        }
        return stillWaiting;
    }

    /**
     * MFA is on: DONE, and in the same write what that owes: the QR (which holds the seed) deleted, the
     * person told they are done, the approvers and the requester told. A crash after it leaves them owed.
     * A compare-and-set that loses answers from what is stored then, never "enabled" on its own word: a
     * setup that expired meanwhile is out of date (its undo removes what the codes enabled); one whose
     * buttons or reminders were recorded meanwhile is still waiting, and is finished on the newer copy.
     */
    private Answer finish(Request r, String actor) {
        Request current = r;
        for (int attempt = 0; attempt < 10; attempt++) {
            Optional<Request> stored = store.replace(current, done(current), owedByDone(current));
            if (stored.isPresent()) {
                Request finished = stored.get();
                log.info("request {} ({} of IAM user {}): MFA enabled, done", finished.id(), finished.kind(), finished.iamUserName());
                audit.record(finished.id(), actor, "activate", "user=" + finished.iamUserName(), "ok");
                probe.reached("saved DONE/MFA_ENABLED");
                effects.settle(finished.id());
                return enabled(finished);
            }
            Optional<Request> now = store.find(r.id());
            if (now.isEmpty()) {
                return new Answer(Result.REFUSED, Notice.of(Reason.UNKNOWN_REQUEST), r);
            }
            current = now.get();
            if (current.status() != Status.AWAITING_MFA) {
                return fromStored(current, actor, null); // a concurrent submission finished it, or it ended
            }
        }
        return new Answer(Result.WRONG_CODES, Notice.of(Reason.CHANGED_TRY_AGAIN), current);
    }

    private Request done(Request r) {
        Instant now = clock.instant();
        return r.withStatus(Status.DONE, now).withStep(Step.MFA_ENABLED, now).withDelivery(r.dmChannel(), null, now);
    }

    private List<Outbox.Owed> owedByDone(Request r) {
        boolean offerPassword = r.kind() == Kind.ONBOARD && PasswordReveal.neverRevealed(store, r);
        List<Outbox.Owed> owed = new ArrayList<>();
        if (r.qrFileId() != null) {
            owed.add(Outbox.Owed.of(Outbox.Effect.DELETE_QR, r.qrFileId()));
        }
        owed.add(new Outbox.Owed(Outbox.Effect.TELL_COMPLETED, Status.DONE.name(), offerPassword ? Outbox.OFFER_PASSWORD : ""));
        owed.addAll(Effects.tellOf(Status.DONE));
        return owed;
    }

    private static Answer enabled(Request r) {
        return new Answer(Result.ENABLED, Notice.of(Reason.MFA_ENABLED, "user", r.iamUserName(), "url", r.signInUrl()), r);
    }
}
