package dev.awsonboard.lifecycle;

import dev.awsonboard.lifecycle.port.Announcements;
import dev.awsonboard.lifecycle.port.Leases;
import dev.awsonboard.lifecycle.port.NotifierException;
import dev.awsonboard.lifecycle.port.OneTimeSteps;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.IsoFields;
import java.util.Optional;

/**
 * Use case: once a week (configurable, off by default) the approvers get the MFA coverage: how many
 * console users have no MFA (AWS Security Hub IAM.5), linked and not. Sent once per ISO week, on the
 * configured day from {@link #AT} UTC, whatever the replicas and restarts: a one-time step per week,
 * recorded once it went out, and a lease while it is being sent.
 */
public final class MfaSummary {
    private static final Logger log = LoggerFactory.getLogger(MfaSummary.class);
    /** The summary goes out from this time (UTC) of its day. */
    static final LocalTime AT = LocalTime.of(9, 0);

    private final AccountUsers accounts;
    private final Announcements announcements;
    private final OneTimeSteps sent;
    private final Leases leases;
    private final Lease lease;
    private final Clock clock;
    private final Optional<DayOfWeek> day;

    MfaSummary(AccountUsers accounts, Announcements announcements, OneTimeSteps sent, Leases leases, Lease lease, Clock clock,
               Optional<DayOfWeek> day) {
        this.accounts = accounts;
        this.announcements = announcements;
        this.sent = sent;
        this.leases = leases;
        this.lease = lease;
        this.clock = clock;
        this.day = day;
    }

    /** Sends this week's summary if its time has come and nobody sent it yet; true when this call sent it. */
    public boolean sendIfDue() {
        if (day.isEmpty()) {
            return false;
        }
        ZonedDateTime now = clock.instant().atZone(ZoneOffset.UTC);
        ZonedDateTime due = now.with(java.time.temporal.ChronoField.DAY_OF_WEEK, day.get().getValue()).with(AT);
        String week = "mfa-summary:" + now.get(IsoFields.WEEK_BASED_YEAR) + "-W" + now.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR);
        if (now.isBefore(due) || sent.isDone(week)) {
            return false;
        }
        if (!leases.claim(week, lease.owner(), clock.instant(), clock.instant().plus(lease.ttl()))) {
            return false; // another replica is sending it
        }
        try {
            if (sent.isDone(week)) {
                return false;
            }
            accounts.refreshIfStale();
            Optional<AccountUsers.Roster> roster = accounts.known();
            if (roster.isEmpty()) {
                log.warn("MFA summary of {} not sent: IAM's credential report could not be read; the next look tries again", week);
                return false;
            }
            announcements.mfaCoverage(roster.get().mfaCoverage());
            sent.markDone(week, clock.instant());
            log.info("MFA summary of {} sent: {}", week, roster.get().coverage());
            return true;
        } catch (NotifierException e) {
            log.warn("MFA summary of {} not sent ({}); the next look tries again", week, e.code());
            return false;
        } finally {
            leases.release(week, lease.owner());
        }
    }
}
