package dev.awsonboard.lifecycle;

import dev.awsonboard.fakes.ManualClock;
import dev.awsonboard.fakes.Totp;
import dev.awsonboard.lifecycle.model.AccessPolicy;
import dev.awsonboard.lifecycle.model.ApprovalRule;
import dev.awsonboard.lifecycle.model.ApprovalRules;
import dev.awsonboard.lifecycle.model.Kind;
import dev.awsonboard.lifecycle.model.Outcome;
import dev.awsonboard.lifecycle.model.ProvisioningSettings;
import dev.awsonboard.lifecycle.model.QuietHours;
import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.lifecycle.model.Status;
import dev.awsonboard.lifecycle.port.ReminderLog;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * The use cases wired to in-memory ports, for tests of the domain's rules without HTTP: a manual
 * clock, ids r-1, r-2..., every "after the acknowledgement" task run at once on the caller's
 * thread, IAM retries that never wait. The people and ids are those of the end-to-end tests.
 */
final class Domain {
    static final String APPROVER = "UAPPROVER1";
    static final String APPROVER_2 = "UAPPROVER2";
    static final String REQUESTER = "UREQUESTER";
    static final String ALICE = "UALICE0001";
    static final String MALLORY = "UMALLORY01";
    static final String BOT = "UBOTSELF01";
    static final String TEAM = "T0TEAM0001";
    static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    static final Duration APPROVAL_EXPIRY = Duration.ofDays(7);
    static final Duration SETUP_EXPIRY = Duration.ofHours(24);
    /** How long before a grant ends its person is reminded. */
    static final Duration GRANT_REMINDER = Duration.ofMinutes(15);

    /** What a test may change before the use cases are built. */
    record Settings(AccessPolicy policy, ProvisioningSettings provisioning, List<String> offeredGroups, List<ApprovalRule> rules,
                    IamRetry retry) {
        static Settings defaults() {
            return new Settings(new AccessPolicy(java.util.Set.of(APPROVER, APPROVER_2), java.util.Set.of(), false),
                    new ProvisioningSettings(List.of(), "/", Map.of(), Optional.empty(), Optional.empty(), true, false),
                    List.of("developers", "readonly"), List.of(), IamRetry.none());
        }

        Settings withPolicy(AccessPolicy p) {
            return new Settings(p, provisioning, offeredGroups, rules, retry);
        }

        Settings withProvisioning(ProvisioningSettings p) {
            return new Settings(policy, p, offeredGroups, rules, retry);
        }

        /** Approval rules besides the default one (the policy's approvers, one approval, in the approval channel). */
        Settings withRules(ApprovalRule... r) {
            return new Settings(policy, provisioning, offeredGroups, List.of(r), retry);
        }

        /** Another retry policy; its pauses are the use cases' waits too. */
        Settings withRetry(IamRetry r) {
            return new Settings(policy, provisioning, offeredGroups, rules, r);
        }

        /** IAM calls retried as in production (transient failures, with backoff), waiting for nothing. */
        Settings retrying() {
            return new Settings(policy, provisioning, offeredGroups, rules, IamRetry.standard(millis -> { }));
        }

        ApprovalRules approvalRules() {
            return new ApprovalRules(rules, ApprovalRules.fallback(policy.approvers(), ApprovalRule.Announce.channel(RecordingNotifier.APPROVALS)));
        }
    }

    final ManualClock clock = new ManualClock(NOW);
    final InMemoryRequestStore store = new InMemoryRequestStore();
    final InMemoryLinks links = store.links();
    final InMemorySteps steps = new InMemorySteps();
    final InMemoryLeases leases = new InMemoryLeases();
    final InMemoryIam iam = new InMemoryIam(clock).group("developers").group("readonly");
    final RecordingNotifier slack = new RecordingNotifier();
    static final Duration LEASE = Duration.ofMinutes(5);
    /** The use cases of the process running now; {@link #restart} replaces them. */
    UseCases uses;
    /** Where the running process crashes; a test sets it before {@link #restart}. */
    CrashProbe probe = CrashProbe.NONE;
    /** The weekly MFA summary's day: {@link #NOW} is a Tuesday after 09:00 UTC, so this week's is due. */
    static final java.time.DayOfWeek SUMMARY_DAY = java.time.DayOfWeek.TUESDAY;
    /** The MFA coverage each weekly summary announced. */
    final List<AccountUsers.Coverage> summaries = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Slack refuses the summary while set. */
    volatile boolean refuseSummaries;
    /** Milliseconds the departure check waited between looks (it never really waits here). */
    final java.util.concurrent.atomic.AtomicLong paused = new java.util.concurrent.atomic.AtomicLong();
    /** Slack members by e-mail address, as users.lookupByEmail finds them (lower case). */
    final Map<String, String> emails = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final AtomicInteger processes = new AtomicInteger();
    private final Settings settings;
    private final ManualHeartbeats heartbeats = new ManualHeartbeats();

    Domain() {
        this(s -> s);
    }

    Domain(UnaryOperator<Settings> change) {
        for (String person : List.of(APPROVER, APPROVER_2, REQUESTER, ALICE, MALLORY)) {
            slack.person(person);
        }
        settings = change.apply(Settings.defaults());
        uses = process();
    }

    /**
     * A new process on the same store, leases, outbox, IAM and Slack, as a restart (or a crash and a
     * restart): its own lease owner, so what the dead one held waits for its lease to run out.
     */
    void restart() {
        uses = process();
    }

    /** After {@link #restart}: the dead process's leases ran out, and a sweep runs. */
    Sweeper.Report sweepAfterTheLeasesRanOut() {
        clock.advance(LEASE.plus(Duration.ofMinutes(1)));
        return uses.sweeper().sweep();
    }

