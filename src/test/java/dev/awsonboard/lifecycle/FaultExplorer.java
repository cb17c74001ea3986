package dev.awsonboard.lifecycle;

import dev.awsonboard.lifecycle.model.Holding;
import dev.awsonboard.lifecycle.model.Kind;
import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.lifecycle.model.Status;
import dev.awsonboard.lifecycle.model.Tags;
import dev.awsonboard.lifecycle.port.IamException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import static dev.awsonboard.lifecycle.Domain.ALICE;
import static dev.awsonboard.lifecycle.Domain.APPROVER;
import static dev.awsonboard.lifecycle.Domain.BOT;
import static dev.awsonboard.lifecycle.Domain.REQUESTER;

/**
 * Walks, for each request kind and each of its paths (the way up and every way down), every write
 * boundary the path passes (every probe point: a stored change, an IAM call that succeeded, an owed
 * effect before and after it is carried out) and, at each, every fault: the process crashes there and
 * restarts; the answer of that IAM call is lost after IAM acted; another replica whose clock is ahead
 * steals the lease there; the call there is slower than the lease (the heartbeat must hold it). Then it
 * drives the request to rest (sweeps after the dead process's leases ran out, the person acting as the
 * path says) and checks the invariants: no orphan IAM user, login profile or unassigned device; no QR
 * left of an ended setup; everyone told once; nothing done twice; nothing still owed.
 *
 * <p>All on the in-memory ports ({@link Domain}), on one thread: thousands of runs in seconds.
 */
final class FaultExplorer {

    /** What goes wrong at a boundary. */
    enum Fault { CRASH, LOST_ANSWER, LEASE_STOLEN, SLOW_CALL }

    /** What the person does once a setup waits for them. */
    enum Person { FINISHES, LETS_IT_EXPIRE, NOTHING }

    /**
     * One path of one request kind: what is arranged before (no fault there), the steps people take to
     * start it (each looks at the store first, so a step cut short by a crash is taken again after the
     * restart without doing twice what it did), what the person does when it is their turn, which request
     * the path is about and how it ends.
     */
    record Path(String name, Consumer<Domain> arrange, List<Consumer<Domain>> steps, Person person, Kind about, Status ends,
                boolean userRemains) {
    }

    /** One combination walked, and what it broke (empty: nothing). */
    record Outcome(String path, String point, Fault fault, List<String> broken) {
        boolean ok() {
            return broken.isEmpty();
        }

        @Override
        public String toString() {
            return path + " @ " + point + " / " + fault + (ok() ? "" : ": " + broken);
        }
    }

    static final String USER = "sampleUser";

