package dev.awsonboard.lifecycle;

import dev.awsonboard.lifecycle.model.Notice;
import dev.awsonboard.lifecycle.model.ProvisioningSettings;
import dev.awsonboard.lifecycle.model.Reason;
import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.lifecycle.model.Status;
import dev.awsonboard.lifecycle.model.Step;
import dev.awsonboard.lifecycle.port.Leases;
import dev.awsonboard.lifecycle.port.IamException;
import dev.awsonboard.lifecycle.port.IamGateway;
import dev.awsonboard.lifecycle.port.Outbox;
import dev.awsonboard.lifecycle.port.RequestStore;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * The periodic janitor: resumes work a dead worker left behind (checks and runs), asks the
 * approvers again where a crash cut that short, expires requests nobody approved and setups
 * nobody finished (undoing what their kind allows), and deletes unused MFA devices this bot
 * made and recorded.
 */
public final class Sweeper {
    private static final Logger log = LoggerFactory.getLogger(Sweeper.class);
    /** Work younger than this is probably still in someone's hands. */
    static final Duration GRACE = Duration.ofMinutes(1);

    private final RequestStore store;
    private final Leases leases;
    private final IamGateway iam;
    private final Runner runner;
    private final Screening screening;
    private final Effects effects;
    private final Clock clock;
    private final Duration approvalExpiry;
    private final Duration setupExpiry;
    private final ProvisioningSettings settings;
    private final Lease lease;
    private final AuditLog audit;
    private final IamRetry retry;
    private final Reminders reminders;
    private final CrashProbe probe;
    /** Where resumed checks and runs go, off the sweep's thread. */
    private final Executor workers;
    private final LinkBackfill backfill;

    Sweeper(RequestStore store, Leases leases, IamGateway iam, Runner runner, Screening screening, Effects effects,
            Clock clock, Duration approvalExpiry, Duration setupExpiry, ProvisioningSettings settings,
            Lease lease, IamRetry retry, Reminders reminders, CrashProbe probe, Executor workers, LinkBackfill backfill) {
        this.workers = workers;
        this.backfill = backfill;
        this.store = store;
        this.leases = leases;
        this.iam = iam;
        this.runner = runner;
        this.screening = screening;
        this.effects = effects;
        this.clock = clock;
        this.approvalExpiry = approvalExpiry;
        this.setupExpiry = setupExpiry;
        this.settings = settings;
        this.lease = lease;
        this.audit = new AuditLog(store, clock);
        this.retry = retry;
        this.reminders = reminders;
        this.probe = probe;
    }

    /** What one sweep did, for logs and tests. */
    public record Report(int resumed, int approvalsExpired, int setupsExpired, int devicesDeleted, int filesDeleted) {
    }

    /** At start: the checks and the runs a previous process acknowledged or approved and did not finish, on {@code workers}. */
    public void resumeAfterStart(Executor workers) {
        workers.execute(backfill::runIfNeeded);
        for (Request r : store.findByStatus(EnumSet.of(Status.SUBMITTED))) {
            log.info("resuming the checks of request {}", r.id());
            workers.execute(() -> screening.check(r.id(), Optional.empty()));
        }
        for (Request r : store.findByStatus(Status.RESUMABLE)) {
            log.info("resuming request {} from step {}", r.id(), r.step());
            workers.execute(() -> runner.run(r.id()));
        }
    }

    /**
     * One sweep. Each item is on its own: one request whose check, run, expiry or reminder throws is
     * logged and passed, and the sweep goes on to the rest (expiries, reminders, owed effects). Checks
     * and runs it resumes go to the workers: a resumed run under an IAM brownout would hold the sweep
     * for minutes.
     */
    public Report sweep() {
        backfill.runIfNeeded(); // once per database, after the upgrade that brought links
        Instant now = clock.instant();
        int resumed = 0;
        for (Request r : store.findByStatus(EnumSet.of(Status.SUBMITTED))) {
            if (r.updatedAt().plus(GRACE).isBefore(now)) {
                // a no-op while another worker's claim holds
                resumed += handOver(r, () -> screening.check(r.id(), Optional.empty())) ? 1 : 0;
            }
        }
        for (Request r : store.findByStatus(Status.RESUMABLE)) {
            resumed += handOver(r, () -> runner.run(r.id())) ? 1 : 0; // a no-op unless its previous worker's claim expired
        }
        int approvals = 0;
        for (Request r : store.findByStatus(EnumSet.of(Status.REQUESTED))) {
            if (r.createdAt().plus(approvalExpiry).isBefore(now)) {
                approvals += each(r, "expire", () -> expireApproval(r)) ? 1 : 0;
            } else if (r.approvalMessages().isEmpty() && r.updatedAt().plus(GRACE).isBefore(now)) {
                each(r, "ask the approvers again", () -> {
                    askApproversAgain(r);
                    return true;
                });
            }
        }
        int setups = 0;
        for (Request r : store.findByStatus(Status.AWAITING_PERSON)) {
            if (r.updatedAt().plus(setupExpiry).isBefore(now)) {
                setups += each(r, "expire", () -> expireSetup(r)) ? 1 : 0;
            }
        }
        isolated("reminders", reminders::send); // after expiry, so nothing that just expired is reminded of
        int devices = isolated("lost devices", this::deleteLostDevices);
        int files = isolated("owed effects", () -> effects.drainDue().qrFilesDeleted());
        Report report = new Report(resumed, approvals, setups, devices, files);
        if (approvals + setups + devices + files > 0) {
            log.info("sweep: {}", report);
        }
        return report;
    }

