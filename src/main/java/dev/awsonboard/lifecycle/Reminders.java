package dev.awsonboard.lifecycle;

import dev.awsonboard.lifecycle.model.QuietHours;
import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.lifecycle.model.Status;
import dev.awsonboard.lifecycle.model.Step;
import dev.awsonboard.lifecycle.port.NotifierException;
import dev.awsonboard.lifecycle.port.People;
import dev.awsonboard.lifecycle.port.ReminderLog;
import dev.awsonboard.lifecycle.port.ReminderSender;
import dev.awsonboard.lifecycle.port.RequestStore;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Use case, run by each sweep: reminds the approvers of a request that waits for them (every
 * {@code approvalEvery}, at most {@code approvalMax} times, never while all of them are in their
 * quiet hours), the person whose setup waits for them (once at each {@code setupAfter}), and the
 * person whose grant ends soon (once, {@code grantEndingBefore} its end, never in their quiet hours). Each
 * reminder is recorded in the {@link ReminderLog} before it is sent: of two replicas sweeping at
 * once one sends it, and a restart does not repeat it. A send that fails is recorded in the audit
 * trail and not retried: a reminder is a nudge, and two are worse than one lost.
 */
public final class Reminders {
    private static final Logger log = LoggerFactory.getLogger(Reminders.class);
    /** Approvers' time zones are asked of Slack at most this often. */
    static final Duration ZONE_TTL = Duration.ofHours(1);

    /**
     * @param approvalEvery how long after the request (or the last reminder) the approvers are reminded
     * @param approvalMax   at most this many approval reminders per request; 0 for none
     * @param quiet         approvers' local quiet hours
     * @param setupAfter    after how long a waiting setup reminds its person, each once
     * @param grantEndingBefore how long before a grant ends its person is reminded; empty: never
     */
    public record Settings(Duration approvalEvery, int approvalMax, QuietHours quiet, List<Duration> setupAfter,
                           Optional<Duration> grantEndingBefore) {
        public Settings {
            setupAfter = setupAfter.stream().sorted().toList();
        }

        /** No reminder before a grant ends. */
        public Settings(Duration approvalEvery, int approvalMax, QuietHours quiet, List<Duration> setupAfter) {
            this(approvalEvery, approvalMax, quiet, setupAfter, Optional.empty());
        }
    }

    /** What one run sent, for logs and tests. */
    public record Report(int approvalReminders, int setupReminders, int grantReminders) {
        public Report(int approvalReminders, int setupReminders) {
            this(approvalReminders, setupReminders, 0);
        }
    }

    private record CachedZone(ZoneId zone, Instant until) {
    }

    private final RequestStore store;
    private final ReminderLog reminders;
    private final ReminderSender sender;
    private final People people;
    private final Approvers approvers;
    private final Settings settings;
    private final Duration setupExpiry;
    private final Clock clock;
    private final AuditLog audit;
    private final Map<String, CachedZone> zones = new ConcurrentHashMap<>();

    Reminders(RequestStore store, ReminderLog reminders, ReminderSender sender, People people, Approvers approvers,
              Settings settings, Duration setupExpiry, Clock clock) {
        this.store = store;
        this.reminders = reminders;
        this.sender = sender;
        this.people = people;
        this.approvers = approvers;
        this.settings = settings;
        this.setupExpiry = setupExpiry;
        this.clock = clock;
        this.audit = new AuditLog(store, clock);
    }

    public Report send() {
        Instant now = clock.instant();
        int approvals = 0;
        for (Request r : store.findByStatus(EnumSet.of(Status.REQUESTED))) {
            try {
                approvals += remindApprovers(r, now) ? 1 : 0;
            } catch (RuntimeException e) {
                // One request must not stop the others; the next sweep looks again.
                log.warn("request {}: approval reminder failed: {}", r.id(), e.getClass().getSimpleName());
            }
        }
        int setups = 0;
        for (Request r : store.findByStatus(Status.AWAITING_PERSON)) {
            try {
                setups += remindPerson(r, now) ? 1 : 0;
            } catch (RuntimeException e) {
                log.warn("request {}: setup reminder failed: {}", r.id(), e.getClass().getSimpleName());
            }
        }
        int grants = 0;
        for (Request r : store.findByStatus(EnumSet.of(Status.GRANTED))) {
            try {
                grants += remindGrantEnding(r, now) ? 1 : 0;
            } catch (RuntimeException e) {
                log.warn("request {}: grant reminder failed: {}", r.id(), e.getClass().getSimpleName());
            }
        }
        Report report = new Report(approvals, setups, grants);
        if (approvals + setups + grants > 0) {
            log.info("reminders: {}", report);
        }
        return report;
    }