    /** Every path of every kind. */
    static List<Path> paths() {
        Consumer<Domain> nothing = d -> { };
        return List.of(
                new Path("onboard: done", nothing, List.of(ask(Kind.ONBOARD), approve(Kind.ONBOARD)), Person.FINISHES,
                        Kind.ONBOARD, Status.DONE, true),
                new Path("onboard: failed and undone", d -> d.iam.failNext("CreateLoginProfile",
                        InMemoryIam.error(IamException.Kind.ACCESS_DENIED, "AccessDenied")),
                        List.of(ask(Kind.ONBOARD), approve(Kind.ONBOARD)), Person.NOTHING, Kind.ONBOARD, Status.FAILED, false),
                new Path("onboard: setup expired and undone", nothing, List.of(ask(Kind.ONBOARD), approve(Kind.ONBOARD)),
                        Person.LETS_IT_EXPIRE, Kind.ONBOARD, Status.EXPIRED, false),
                new Path("onboard: setup replaced by an offboarding", nothing, List.of(ask(Kind.ONBOARD), approve(Kind.ONBOARD),
                        ask(Kind.OFFBOARD), approve(Kind.OFFBOARD)), Person.NOTHING, Kind.ONBOARD, Status.CANCELLED, false),
                new Path("onboard: denied", nothing, List.of(ask(Kind.ONBOARD), d -> waiting(d, Kind.ONBOARD)
                        .ifPresent(r -> d.uses.decisions().deny(r.id(), APPROVER))), Person.NOTHING, Kind.ONBOARD, Status.DENIED, false),
                new Path("onboard: cancelled", nothing, List.of(ask(Kind.ONBOARD), d -> waiting(d, Kind.ONBOARD)
                        .ifPresent(r -> d.uses.decisions().cancel(r.id(), REQUESTER))), Person.NOTHING, Kind.ONBOARD, Status.CANCELLED, false),
                new Path("reset-mfa: done", FaultExplorer::alicesUser, List.of(ask(Kind.RESET_MFA), approve(Kind.RESET_MFA)),
                        Person.FINISHES, Kind.RESET_MFA, Status.DONE, true),
                new Path("reset-mfa: setup expired and undone", FaultExplorer::alicesUser,
                        List.of(ask(Kind.RESET_MFA), approve(Kind.RESET_MFA)), Person.LETS_IT_EXPIRE, Kind.RESET_MFA, Status.EXPIRED, true),
                new Path("reset-password: done", FaultExplorer::alicesUser, List.of(ask(Kind.RESET_PASSWORD), approve(Kind.RESET_PASSWORD)),
                        Person.FINISHES, Kind.RESET_PASSWORD, Status.DONE, true),
                new Path("reset-password: expired", FaultExplorer::alicesUser,
                        List.of(ask(Kind.RESET_PASSWORD), approve(Kind.RESET_PASSWORD)), Person.LETS_IT_EXPIRE, Kind.RESET_PASSWORD,
                        Status.EXPIRED, true),
                new Path("offboard: done", FaultExplorer::alicesUserHoldingThings, List.of(ask(Kind.OFFBOARD), approve(Kind.OFFBOARD)),
                        Person.NOTHING, Kind.OFFBOARD, Status.DONE, false),
                new Path("departure: offboarded", d -> {
                    d.onboardAlice(); // the bot's own records say whose the user is
                    d.iam.giveAccessKey(USER);
                }, List.of(d -> {
                    if (about(d, Kind.OFFBOARD).isEmpty() && d.store.outbox().all().isEmpty()) {
                        d.uses.departures().left(ALICE, "Alice left");
                    }
                }, approve(Kind.OFFBOARD)), Person.NOTHING, Kind.OFFBOARD, Status.DONE, false),
                new Path("enrol-mfa: done", FaultExplorer::alicesUserWithoutMfa, List.of(ask(Kind.ENROL_MFA)), Person.FINISHES,
                        Kind.ENROL_MFA, Status.DONE, true),
                new Path("enrol-mfa: setup expired and undone", FaultExplorer::alicesUserWithoutMfa, List.of(ask(Kind.ENROL_MFA)),
                        Person.LETS_IT_EXPIRE, Kind.ENROL_MFA, Status.EXPIRED, true),
                new Path("link: done", d -> d.iam.existing(USER, Map.of()), List.of(ask(Kind.LINK), approve(Kind.LINK)),
                        Person.NOTHING, Kind.LINK, Status.DONE, true),
                new Path("grant: ended at its time", d -> d.onboardAlice(), List.of(ask(Kind.GRANT), approve(Kind.GRANT)),
                        Person.LETS_IT_EXPIRE, Kind.GRANT, Status.DONE, true),
                new Path("grant: ended early by its person", d -> d.onboardAlice(), List.of(ask(Kind.GRANT), approve(Kind.GRANT),
                        d -> about(d, Kind.GRANT).filter(r -> r.status() == Status.GRANTED)
                                .ifPresent(r -> d.uses.decisions().revoke(r.id(), ALICE))),
                        Person.NOTHING, Kind.GRANT, Status.DONE, true));
    }

    /** Someone asks for {@code kind} about the user, unless a request of that kind is already there. */
    private static Consumer<Domain> ask(Kind kind) {
        return d -> {
            if (about(d, kind).isPresent()) {
                return;
            }
            switch (kind) {
                case ONBOARD -> d.ask(REQUESTER, kind, USER, ALICE, "developers");
                case OFFBOARD, ENROL_MFA -> d.ask(APPROVER, kind, USER, null);
                case LINK -> d.ask(APPROVER, kind, USER, ALICE);
                case GRANT -> d.uses.intake().submit(new Intake.NewRequest(Kind.GRANT, ALICE, null, ALICE, List.of(GRANTED_GROUP),
                        "migration", GRANT_LENGTH), java.util.Optional.empty());
                default -> d.ask(ALICE, kind, USER, null);
            }
        };
    }

    /** An approver approves the request of that kind, if it waits for them. */
    private static Consumer<Domain> approve(Kind kind) {
        return d -> waiting(d, kind).ifPresent(r -> d.approve(r.id()));
    }

