package dev.awsonboard.lifecycle;

import dev.awsonboard.lifecycle.model.Notice;
import dev.awsonboard.lifecycle.model.Reason;
import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.lifecycle.model.Status;
import dev.awsonboard.lifecycle.model.Step;
import dev.awsonboard.lifecycle.port.IamException;
import dev.awsonboard.lifecycle.port.IamGateway;
import dev.awsonboard.lifecycle.port.Leases;
import dev.awsonboard.lifecycle.port.RequestStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;

/**
 * The way down of a grant: at its end (each sweep looks) or earlier (revoke, End now) the IAM user
 * leaves the group, exactly once across replicas, restarts and crashes. Under the request's lease,
 * the end is recorded first (step GRANT_ENDING), then IAM is asked whether the user is still in the
 * group, and only then is it taken out; a run that finds the end recorded and the user already out
 * (an earlier run died after removing it, or someone removed it by hand) takes nothing out. The
 * grant is recorded as done in the write that owes telling the person, the requester and the
 * approvers, so a crash after it leaves them owed, not told twice or never.
 */
public final class GrantEnds {
    private static final Logger log = LoggerFactory.getLogger(GrantEnds.class);

    private final RequestStore store;
    private final Leases leases;
    private final Lease lease;
    private final IamGateway iam;
    private final IamRetry retry;
    private final CrashProbe probe;
    private final Effects effects;
    private final Clock clock;
    private final AuditLog audit;
    private final java.util.Set<String> ending = java.util.concurrent.ConcurrentHashMap.newKeySet();

    GrantEnds(RequestStore store, Leases leases, Lease lease, IamGateway iam, IamRetry retry, CrashProbe probe,
              Effects effects, Clock clock) {
        this.store = store;
        this.leases = leases;
        this.lease = lease;
        this.iam = iam;
        this.retry = retry;
        this.probe = probe;
        this.effects = effects;
        this.clock = clock;
        this.audit = new AuditLog(store, clock);
    }

    /** Ends every grant whose time has come, or whose end was recorded and not finished; how many ended. */
    public int endDue() {
        Instant now = clock.instant();
        int ended = 0;
        for (Request r : store.findByStatus(EnumSet.of(Status.GRANTED))) {
            if (r.step() == Step.GRANT_ENDING || r.grant() != null && r.grant().endsAt() != null && !now.isBefore(r.grant().endsAt())) {
                try {
                    ended += end(r.id()) ? 1 : 0;
                } catch (RuntimeException e) {
                    // One grant must not keep the others running past their end; the next sweep tries it again.
                    log.warn("request {}: ending the grant failed: {}", r.id(), e.getClass().getSimpleName());
                }
            }
        }
        return ended;
    }

    /** The running grants, soonest end first (App Home's approvers). */
    public List<Request> running() {
        return store.findByStatus(EnumSet.of(Status.GRANTED)).stream()
                .sorted(java.util.Comparator.comparing(r -> r.grant() == null || r.grant().endsAt() == null
                        ? Instant.MAX : r.grant().endsAt())).toList();
    }

    /**
     * Records that the grant ends now, {@code why} (someone ended it early): a compare-and-set, so of two clicks
     * one records it; the end itself follows ({@link #end}). Empty when the row changed under us.
     */
    Optional<Request> endEarly(Request r, Notice why) {
        Instant now = clock.instant();
        return store.replace(r, r.withStep(Step.GRANT_ENDING, now).withEndingNote(why, now)
                .withGrant(r.grant().endingAt(now), now));
    }

    /** Ends the grant if it is due or its end was recorded; false when another worker holds it or nothing was due. */
    boolean end(String requestId) {
        // The lease keeps other processes out; this set keeps out other threads of this one (a sweep and a
        // revoke, or the start's catch-up), which share the lease owner.
        if (!ending.add(requestId)) {
            return false;
        }
        try {
            return endLeased(requestId);
        } finally {
            ending.remove(requestId);
        }
    }

