package dev.awsonboard.lifecycle;

import dev.awsonboard.lifecycle.model.AuditEntry;
import dev.awsonboard.lifecycle.model.Kind;
import dev.awsonboard.lifecycle.model.Notice;
import dev.awsonboard.lifecycle.model.Outcome;
import dev.awsonboard.lifecycle.model.PasswordPolicy;
import dev.awsonboard.lifecycle.model.Reason;
import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.lifecycle.model.Status;
import dev.awsonboard.lifecycle.model.Step;
import dev.awsonboard.lifecycle.port.IamException;
import dev.awsonboard.lifecycle.port.IamGateway;
import dev.awsonboard.lifecycle.port.Leases;
import dev.awsonboard.lifecycle.port.Outbox;
import dev.awsonboard.lifecycle.port.RequestStore;

import dev.awsonboard.config.Secret;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Use case: the person asks to see their one-time password. The bot never kept one: it sets a
 * fresh password (reset required at first sign-in) and hands it over once. It is not a
 * self-service password reset: allowed while an onboarding setup or a password reset waits for
 * the person (a second time at most once a minute, five times in all), and after an onboarding
 * completes only once, only if the person never saw a password, only within the setup expiry.
 */
public final class PasswordReveal {
    private static final Logger log = LoggerFactory.getLogger(PasswordReveal.class);
    static final Duration MIN_INTERVAL = Duration.ofMinutes(1);
    static final int MAX_REVEALS = 5;

    private final RequestStore store;
    private final IamGateway iam;
    private final Function<PasswordPolicy, Secret> passwords;
    private final AccountFacts account;
    private final Clock clock;
    private final AuditLog audit;
    private final IamRetry retry;
    private final Duration setupExpiry;
    private final Effects effects;
    private final CrashProbe probe;
    private final Leases leases;
    private final Lease lease;
    private final AtomicLong revealCount = new AtomicLong();

    private final Ownership ownership;

    PasswordReveal(RequestStore store, IamGateway iam, Function<PasswordPolicy, Secret> passwords, AccountFacts account,
                   Clock clock, IamRetry retry, Duration setupExpiry, Effects effects, CrashProbe probe, Leases leases, Lease lease,
                   Ownership ownership) {
        this.ownership = ownership;
        this.leases = leases;
        this.lease = lease;
        this.store = store;
        this.iam = iam;
        this.passwords = passwords;
        this.account = account;
        this.clock = clock;
        this.audit = new AuditLog(store, clock);
        this.retry = retry;
        this.setupExpiry = setupExpiry;
        this.effects = effects;
        this.probe = probe;
    }

    /**
     * Why this person may not see a password of this request now, if so; cheap, no AWS call.
     *
     * @param afterCompletion the click came from the completion message, not the setup message
     */
    public Optional<Notice> refusal(String requestId, String actor, boolean afterCompletion) {
        return refusal(store.find(requestId), actor, afterCompletion);
    }

    private Optional<Notice> refusal(Optional<Request> found, String actor, boolean afterCompletion) {
        if (found.isEmpty()) {
            return Optional.of(Notice.of(Reason.UNKNOWN_REQUEST));
        }
        Request r = found.get();
        if (!actor.equals(r.targetUserId())) {
            audit.record(r.id(), actor, "reveal-password", "not the person concerned", "refused");
            return Optional.of(Notice.of(Reason.ONLY_PERSON_SEES_PASSWORD, "person", r.targetUserId()));
        }
        List<Instant> reveals = reveals(r);
        boolean open = !afterCompletion && waitsForPerson(r);
        boolean firstAfterCompletion = afterCompletion && r.kind() == Kind.ONBOARD && r.status() == Status.DONE
                && reveals.isEmpty() && clock.instant().isBefore(r.updatedAt().plus(setupExpiry));
        if (!open && !firstAfterCompletion) {
            audit.record(r.id(), actor, "reveal-password", "status=" + r.status(), "out-of-date");
            return Optional.of(Notice.of(Reason.OUT_OF_DATE));
        }
        if (leases.held(revealKey(r.id()), clock.instant())) {
            // A password was set a moment ago, or is being set now (a double click): the pause holds.
            audit.record(r.id(), actor, "reveal-password", "too soon", "rate-limited");
            return Optional.of(Notice.of(Reason.PASSWORD_RATE_LIMITED, "seconds", MIN_INTERVAL.toSeconds()));
        }
        if (reveals.size() >= MAX_REVEALS) {
            audit.record(r.id(), actor, "reveal-password", "reveals=" + reveals.size(), "rate-limited");
            return Optional.of(Notice.of(Reason.OUT_OF_DATE));
        }
        if (!reveals.isEmpty()) {
            Instant next = reveals.get(reveals.size() - 1).plus(MIN_INTERVAL);
            if (clock.instant().isBefore(next)) {
                audit.record(r.id(), actor, "reveal-password", "too soon", "rate-limited");
                return Optional.of(Notice.of(Reason.PASSWORD_RATE_LIMITED,
                        "seconds", Duration.between(clock.instant(), next).toSeconds() + 1));
            }
        }
        return Optional.empty();
    }

    /** A setup that offers the person a Show password button while it waits for them. */
    private static boolean waitsForPerson(Request r) {
        return r.kind() == Kind.ONBOARD && r.status() == Status.AWAITING_MFA
                || r.kind() == Kind.RESET_PASSWORD && r.status() == Status.AWAITING_PASSWORD;
    }

    /**
     * Whether a Show password button for {@code actor} on this request would be honoured now, the
     * one-minute pause aside; unlike {@link #refusal} it writes no audit entry (App Home asks it
     * each time it draws the button).
     */
    public boolean offered(Request r, String actor) {
        return actor.equals(r.targetUserId()) && waitsForPerson(r) && reveals(r).size() < MAX_REVEALS;
    }