    private static java.util.Optional<Request> about(Domain d, Kind kind) {
        return d.store.findByIamUserName(USER).stream().filter(r -> r.kind() == kind).findFirst();
    }

    /** IAM retried as in production; grants of {@link #GRANTED_GROUP} for up to 8 hours, approved by the approvers. */
    private static Domain domain() {
        return new Domain(s -> s.retrying().withRules(new dev.awsonboard.lifecycle.model.ApprovalRule("readonly", Set.of(Kind.GRANT),
                Set.of(GRANTED_GROUP), List.of(APPROVER, Domain.APPROVER_2), 1,
                dev.awsonboard.lifecycle.model.ApprovalRule.Announce.channel(RecordingNotifier.APPROVALS), Set.of(), Duration.ofHours(8))));
    }

    /** The group a grant path asks for, and for how long. */
    static final String GRANTED_GROUP = "readonly";
    static final Duration GRANT_LENGTH = Duration.ofHours(1);

    private static java.util.Optional<Request> waiting(Domain d, Kind kind) {
        return about(d, kind).filter(r -> r.status() == Status.REQUESTED);
    }

    private static void alicesUser(Domain d) {
        d.iam.existing(USER, Map.of(Tags.REQUEST_ID, "r-before", Tags.SLACK_USER, ALICE));
        d.iam.giveHardwareToken(USER);
    }

    private static void alicesUserWithoutMfa(Domain d) {
        d.iam.existing(USER, Map.of(Tags.REQUEST_ID, "r-before", Tags.SLACK_USER, ALICE));
    }

    private static void alicesUserHoldingThings(Domain d) {
        alicesUser(d);
        d.iam.giveAccessKey(USER);
    }

    // --- walking ---

    /** A write boundary: a probe point, and which time the path passes it (1 for the first). */
    record Boundary(String point, int time) {
        @Override
        public String toString() {
            return time == 1 ? point : point + " #" + time;
        }
    }

    /** The boundaries a path passes when nothing goes wrong, in order: every time it passes each point. */
    static List<Boundary> boundaries(Path path) {
        Domain d = domain();
        path.arrange().accept(d);
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        d.probe = seen::add;
        path.steps().forEach(step -> step.accept(d));
        settle(d, path);
        // The path as written, with no fault, must end as it says: else its walk would prove nothing.
        List<String> broken = invariants(d, path, 0);
        if (!broken.isEmpty() || seen.isEmpty()) {
            throw new IllegalStateException("path \"" + path.name() + "\" does not hold without a fault: "
                    + (seen.isEmpty() ? "it passes no boundary" : broken));
        }
        List<Boundary> boundaries = new ArrayList<>();
        Map<String, Integer> times = new java.util.HashMap<>();
        for (String p : List.copyOf(seen)) {
            boundaries.add(new Boundary(p, times.merge(p, 1, Integer::sum)));
        }
        return boundaries;
    }

    /** Walks one path: every boundary, every fault that applies there. */
    static List<Outcome> walk(Path path, Set<Fault> faults) {
        List<Outcome> outcomes = new ArrayList<>();
        for (Boundary b : boundaries(path)) {
            for (Fault fault : faults) {
                if (fault == Fault.LOST_ANSWER && !mutatingIamCall(b.point())) {
                    continue; // an answer to lose: only where IAM changed something
                }
                outcomes.add(run(path, b, fault, null));
            }
        }
        return outcomes;
    }

    /**
     * Walks one path with two crashes: at every boundary, and again at every boundary the recovery from
     * that first crash passes (a crash while it recovers from a crash).
     */
    static List<Outcome> walkTwoCrashes(Path path) {
        List<Outcome> outcomes = new ArrayList<>();
        for (Boundary first : boundaries(path)) {
            int recoveryPoints = recoveryPoints(path, first);
            for (int second = 1; second <= recoveryPoints; second++) {
                outcomes.add(run(path, first, Fault.CRASH, second));
            }
        }
        return outcomes;
    }

    /** How many probe points the recovery from a crash at {@code first} passes. */
    private static int recoveryPoints(Path path, Boundary first) {
        java.util.concurrent.atomic.AtomicInteger after = new java.util.concurrent.atomic.AtomicInteger();
        run(path, first, Fault.CRASH, null, after);
        return after.get();
    }