    /**
     * Another replica on the same store, leases, outbox, IAM and Slack, with a clock of its own that is
     * {@code ahead} of this one's: to it a lease this process holds may have run out already.
     */
    UseCases replica(Duration ahead) {
        return process(Clock.offset(clock, ahead), "replica-" + processes.incrementAndGet());
    }

    /** Every heartbeat of every process beats once. */
    void beat() {
        heartbeats.beat();
    }

    private UseCases process() {
        return process(clock, "worker-" + processes.incrementAndGet());
    }

    private UseCases process(Clock processClock, String owner) {
        Settings s = settings;
        return new UseCases(new UseCases.Parts(store, leases, store.outbox(), links, steps, iam, slack, slack,
                (label, user, seed) -> seed.reveal().getBytes(StandardCharsets.UTF_8),
                new PasswordGenerator(), s.policy(), s.offeredGroups(), s.provisioning(), APPROVAL_EXPIRY, SETUP_EXPIRY,
                processClock, () -> "r-" + ids.incrementAndGet(), s.retry(), new Lease(owner, LEASE),
                point -> probe.reached(point), Runnable::run, new Reminded(store), slack,
                new Reminders.Settings(Duration.ofHours(4), 3, QuietHours.NONE, List.of(Duration.ofHours(2)), Optional.of(GRANT_REMINDER)),
                true, BOT, TEAM, s.approvalRules(), slack),
                new UseCases.AccountParts(email -> Optional.ofNullable(emails.get(email.toLowerCase(java.util.Locale.ROOT)))
                        .flatMap(slack::find), roster -> {
                            if (refuseSummaries) {
                                throw new dev.awsonboard.lifecycle.port.NotifierException("not_in_channel", "refused by the test", null);
                            }
                            summaries.add(new AccountUsers.Coverage(roster.withoutMfa(), roster.linked(), roster.unlinked()));
                        }, Optional.of(SUMMARY_DAY), paused::addAndGet), heartbeats);
    }

    // --- the moves people make ---

    Outcome<Request> ask(String requester, Kind kind, String iamUser, String person, String... groups) {
        return uses.intake().submit(new Intake.NewRequest(kind, requester, iamUser, person, List.of(groups), "because"),
                Optional.empty());
    }

    /** Asks, and expects the request to be put before the approvers; returns its id. */
    String submitted(String requester, Kind kind, String iamUser, String person, String... groups) {
        Outcome<Request> asked = ask(requester, kind, iamUser, person, groups);
        if (!(asked instanceof Outcome.Done<Request> done)) {
            throw new AssertionError("refused at the acknowledgement: " + asked.notice());
        }
        Request r = request(done.value().id());
        if (r.status() != Status.REQUESTED) {
            throw new AssertionError("not put before the approvers: " + r.status() + " " + r.ending());
        }
        return r.id();
    }

    /** An approver who neither asked nor is the person approves. */
    Request approve(String id) {
        Request r = request(id);
        String approver = APPROVER.equals(r.requesterUserId()) || APPROVER.equals(r.targetUserId()) ? APPROVER_2 : APPROVER;
        Outcome<Request> approved = uses.decisions().approve(id, approver);
        if (!approved.isDone()) {
            throw new AssertionError("approval refused: " + approved.notice());
        }
        return request(id);
    }

    /** alice's onboarding of sampleUser, to the end: approved, QR scanned, MFA on. */
    String onboardAlice() {
        String id = submitted(REQUESTER, Kind.ONBOARD, "sampleUser", ALICE, "developers");
        approve(id);
        MfaActivation.Answer answer = uses.mfa().submit(id, ALICE, codesOf(ALICE));
        if (answer.result() != MfaActivation.Result.ENABLED) {
            throw new AssertionError("codes refused: " + answer.notice());
        }
        return id;
    }

    /** Two consecutive codes from the last QR this person was sent, as their authenticator shows them now. */
    dev.awsonboard.lifecycle.model.MfaCodes codesOf(String person) {
        List<String> codes = Totp.twoConsecutiveCodes(slack.seedSentTo(person), clock.instant());
        return new dev.awsonboard.lifecycle.model.MfaCodes(codes.get(0), codes.get(1));
    }

    Request request(String id) {
        return store.find(id).orElseThrow();
    }

    List<String> auditActions(String id) {
        return store.auditTrail(id).stream().map(e -> e.action() + "=" + e.outcome()).toList();
    }

    // --- the small ports ---

    /** One-time steps done, in memory. */
    static final class InMemorySteps implements dev.awsonboard.lifecycle.port.OneTimeSteps {
        private final Map<String, Instant> done = new ConcurrentHashMap<>();

        @Override
        public boolean isDone(String name) {
            return done.containsKey(name);
        }

        @Override
        public void markDone(String name, Instant at) {
            done.putIfAbsent(name, at);
        }
    }

    /** Reminder counters kept beside the store's requests, recorded as a compare-and-set. */
    static final class Reminded implements ReminderLog {
        private final InMemoryRequestStore store;
        private final Map<String, ReminderLog.Reminded> counters = new ConcurrentHashMap<>();

        Reminded(InMemoryRequestStore store) {
            this.store = store;
        }

        @Override
        public Optional<ReminderLog.Reminded> reminded(String requestId) {
            return store.find(requestId).map(r -> counters.getOrDefault(requestId, ReminderLog.Reminded.NONE));
        }

        @Override
        public synchronized boolean record(String requestId, Status status, ReminderLog.Reminded expected,
                                           ReminderLog.Reminded next) {
            Optional<Request> r = store.find(requestId);
            if (r.isEmpty() || r.get().status() != status
                    || !counters.getOrDefault(requestId, ReminderLog.Reminded.NONE).equals(expected)) {
                return false;
            }
            counters.put(requestId, next);
            return true;
        }
    }
}