    private boolean endLeased(String requestId) {
        if (!leases.claim(requestId, lease.owner(), clock.instant(), clock.instant().plus(lease.ttl()))) {
            return false;
        }
        // Given up when done or refused; a worker that dies (an Error) keeps it until it runs out, as a dead process does.
        try (var ignored = org.slf4j.MDC.putCloseable("request_id", requestId)) {
            boolean ended = endClaimed(requestId);
            leases.release(requestId, lease.owner());
            if (ended) {
                effects.settle(requestId); // what the end owes: telling people of it
            }
            return ended;
        } catch (RuntimeException e) {
            leases.release(requestId, lease.owner());
            throw e;
        }
    }

    private boolean endClaimed(String requestId) {
        Request r = store.find(requestId).orElseThrow();
        if (r.status() != Status.GRANTED) {
            return false; // ended meanwhile
        }
        boolean resumed = r.step() == Step.GRANT_ENDING;
        if (!resumed) {
            if (r.grant().endsAt() == null || clock.instant().isBefore(r.grant().endsAt())) {
                return false;
            }
            Optional<Request> recorded = store.replace(r, r.withStep(Step.GRANT_ENDING, clock.instant()));
            if (recorded.isEmpty()) {
                return false; // someone ended it early just now: their end runs
            }
            r = recorded.get();
            audit.record(r.id(), AuditLog.BOT, "grant-ending", "group=" + Grant.group(r) + " endsAt=" + r.grant().endsAt(), "ok");
        }
        probe.reached("grant ending recorded");
        Notice why;
        try {
            why = takeOut(r, resumed);
        } catch (IamException e) {
            // Left as it is, recorded as ending: the next sweep tries again, and nobody is told it ended.
            log.warn("request {}: could not end the grant of {} in {}: {}", r.id(), r.iamUserName(), Grant.group(r), e.code());
            return false;
        }
        Request ended = r.withStep(Step.GRANT_ENDED, clock.instant()).withEnding(Status.DONE, why, clock.instant());
        Optional<Request> done = store.replace(r, ended, null, Effects.tellOfWithPerson(ended, Status.DONE));
        if (done.isPresent()) {
            audit.record(r.id(), AuditLog.BOT, "grant-ended", why.reason().name() + " group=" + Grant.group(r), "ok");
            log.info("request {}: grant of {} in {} ended ({})", r.id(), r.iamUserName(), Grant.group(r), why.reason());
            probe.reached("grant end recorded");
        }
        return done.isPresent();
    }

    /**
     * Takes the user out of the group if IAM still has them in it; why the grant ended. A user IAM no longer
     * has (offboarded meanwhile) and a membership already gone are no errors.
     */
    private Notice takeOut(Request r, boolean resumed) {
        String user = r.iamUserName();
        String group = Grant.group(r);
        IamCalls calls = new IamCalls(r.id(), AuditLog.BOT, audit, retry, probe);
        Notice planned = r.ending() != null ? r.ending() : Notice.of(Reason.GRANT_ENDED, "until", r.grant().endsAt());
        List<String> groups;
        try {
            groups = calls.call("iam:ListGroupsForUser", "user=" + user, IamRetry.Mode.TRANSIENT, () -> iam.groupsOf(user));
        } catch (IamException e) {
            if (e.kind() == IamException.Kind.NO_SUCH_ENTITY) {
                return Notice.of(Reason.GRANT_USER_GONE, "user", user);
            }
            throw e;
        }
        if (groups.stream().noneMatch(g -> g.equalsIgnoreCase(group))) {
            // After a crash the removal may have been ours; else someone took the user out by hand.
            return resumed ? planned : Notice.of(Reason.GRANT_LEFT_EARLIER, "group", group);
        }
        if (!calls.remove("iam:RemoveUserFromGroup", "user=" + user + " group=" + group, () -> iam.removeUserFromGroup(user, group))) {
            return Notice.of(Reason.GRANT_LEFT_EARLIER, "group", group);
        }
        return planned;
    }
}
