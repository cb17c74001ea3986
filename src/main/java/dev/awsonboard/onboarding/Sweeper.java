package dev.awsonboard.onboarding;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The periodic janitor: resumes provisioning a dead worker left behind, expires requests
 * nobody approved and setups nobody finished (removing what they created in IAM and the
 * QR from Slack), and deletes unassigned MFA devices the bot created and lost.
 */
public final class Sweeper {
    private static final Logger log = LoggerFactory.getLogger(Sweeper.class);
    private static final Set<Status> DEVICE_IN_USE = EnumSet.of(Status.APPROVED, Status.PROVISIONING, Status.AWAITING_MFA);

    private final RequestStore store;
    private final IamGateway iam;
    private final Notifier notifier;
    private final Provisioner provisioner;
    private final Clock clock;
    private final Duration approvalExpiry;
    private final Duration setupExpiry;
    private final ProvisioningSettings settings;
    private final Provisioner.Lease lease;
    private final AuditLog audit;
    private final Cleanup cleanup;

    public Sweeper(RequestStore store, IamGateway iam, Notifier notifier, Provisioner provisioner, Clock clock,
                   Duration approvalExpiry, Duration setupExpiry, ProvisioningSettings settings, Provisioner.Lease lease) {
        this.store = store;
        this.iam = iam;
        this.notifier = notifier;
        this.provisioner = provisioner;
        this.clock = clock;
        this.approvalExpiry = approvalExpiry;
        this.setupExpiry = setupExpiry;
        this.settings = settings;
        this.lease = lease;
        this.audit = new AuditLog(store, clock);
        this.cleanup = new Cleanup(iam, notifier, store, audit, clock, settings);
    }

    /** What one sweep did, for logs and tests. */
    public record Report(int resumed, int approvalsExpired, int setupsExpired, int devicesDeleted) {
    }

    public Report sweep() {
        int resumed = 0;
        for (Request r : store.findByStatus(Status.RESUMABLE)) {
            provisioner.run(r.id()); // no-op unless its previous worker's claim has expired
            resumed++;
        }
        Instant now = clock.instant();
        int approvals = 0;
        for (Request r : store.findByStatus(EnumSet.of(Status.REQUESTED))) {
            if (r.createdAt().plus(approvalExpiry).isBefore(now) && expireApproval(r)) {
                approvals++;
            }
        }
        int setups = 0;
        for (Request r : store.findByStatus(EnumSet.of(Status.AWAITING_MFA))) {
            if (r.updatedAt().plus(setupExpiry).isBefore(now) && expireSetup(r)) {
                setups++;
            }
        }
        int devices = deleteLostDevices();
        Report report = new Report(resumed, approvals, setups, devices);
        if (approvals + setups + devices > 0) {
            log.info("sweep: {}", report);
        }
        return report;
    }

    private boolean expireApproval(Request r) {
        Optional<Request> expired = store.replace(r, r.withFailure(Status.EXPIRED,
                "nobody approved it within " + human(approvalExpiry), clock.instant()));
        if (expired.isEmpty()) {
            return false; // decided meanwhile
        }
        audit.record(r.id(), AuditLog.BOT, "expire", "not approved in time", "ok");
        tell(expired.get(), false);
        return true;
    }

    private boolean expireSetup(Request r) {
        if (!store.claim(r.id(), lease.owner(), clock.instant(), clock.instant().plus(lease.ttl()))) {
            return false;
        }
        try {
            Optional<Request> expired = store.replace(r, r.withFailure(Status.EXPIRED,
                    "MFA was not set up within " + human(setupExpiry) + "; the IAM user was removed", clock.instant()));
            if (expired.isEmpty()) {
                return false; // she finished just now
            }
            audit.record(r.id(), AuditLog.BOT, "expire", "setup not completed in time", "ok");
            tell(cleanup.removeAll(expired.get()), true);
            return true;
        } finally {
            store.release(r.id(), lease.owner());
        }
    }

    /** Unassigned devices named after one of our requests that no longer needs one. */
    private int deleteLostDevices() {
        List<String> serials;
        try {
            serials = iam.unassignedVirtualMfaDevices(settings.iamPath());
        } catch (IamException e) {
            log.warn("sweep: could not list virtual MFA devices: {}", e.code());
            return 0;
        }
        int deleted = 0;
        for (String serial : serials) {
            String name = serial.substring(serial.lastIndexOf('/') + 1);
            List<Request> ours = store.findByIamUserName(name);
            boolean inUse = ours.stream().anyMatch(r -> DEVICE_IN_USE.contains(r.status()));
            if (ours.isEmpty() || inUse) {
                continue; // not ours, or a live request owns it
            }
            try {
                iam.deleteVirtualMfaDevice(serial);
                audit.record(ours.get(0).id(), AuditLog.BOT, "iam:DeleteVirtualMFADevice", "serial=" + serial + " (lost device)", "ok");
                deleted++;
            } catch (IamException e) {
                audit.record(ours.get(0).id(), AuditLog.BOT, "iam:DeleteVirtualMFADevice", "serial=" + serial + " (lost device)", e.code());
            }
        }
        return deleted;
    }

    private void tell(Request r, boolean person) {
        try {
            notifier.refreshApprovalRequest(r);
            notifier.notifyRequester(r);
            if (person) {
                notifier.setupExpired(r);
            }
        } catch (NotifierException e) {
            audit.record(r.id(), AuditLog.BOT, "slack:notify-expiry", "", e.code());
            log.warn("request {}: could not tell Slack about the expiry: {}", r.id(), e.code());
        }
    }

    static String human(Duration d) {
        if (d.toDays() > 0 && d.toHoursPart() == 0) {
            return d.toDays() + (d.toDays() == 1 ? " day" : " days");
        }
        if (d.toHours() > 0 && d.toMinutesPart() == 0) {
            return d.toHours() + (d.toHours() == 1 ? " hour" : " hours");
        }
        return d.toMinutes() + " minutes";
    }
}