    static boolean mutatingIamCall(String point) {
        return point.startsWith("after iam:") && !point.startsWith("after iam:Get") && !point.startsWith("after iam:List");
    }

    static Outcome run(Path path, Boundary at, Fault fault, Integer secondCrash) {
        return run(path, at, fault, secondCrash, new java.util.concurrent.atomic.AtomicInteger());
    }

    /**
     * One combination: the path with {@code fault} at {@code at}, then to rest, then the invariants.
     * {@code secondCrash}: the process dies again at that probe point of the recovery (1 for the first);
     * {@code recovery} counts the probe points the recovery passed.
     */
    private static Outcome run(Path path, Boundary at, Fault fault, Integer secondCrash,
                               java.util.concurrent.atomic.AtomicInteger recovery) {
        Domain d = domain();
        path.arrange().accept(d);
        java.util.concurrent.atomic.AtomicInteger passes = new java.util.concurrent.atomic.AtomicInteger();
        AtomicBoolean fired = new AtomicBoolean();
        CrashProbe faulty = p -> {
            if (!p.equals(at.point()) || passes.incrementAndGet() != at.time() || !fired.compareAndSet(false, true)) {
                return;
            }
            switch (fault) {
                case CRASH -> throw new SimulatedCrash(p);
                case LOST_ANSWER -> { } // armed before the steps: that answer of that action is lost
                case LEASE_STOLEN -> d.replica(Domain.LEASE.plus(Duration.ofMinutes(1))).sweeper().sweep();
                case SLOW_CALL -> {
                    // Twice the lease passes while the call is on its way; the heartbeat beats all along.
                    for (int i = 0; i < 10; i++) {
                        d.clock.advance(Domain.LEASE.dividedBy(5));
                        d.beat();
                    }
                    d.replica(Duration.ZERO).sweeper().sweep();
                }
            }
        };
        java.util.concurrent.atomic.AtomicReference<String> secondPoint = new java.util.concurrent.atomic.AtomicReference<>("");
        CrashProbe recovering = p -> {
            if (secondCrash != null && recovery.incrementAndGet() == secondCrash) {
                secondPoint.set(p);
                throw new SimulatedCrash("again at " + p);
            }
            if (secondCrash == null) {
                recovery.incrementAndGet();
            }
        };
        d.probe = faulty;
        if (fault == Fault.LOST_ANSWER) {
            // IAM acts and the answer never comes back (a 500, a reset, a timeout); the bot retries as it does.
            d.iam.loseAnswerOfNext(at.point().substring("after iam:".length()), 1);
        }
        String where = at + (secondCrash == null ? "" : ", again at recovery point " + secondCrash);
        java.util.function.Supplier<String> whereNow = () -> where + (secondPoint.get().isEmpty() ? "" : " (" + secondPoint.get() + ")");
        List<String> broken = new ArrayList<>();
        try {
            for (int step = 0; step < path.steps().size(); step++) {
                try {
                    path.steps().get(step).accept(d);
                } catch (SimulatedCrash crash) {
                    d.probe = fired.get() ? recovering : faulty;
                    recoverFromCrash(d, recovering);
                    step--; // the step the crash cut short is taken again (it looks at the store first)
                }
            }
            if (fired.get() && fault == Fault.CRASH) {
                d.probe = recovering;
            }
            settleThroughCrashes(d, path, recovering);
            d.probe = CrashProbe.NONE;
            // Each fault in the one window Slack leaves open may tell someone once more; a second crash there too.
            int repeats = (opensTheWindow(at.point(), fault) ? 1 : 0) + (opensTheWindow(secondPoint.get(), Fault.CRASH) ? 1 : 0);
            broken.addAll(invariants(d, path, repeats));
        } catch (RuntimeException | AssertionError e) {
            broken.add("could not bring it to rest: " + e);
        }
        return new Outcome(path.name(), whereNow.get(), fault, broken);
    }

    /** A restart, and a sweep once the dead process's leases ran out; a crash in that recovery is one more restart. */
    private static void recoverFromCrash(Domain d, CrashProbe recovering) {
        for (int attempt = 0; attempt < 3; attempt++) {
            d.restart();
            try {
                d.sweepAfterTheLeasesRanOut();
                return;
            } catch (SimulatedCrash again) {
                d.probe = recovering;
            }
        }
    }