    private boolean remindApprovers(Request r, Instant now) {
        if (r.approvalMessages().isEmpty()) {
            return false; // the approvers were never asked: the sweeper asks them first
        }
        Optional<ReminderLog.Reminded> found = reminders.reminded(r.id());
        if (found.isEmpty() || found.get().approval() >= settings.approvalMax()) {
            return false;
        }
        ReminderLog.Reminded done = found.get();
        Instant since = done.approval() == 0 || done.at() == null ? r.createdAt() : done.at();
        if (now.isBefore(since.plus(settings.approvalEvery()))) {
            return false;
        }
        List<String> awake = deciders(r).stream().filter(a -> !settings.quiet().isQuiet(now, zoneOf(a))).toList();
        if (awake.isEmpty()) {
            return false; // every approver is in their quiet hours: a later sweep sends it
        }
        ReminderLog.Reminded next = done.approvalSent(now);
        if (!reminders.record(r.id(), Status.REQUESTED, done, next)) {
            return false; // another replica sent it, or the request was decided meanwhile
        }
        String detail = "reminder " + next.approval() + " of " + settings.approvalMax() + " to " + String.join(",", awake);
        try {
            sender.remindApprovers(r, awake, Duration.between(r.createdAt(), now));
            audit.record(r.id(), AuditLog.BOT, "remind-approvers", detail, "ok");
        } catch (NotifierException e) {
            audit.record(r.id(), AuditLog.BOT, "remind-approvers", detail, e.code());
            log.warn("request {}: could not remind the approvers: {}", r.id(), e.code());
        }
        return true;
    }

    /** The approvers who may still decide this request under its rules; all of them if the rules leave nobody. */
    private List<String> deciders(Request r) {
        return approvers.toRemind(r);
    }

    private boolean remindPerson(Request r, Instant now) {
        if (settings.setupAfter().isEmpty() || r.targetUserId() == null) {
            return false;
        }
        Optional<ReminderLog.Reminded> found = reminders.reminded(r.id());
        if (found.isEmpty()) {
            return false;
        }
        ReminderLog.Reminded done = found.get();
        // The setup waits since its last stored change, which is also what its expiry counts from.
        Instant waitingSince = r.updatedAt();
        int due = (int) settings.setupAfter().stream().filter(d -> !now.isBefore(waitingSince.plus(d))).count();
        if (due <= done.setup()) {
            return false;
        }
        Duration left = Duration.between(now, waitingSince.plus(setupExpiry));
        if (left.isNegative() || left.isZero()) {
            return false; // the sweeper expires it
        }
        // Thresholds missed while no bot ran are not made up one by one: one reminder covers them.
        if (!reminders.record(r.id(), r.status(), done, done.setupSent(due, now))) {
            return false;
        }
        String detail = "reminder " + due + " of " + settings.setupAfter().size() + " to " + r.targetUserId()
                + ", expires in " + left.truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
        remindPerson(r, detail, () -> sender.remindPerson(r, left));
        return true;
    }

    /** Sends a reminder to the request's person, already recorded; what Slack answered goes into the audit trail. */
    private void remindPerson(Request r, String detail, Runnable send) {
        try {
            send.run();
            audit.record(r.id(), AuditLog.BOT, "remind-person", detail, "ok");
        } catch (NotifierException e) {
            audit.record(r.id(), AuditLog.BOT, "remind-person", detail, e.code());
            log.warn("request {}: could not remind {}: {}", r.id(), r.targetUserId(), e.code());
        }
    }

    /**
     * Once, {@code grantEndingBefore} before a grant ends, its person is told (in their DM), unless it is their
     * quiet hours: a reminder that would wake them is not sent at all, as the grant ends either way.
     */
    private boolean remindGrantEnding(Request r, Instant now) {
        if (settings.grantEndingBefore().isEmpty() || r.grant() == null || r.grant().endsAt() == null
                || r.step() == Step.GRANT_ENDING) {
            return false;
        }
        Instant endsAt = r.grant().endsAt();
        if (now.isBefore(endsAt.minus(settings.grantEndingBefore().get())) || !now.isBefore(endsAt)) {
            return false;
        }
        Optional<ReminderLog.Reminded> found = reminders.reminded(r.id());
        if (found.isEmpty() || found.get().setup() > 0 || settings.quiet().isQuiet(now, zoneOf(r.targetUserId()))) {
            return false;
        }
        ReminderLog.Reminded done = found.get();
        if (!reminders.record(r.id(), Status.GRANTED, done, done.setupSent(1, now))) {
            return false;
        }
        Duration left = Duration.between(now, endsAt);
        String detail = "grant ends in " + left.truncatedTo(java.time.temporal.ChronoUnit.MINUTES) + ", to " + r.targetUserId();
        remindPerson(r, detail, () -> sender.remindGrantEnding(r, left));
        return true;
    }

    /** The approver's Slack time zone; UTC when Slack does not say or cannot be asked. */
    private ZoneId zoneOf(String userId) {
        Instant now = clock.instant();
        CachedZone cached = zones.get(userId);
        if (cached != null && now.isBefore(cached.until())) {
            return cached.zone();
        }
        ZoneId zone;
        try {
            zone = people.find(userId).map(People.Person::timeZone).filter(z -> !z.isBlank()).map(ZoneId::of)
                    .orElse(ZoneOffset.UTC);
        } catch (NotifierException | DateTimeException e) {
            log.info("time zone of {} unknown ({}); using UTC", userId, e.getClass().getSimpleName());
            return ZoneOffset.UTC; // not cached: asked again next time
        }
        zones.put(userId, new CachedZone(zone, now.plus(ZONE_TTL)));
        return zone;
    }
}