    /** The person of this request has never been shown a password for it. */
    static boolean neverRevealed(RequestStore store, Request r) {
        return reveals(store, r).isEmpty();
    }

    private List<Instant> reveals(Request r) {
        return reveals(store, r);
    }

    /** When this request's person was shown a password (each a successful set by them). */
    private static List<Instant> reveals(RequestStore store, Request r) {
        return store.auditTrail(r.id()).stream()
                .filter(e -> r.targetUserId().equals(e.actor()) && "ok".equals(e.outcome())
                        && (e.action().equals("iam:UpdateLoginProfile") || e.action().equals("iam:CreateLoginProfile")))
                .map(AuditEntry::at)
                .toList();
    }

    public Outcome<Secret> reveal(String requestId, String actor, boolean afterCompletion) {
        Optional<Request> found = store.find(requestId);
        Optional<Notice> refusal = refusal(found, actor, afterCompletion);
        if (refusal.isPresent()) {
            return Outcome.refused(refusal.get());
        }
        Request r = found.get();
        // The pause between two passwords is a claim in the store, taken before IAM is asked: of two
        // clicks at once (two replicas, a double click) one sets a password. Kept for the pause once set.
        String key = revealKey(r.id());
        String owner = lease.owner() + "/reveal-" + revealCount.incrementAndGet();
        Instant now = clock.instant();
        // Held through the pause and free at its end, as the audit trail's rule below reads it.
        if (!leases.claim(key, owner, now, now.plus(MIN_INTERVAL).minusNanos(1))) {
            audit.record(r.id(), actor, "reveal-password", "too soon", "rate-limited");
            return Outcome.refused(Reason.PASSWORD_RATE_LIMITED, "seconds", MIN_INTERVAL.toSeconds());
        }
        IamCalls calls = new IamCalls(r.id(), actor, audit, retry, probe);
        String detail = "user=" + r.iamUserName() + " password=" + Secret.MASK + " resetRequired=true";
        try {
            if (!ownership.stillTheUserOf(r)) {
                // The name was offboarded and made again for someone else: this button is not theirs.
                audit.record(r.id(), actor, "reveal-password", "user " + r.iamUserName() + " replaced", "out-of-date");
                leases.release(key, owner);
                return Outcome.refused(Reason.OUT_OF_DATE);
            }
            Secret password = passwords.apply(account.passwordPolicy());
            try {
                calls.run("iam:UpdateLoginProfile", detail, IamRetry.Mode.TRANSIENT,
                        () -> iam.updateLoginProfile(r.iamUserName(), password, true));
            } catch (IamException e) {
                // A password reset for a user without a console password gives it one.
                if (e.kind() != IamException.Kind.NO_SUCH_ENTITY || r.kind() != Kind.RESET_PASSWORD) {
                    throw e;
                }
                try {
                    calls.run("iam:CreateLoginProfile", detail, IamRetry.Mode.TRANSIENT,
                            () -> iam.createLoginProfile(r.iamUserName(), password, true));
                } catch (IamException exists) {
                    if (exists.kind() != IamException.Kind.ALREADY_EXISTS) {
                        throw exists;
                    }
                    // An attempt whose answer was lost made it: set the password on it, as the person asked.
                    calls.run("iam:UpdateLoginProfile", detail, IamRetry.Mode.EXISTS,
                            () -> iam.updateLoginProfile(r.iamUserName(), password, true));
                }
            }
            return Outcome.done(password, Notice.of(Reason.PASSWORD_SHOWN, "user", r.iamUserName(), "url", r.signInUrl()));
        } catch (IamException e) {
            log.warn("request {}: could not set a password: {}", r.id(), e.getMessage());
            leases.release(key, owner); // nothing was set: the person may try again at once
            return Outcome.refused(Reason.PASSWORD_UNAVAILABLE, "code", e.code());
        }
    }

    private static String revealKey(String requestId) {
        return "reveal:" + requestId;
    }

    /** The person has the password in front of them: a password reset is done. */
    public void shown(String requestId) {
        Optional<Request> seen = store.find(requestId);
        if (seen.isEmpty() || seen.get().kind() != Kind.RESET_PASSWORD || seen.get().status() != Status.AWAITING_PASSWORD) {
            return;
        }
        // What happened is on the record before the state that follows from it.
        audit.record(requestId, seen.get().targetUserId(), "password-shown", "user=" + seen.get().iamUserName(), "ok");
        // Done, and who is told of it, in one write: a crash after it leaves them owed.
        List<Outbox.Owed> owed = new java.util.ArrayList<>(List.of(Outbox.Owed.of(Outbox.Effect.TELL_COMPLETED, Status.DONE)));
        owed.addAll(Effects.tellOf(Status.DONE));
        Optional<Request> done = Optional.empty();
        // Retried on a newer copy while it still waits (its invite or a reminder recorded meanwhile).
        for (int attempt = 0; attempt < 10 && done.isEmpty(); attempt++) {
            Optional<Request> found = store.find(requestId);
            if (found.isEmpty() || found.get().kind() != Kind.RESET_PASSWORD || found.get().status() != Status.AWAITING_PASSWORD) {
                return;
            }
            Request r = found.get();
            done = store.replace(r, r.withStatus(Status.DONE, clock.instant()).withStep(Step.PASSWORD_SHOWN, clock.instant()), owed);
        }
        if (done.isEmpty()) {
            return;
        }
        Request r = done.get();
        log.info("request {} ({} of IAM user {}): password shown, done", r.id(), r.kind(), r.iamUserName());
        probe.reached("saved DONE/PASSWORD_SHOWN");
        effects.settle(r.id());
    }
}