    private static void settleThroughCrashes(Domain d, Path path, CrashProbe recovering) {
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                settle(d, path);
                return;
            } catch (SimulatedCrash again) {
                recoverFromCrash(d, recovering);
            }
        }
    }

    /** Drives everything to rest: sweeps once the leases of the dead ran out, the person acting as the path says. */
    private static void settle(Domain d, Path path) {
        for (int round = 0; round < 12; round++) {
            boolean decidedByPeople = path.ends() == Status.DENIED || path.ends() == Status.CANCELLED;
            for (Request r : d.store.findByStatus(Status.OPEN)) {
                if (r.status() == Status.REQUESTED && !decidedByPeople) {
                    d.approve(r.id()); // asked again after a crash, or filed for a person who left
                } else if (r.kind() == path.about() && Status.AWAITING_PERSON.contains(r.status())) {
                    personActs(d, path, r);
                } else if (r.status() == Status.GRANTED && path.person() == Person.LETS_IT_EXPIRE && r.grant() != null
                        && r.grant().endsAt() != null && d.clock.instant().isBefore(r.grant().endsAt())) {
                    d.clock.advance(Duration.between(d.clock.instant(), r.grant().endsAt()));
                }
            }
            d.uses.grantEnds().endDue();
            if (atRest(d)) {
                return;
            }
            d.clock.advance(Domain.LEASE.plus(Duration.ofMinutes(1)));
            d.uses.sweeper().sweep();
        }
    }

    private static void personActs(Domain d, Path path, Request r) {
        switch (path.person()) {
            case FINISHES -> {
                if (r.status() == Status.AWAITING_MFA) {
                    d.uses.mfa().submit(r.id(), ALICE, d.codesOf(ALICE));
                } else if (d.uses.passwords().reveal(r.id(), ALICE, false).isDone()) {
                    d.uses.passwords().shown(r.id());
                }
            }
            case LETS_IT_EXPIRE -> d.clock.advance(Domain.SETUP_EXPIRY);
            case NOTHING -> { }
        }
    }

    private static boolean atRest(Domain d) {
        return d.store.findByStatus(Status.OPEN).isEmpty() && d.store.outbox().all().isEmpty();
    }

    // --- the invariants ---

    /**
     * Slack takes no idempotency key: a notice is told again when the process died between Slack's answer
     * and the record of it, or stalled longer than the lease between confirming its claim and that record
     * while another replica took the notice over.
     */
    static boolean opensTheWindow(String point, Fault fault) {
        return fault == Fault.CRASH && point.startsWith("after effect:")
                || fault == Fault.LEASE_STOLEN && (point.startsWith("before effect:") || point.startsWith("after effect:"));
    }

    /** @param repeats how many times a notice may have been told again (see {@link #opensTheWindow}) */
    static List<String> invariants(Domain d, Path path, int repeats) {
        List<String> broken = new ArrayList<>();
        List<Request> all = d.store.findByStatus(java.util.EnumSet.allOf(Status.class));
        if (!d.store.findByStatus(Status.OPEN).isEmpty()) {
            broken.add("not at rest: " + d.store.findByStatus(Status.OPEN).stream().map(r -> r.id() + "=" + r.status()).toList());
        }
        if (!d.store.outbox().all().isEmpty()) {
            broken.add("still owed: " + d.store.outbox().all());
        }
        Request main = about(d, path.about()).orElse(null);
        if (main == null) {
            broken.add("no request");
            return broken;
        }
        if (main.status() != path.ends()) {
            broken.add("ended " + main.status() + " " + main.ending() + ", not " + path.ends());
        }
        // No orphan user, login profile or unassigned device.
        boolean userThere = d.iam.user(USER).isPresent();
        if (userThere != path.userRemains()) {
            broken.add(userThere ? "an IAM user left behind" : "the IAM user is gone");
        }
        List<InMemoryIam.Device> unassigned = d.iam.devices().stream().filter(dev -> dev.user() == null).toList();
        if (!unassigned.isEmpty()) {
            broken.add("unassigned MFA devices: " + unassigned.stream().map(InMemoryIam.Device::serial).toList());
        }
        if (userThere && main.status() == Status.DONE && SETS_UP_MFA.contains(main.kind())) {
            long virtual = d.iam.user(USER).orElseThrow().mfaDevices.stream().filter(s -> s.contains(":mfa/")).count();
            if (virtual != 1) {
                broken.add(virtual + " virtual MFA devices on the user, not 1");
            }
        }
        if (main.kind() == Kind.GRANT && userThere && d.iam.user(USER).orElseThrow().groups.contains(GRANTED_GROUP)) {
            broken.add("still in " + GRANTED_GROUP + " after the grant ended");
        }
        if (main.kind() == Kind.LINK && main.status() == Status.DONE
                && d.links.ofPerson(ALICE).stream().noneMatch(l -> l.iamUserName().equalsIgnoreCase(USER))) {
            broken.add("no link to the person after the link was approved");
        }
        // No QR left of an ended setup.
        if (!d.slack.filesAlive().isEmpty()) {
            broken.add("QR files still in Slack: " + d.slack.filesAlive());
        }
        // Everyone told once; again only for a fault in the window Slack leaves open.
        for (Request r : all) {
            if (!r.status().isTerminal()) {
                continue;
            }
            long toRequester = d.slack.toldTo(r.requesterUserId()).stream()
                    .filter(t -> t.requestId().equals(r.id()) && t.what().equals("notifyRequester") && t.status().equals(r.status().name()))
                    .count();
            long expected = BOT.equals(r.requesterUserId()) || quietEnding(r) ? 0 : 1;
            if (!toldOnce(toRequester, expected, repeats)) {
                broken.add(r.id() + ": requester told of " + r.status() + " " + toRequester + " times");
            }
            if (r.targetUserId() != null) {
                long done = d.slack.toldTo(r.targetUserId()).stream()
                        .filter(t -> t.requestId().equals(r.id()) && t.what().equals("setupCompleted")).count();
                long closed = d.slack.toldTo(r.targetUserId()).stream()
                        .filter(t -> t.requestId().equals(r.id()) && t.what().equals("setupClosed")).count();
                boolean personsTurnEnded = r.setupMessage() != null || r.dmChannel() != null;
                long expectDone = r.status() == Status.DONE && PERSONS_TURN.contains(r.kind()) ? 1 : 0;
                long expectClosed = r.status() != Status.DONE && personsTurnEnded ? 1 : 0;
                if (!toldOnce(done, expectDone, repeats)) {
                    broken.add(r.id() + ": person told done " + done + " times");
                }
                if (!toldOnce(closed, expectClosed, repeats)) {
                    broken.add(r.id() + ": person told their setup closed " + closed + " times");
                }
            }
        }
        // Nothing done twice: one approval post per request, passwords only as asked, each thing removed once.
        for (Request r : all) {
            long posts = d.slack.toldTo(RecordingNotifier.APPROVALS).stream()
                    .filter(t -> t.requestId().equals(r.id()) && t.what().equals("postApprovalRequest")).count();
            if (posts > 1) {
                broken.add(r.id() + ": approvers asked " + posts + " times");
            }
            if (new LinkedHashSet<Holding>(r.removed()).size() != r.removed().size()) {
                broken.add(r.id() + ": removed twice " + r.removed());
            }
        }
        // The person asked once (twice where a crash cut the first short): a password set per ask at most.
        long passwords = all.stream().flatMap(r -> d.store.auditTrail(r.id()).stream())
                .filter(e -> ALICE.equals(e.actor()) && "ok".equals(e.outcome())
                        && (e.action().equals("iam:UpdateLoginProfile") || e.action().equals("iam:CreateLoginProfile"))).count();
        if (passwords > 2) {
            broken.add(passwords + " passwords set for the person");
        }
        return broken;
    }

    /** The kinds that set up an MFA device, and those that wait for their person. */
    static final Set<Kind> SETS_UP_MFA = java.util.EnumSet.of(Kind.ONBOARD, Kind.RESET_MFA, Kind.ENROL_MFA);
    static final Set<Kind> PERSONS_TURN = java.util.EnumSet.of(Kind.ONBOARD, Kind.RESET_MFA, Kind.ENROL_MFA, Kind.RESET_PASSWORD);

    private static boolean toldOnce(long told, long expected, int repeats) {
        return expected == 0 ? told == 0 : told >= 1 && told <= 1 + repeats;
    }

    /** Endings nobody tells the requester of: withdrawn by the requester themselves, replaced by another request. */
    private static boolean quietEnding(Request r) {
        return r.status() == Status.CANCELLED && (r.ending() == null
                || r.ending().reason() == dev.awsonboard.lifecycle.model.Reason.SUPERSEDED
                || r.requesterUserId().equals(r.ending().arg("by")));
    }
}