    /** Runs {@code work} for {@code r} on a worker; false when none would take it (the bot is stopping). */
    private boolean handOver(Request r, Runnable work) {
        try {
            workers.execute(() -> each(r, "resume", () -> {
                work.run();
                return true;
            }));
            return true;
        } catch (RejectedExecutionException stopping) {
            return false;
        }
    }

    /** {@code work} for one request: what it throws is logged and stops nothing else. */
    private boolean each(Request r, String what, java.util.function.BooleanSupplier work) {
        try (var ignored = org.slf4j.MDC.putCloseable("request_id", r.id())) {
            return work.getAsBoolean();
        } catch (RuntimeException e) {
            log.warn("sweep: could not {} request {}: {}", what, r.id(), e.getClass().getSimpleName(), e);
            return false;
        }
    }

    private int isolated(String what, java.util.function.IntSupplier work) {
        try {
            return work.getAsInt();
        } catch (RuntimeException e) {
            log.warn("sweep: {} failed: {}", what, e.getClass().getSimpleName(), e);
            return 0;
        }
    }

    private void isolated(String what, Runnable work) {
        isolated(what, () -> {
            work.run();
            return 0;
        });
    }

    /** Checked, but a crash came before the approvers were asked. */
    private void askApproversAgain(Request r) {
        if (!leases.claim(r.id(), lease.owner(), clock.instant(), clock.instant().plus(lease.ttl()))) {
            return;
        }
        try {
            store.find(r.id()).filter(c -> c.status() == Status.REQUESTED && c.approvalMessages().isEmpty())
                    .ifPresent(screening::postApproval);
        } finally {
            leases.release(r.id(), lease.owner());
        }
    }

    private boolean expireApproval(Request r) {
        Optional<Request> expired = store.replace(r, Effects.ended(r, Status.EXPIRED,
                Notice.of(Reason.NOT_APPROVED_IN_TIME, "duration", approvalExpiry), clock.instant()),
                Effects.ofEnding(r, Status.EXPIRED, null, true));
        if (expired.isEmpty()) {
            return false; // decided meanwhile
        }
        audit.record(r.id(), AuditLog.BOT, "expire", "not approved in time", "ok");
        effects.settle(r.id());
        return true;
    }

    private boolean expireSetup(Request r) {
        if (!leases.claim(r.id(), lease.owner(), clock.instant(), clock.instant().plus(lease.ttl()))) {
            return false;
        }
        try {
            // The expiry and its undo, the QR's deletion, the setup closed and people told are one write:
            // a crash after it leaves them owed, never a user of an ended setup with its password.
            Optional<Request> expired = store.replace(r, Effects.ended(r, Status.EXPIRED,
                    Notice.of(Reason.NOT_FINISHED_IN_TIME, "duration", setupExpiry), clock.instant()),
                    Effects.ofEnding(r, Status.EXPIRED, Outbox.Effect.UNDO, true));
            if (expired.isEmpty()) {
                return false; // the person finished just now
            }
            audit.record(r.id(), AuditLog.BOT, "expire", "not finished in time", "ok");
            log.info("request {} ({} of IAM user {}): expired waiting for the person", r.id(), r.kind(), r.iamUserName());
            probe.reached("saved EXPIRED");
            effects.settle(r.id());
            return true;
        } finally {
            leases.release(r.id(), lease.owner());
        }
    }

    /** How long after its request ended an unused device is still surely the bot's own. */
    static final Duration LOST_DEVICE_WINDOW = Duration.ofDays(2);

    /**
     * Unassigned virtual devices this bot made for a request that ended without ever enabling
     * them (the serial is recorded on it) and ended recently. A device under a name this bot once
     * used but did not record, or recorded for a user who went on to enable it (an admin
     * re-registering that user's phone by hand reuses the same serial), or left long ago, is
     * never touched.
     */
    private int deleteLostDevices() {
        List<String> serials;
        try {
            serials = retry.call(IamRetry.Mode.TRANSIENT, () -> iam.unassignedVirtualMfaDevices(settings.iamPath()), e -> { });
        } catch (IamException e) {
            log.warn("sweep: could not list virtual MFA devices: {}", e.code());
            return 0;
        }
        Instant recent = clock.instant().minus(LOST_DEVICE_WINDOW);
        int deleted = 0;
        for (String serial : serials) {
            String name = serial.substring(serial.lastIndexOf('/') + 1);
            // The latest request that recorded it and any open one, by index: never the name's whole history.
            Optional<Request> latest = store.findLatestWithMfaSerial(name, serial);
            if (latest.isEmpty()) {
                continue; // not ours
            }
            Request last = latest.get();
            boolean lost = last.status().isTerminal() && last.step() != Step.MFA_ENABLED && last.updatedAt().isAfter(recent)
                    && store.findOpenByIamUserName(name).stream().noneMatch(r -> serial.equals(r.mfaSerial()));
            if (!lost) {
                continue;
            }
            try {
                iam.deleteVirtualMfaDevice(serial);
                audit.record(last.id(), AuditLog.BOT, "iam:DeleteVirtualMFADevice", "serial=" + serial + " (lost device)", "ok");
                deleted++;
            } catch (IamException e) {
                audit.record(last.id(), AuditLog.BOT, "iam:DeleteVirtualMFADevice", "serial=" + serial + " (lost device)", e.code());
            }
        }
        return deleted;
    }

}
