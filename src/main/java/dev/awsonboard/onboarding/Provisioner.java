package dev.awsonboard.onboarding;

import dev.awsonboard.config.Secret;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Use case: turn an approved request into an IAM user with a login profile and a virtual
 * MFA device, and hand the person their QR code. Each finished step is stored before the
 * next starts, so {@link #run} can be called again after a crash and picks up where it
 * stopped. The seed lives only in this method's frame: a device whose seed was lost
 * (crash before the QR went out) is deleted and created anew.
 */
public final class Provisioner {
    private static final Logger log = LoggerFactory.getLogger(Provisioner.class);

    private final RequestStore store;
    private final IamGateway iam;
    private final Notifier notifier;
    private final SetupQr qr;
    private final Function<PasswordPolicy, Secret> passwords;
    private final ProvisioningSettings settings;
    private final Clock clock;
    private final AuditLog audit;
    private final Backoff backoff;
    private final Cleanup cleanup;
    private final Lease lease;
    private final Probe probe;
    private final Set<String> running = ConcurrentHashMap.newKeySet();

    public Provisioner(RequestStore store, IamGateway iam, Notifier notifier, SetupQr qr, Function<PasswordPolicy, Secret> passwords,
                       ProvisioningSettings settings, Clock clock, Backoff backoff, Lease lease, Probe probe) {
        this.store = store;
        this.iam = iam;
        this.notifier = notifier;
        this.qr = qr;
        this.passwords = passwords;
        this.settings = settings;
        this.clock = clock;
        this.audit = new AuditLog(store, clock);
        this.cleanup = new Cleanup(iam, notifier, store, audit, clock, settings);
        this.backoff = backoff;
        this.lease = lease;
        this.probe = probe;
    }

    /**
     * Who this worker is and how long its claim on a request lasts without renewal. A
     * crashed worker's requests are taken over once its claim expires.
     */
    public record Lease(String owner, java.time.Duration ttl) {
    }

    /** Called at every point where a crash would leave work half done; tests crash the bot there. */
    public interface Probe {
        void reached(String point);

        Probe NONE = point -> { };
    }

    /** Waits between tries of a step that failed for a transient reason. */
    public interface Backoff {
        void pause(int attempt);

        Backoff NONE = attempt -> { };
    }

    /** Thrown inside a run when a step cannot go on; the run marks the request FAILED. */
    private static final class StepFailed extends RuntimeException {
        StepFailed(String message) {
            super(message);
        }
    }

    /** Thrown when our compare-and-set lost: someone else moved the request on. */
    private static final class Superseded extends RuntimeException {
        Superseded() {
            super(null, null, false, false);
        }
    }

    public void run(String requestId) {
        // Every log line of this run carries the request id as a field (never a secret).
        try (var ignored = org.slf4j.MDC.putCloseable("request_id", requestId)) {
            runLogged(requestId);
        }
    }

    private void runLogged(String requestId) {
        Optional<Request> found = store.find(requestId);
        if (found.isEmpty()) {
            return;
        }
        Request r = found.get();
        if (!Status.RESUMABLE.contains(r.status())) {
            return;
        }
        // The lease keeps other processes out; this set keeps out other threads of this one,
        // which share the lease owner (a sweep and a resume can reach the same request).
        if (!running.add(requestId)) {
            return;
        }
        try {
            if (!claim(requestId)) {
                log.info("request {}: another worker holds it; leaving it", requestId);
                return;
            }
            boolean finished = false; // stays false only when the worker dies mid-run (an Error)
            try {
                // Re-read under the claim: the previous holder may have moved it on since.
                r = store.find(requestId).orElse(r);
                if (Status.RESUMABLE.contains(r.status())) {
                    runClaimed(r);
                }
                finished = true;
            } finally {
                if (finished) {
                    store.release(requestId, lease.owner());
                }
            }
        } finally {
            running.remove(requestId);
        }
    }

    private boolean claim(String requestId) {
        return store.claim(requestId, lease.owner(), clock.instant(), clock.instant().plus(lease.ttl()));
    }

    private void runClaimed(Request r) {
        String requestId = r.id();
        try {
            if (r.status() == Status.APPROVED) {
                r = save(r, r.withStatus(Status.PROVISIONING, clock.instant()));
                refresh(r);
            }
            if (r.status() != Status.PROVISIONING) {
                return;
            }
            r = steps(r);
            log.info("request {}: setup sent to the person, waiting for MFA codes", r.id());
        } catch (Superseded e) {
            log.info("request {}: another worker moved it on; leaving it", requestId);
        } catch (StepFailed e) {
            fail(requestId, e.getMessage());
        } catch (IamException e) {
            fail(requestId, "IAM said " + e.code() + ": " + e.getMessage());
        } catch (RuntimeException e) {
            log.error("request {}: provisioning stopped unexpectedly ({})", requestId, e.getClass().getSimpleName());
            fail(requestId, "unexpected error (" + e.getClass().getSimpleName() + ")");
        }
    }

    private Request steps(Request r) {
        if (r.step() == Step.NONE) {
            r = createUser(r);
        }
        if (r.step() == Step.USER_CREATED) {
            r = addToGroups(r);
        }
        if (r.step() == Step.GROUPS_ADDED) {
            r = createLoginProfile(r);
        }
        if (r.step() == Step.LOGIN_PROFILE_CREATED || r.step() == Step.MFA_DEVICE_CREATED) {
            r = createDeviceAndSendSetup(r);
        }
        return r;
    }

    private Request createUser(Request r) {
        Map<String, String> tags = new LinkedHashMap<>(settings.extraTags());
        tags.put(Tags.REQUEST_ID, r.id());
        tags.put(Tags.SLACK_USER, r.targetUserId());
        tags.put(Tags.REQUESTED_BY, r.requesterUserId());
        tags.put(Tags.APPROVED_BY, r.approverUserId() == null ? "" : r.approverUserId());
        String arn;
        try {
            arn = call(r, "iam:CreateUser", "user=" + r.iamUserName() + " path=" + settings.iamPath() + " tags=" + tags.keySet()
                            + settings.permissionsBoundary().map(b -> " boundary=" + b).orElse(""),
                    () -> iam.createUser(r.iamUserName(), settings.iamPath(), tags, settings.permissionsBoundary())).arn();
        } catch (IamException e) {
            if (e.kind() != IamException.Kind.ALREADY_EXISTS) {
                throw e;
            }
            // A user with our request tag is ours: an earlier run created it and stopped before recording it.
            IamGateway.ExistingUser existing = iam.findUser(r.iamUserName())
                    .filter(u -> r.id().equals(u.tags().get(Tags.REQUEST_ID)))
                    .orElseThrow(() -> new StepFailed("IAM user " + r.iamUserName()
                            + " already exists and was not created by this request"));
            arn = existing.arn();
        }
        String accountId = Request.accountIdOf(arn);
        String url = settings.signInUrl().orElseGet(() -> "https://" + accountLabel(accountId) + ".signin.aws.amazon.com/console");
        return save(r, r.withUser(arn, url, clock.instant()).withStep(Step.USER_CREATED, clock.instant()));
    }

    private Request addToGroups(Request r) {
        for (String group : settings.groupsFor(r)) {
            // Adding a member twice is no error in IAM, so a resumed run simply repeats this.
            call(r, "iam:AddUserToGroup", "user=" + r.iamUserName() + " group=" + group, () -> {
                iam.addUserToGroup(r.iamUserName(), group);
                return null;
            });
        }
        return save(r, r.withStep(Step.GROUPS_ADDED, clock.instant()));
    }

    private Request createLoginProfile(Request r) {
        PasswordPolicy policy = call(r, "iam:GetAccountPasswordPolicy", "", iam::passwordPolicy);
        // This password is never shown: the person gets a fresh one when they click "Show password".
        Secret password = passwords.apply(policy);
        try {
            call(r, "iam:CreateLoginProfile", "user=" + r.iamUserName() + " password=" + Secret.MASK + " resetRequired=true", () -> {
                iam.createLoginProfile(r.iamUserName(), password, true);
                return null;
            });
        } catch (IamException e) {
            if (e.kind() != IamException.Kind.ALREADY_EXISTS) {
                throw e;
            }
            // Ours from an earlier run (the user carries our tag): reset it rather than fail.
            call(r, "iam:UpdateLoginProfile", "user=" + r.iamUserName() + " password=" + Secret.MASK + " resetRequired=true", () -> {
                iam.updateLoginProfile(r.iamUserName(), password, true);
                return null;
            });
        }
        return save(r, r.withStep(Step.LOGIN_PROFILE_CREATED, clock.instant()));
    }

    private Request createDeviceAndSendSetup(Request r) {
        if (r.qrFileId() != null) {
            // A QR from an earlier run: its seed is gone with that run, so it must not stay in the DM.
            deleteQr(r, r.qrFileId());
            r = save(r, r.withDelivery(r.dmChannel(), null, clock.instant()));
        }
        if (r.mfaSerial() != null) {
            // The seed of this device died with an earlier run; nobody can ever use it.
            deleteDevice(r, r.mfaSerial());
            r = save(r, r.withMfaSerial(null, clock.instant()));
        }
        IamGateway.VirtualMfaDevice device;
        try {
            device = createDevice(r);
        } catch (IamException e) {
            if (e.kind() != IamException.Kind.ALREADY_EXISTS) {
                throw e;
            }
            // Created by an earlier run that died before recording the serial.
            deleteDevice(r, settings.deviceSerialFor(r));
            device = createDevice(r);
        }
        r = save(r, r.withMfaSerial(device.serialNumber(), clock.instant()).withStep(Step.MFA_DEVICE_CREATED, clock.instant()));

        String label = accountLabel(r.accountId());
        Notifier.SetupDetails details = new Notifier.SetupDetails(r.signInUrl(), r.iamUserName(), label,
                qr.png(label, r.iamUserName(), device.base32Seed()));
        try {
            // Slack names the file before the bytes go out; recording it first means no crash can
            // leave a QR in the DM that nobody knows to delete.
            Notifier.QrUpload upload = notifier.reserveQr(r, details);
            r = save(r, r.withDelivery(upload.dmChannel(), upload.fileId(), clock.instant()));
            notifier.shareQr(upload, details);
            probe.reached("after slack:share-qr");
            notifier.sendSetupInstructions(r, details);
            probe.reached("after slack:setup-instructions");
        } catch (NotifierException e) {
            audit.record(r.id(), AuditLog.BOT, "slack:deliver-setup", "to=" + r.targetUserId(), e.code());
            throw new StepFailed("could not DM <@" + r.targetUserId() + "> the setup (Slack said " + e.code() + ")");
        }
        audit.record(r.id(), AuditLog.BOT, "slack:deliver-setup", "to=" + r.targetUserId() + " file=" + r.qrFileId(), "ok");
        r = save(r, r.withStep(Step.SETUP_SENT, clock.instant()).withStatus(Status.AWAITING_MFA, clock.instant()));
        refresh(r);
        tellRequester(r);
        return r;
    }

    private void deleteQr(Request r, String fileId) {
        try {
            notifier.deleteFile(fileId);
            audit.record(r.id(), AuditLog.BOT, "slack:delete-qr", "file=" + fileId + " (stale)", "ok");
        } catch (NotifierException e) {
            // Its device is deleted next, so the image is useless; on the record, not a reason to stop.
            audit.record(r.id(), AuditLog.BOT, "slack:delete-qr", "file=" + fileId + " (stale)", e.code());
        }
    }

    private IamGateway.VirtualMfaDevice createDevice(Request r) {
        // Named exactly like the user: the common self-service policy only allows mfa/${aws:username}.
        return call(r, "iam:CreateVirtualMFADevice", "name=" + r.iamUserName() + " path=" + settings.iamPath(),
                () -> iam.createVirtualMfaDevice(r.iamUserName(), settings.iamPath()));
    }

    private void deleteDevice(Request r, String serial) {
        try {
            call(r, "iam:DeleteVirtualMFADevice", "serial=" + serial, () -> {
                iam.deleteVirtualMfaDevice(serial);
                return null;
            });
        } catch (IamException e) {
            if (e.kind() != IamException.Kind.NO_SUCH_ENTITY) {
                throw e;
            }
        }
    }

    private String accountLabel(String accountId) {
        try {
            return iam.accountAlias().orElse(accountId);
        } catch (IamException e) {
            // The alias is cosmetic; the account id always works.
            return accountId;
        }
    }

    /** One IAM call: retried while the failure is transient, audited either way, secrets never in detail. */
    private <T> T call(Request r, String action, String detail, Supplier<T> body) {
        for (int attempt = 1; ; attempt++) {
            try {
                T result = body.get();
                probe.reached("after " + action);
                audit.record(r.id(), AuditLog.BOT, action, detail, "ok");
                return result;
            } catch (IamException e) {
                audit.record(r.id(), AuditLog.BOT, action, detail, e.code());
                if (!e.kind().isTransient() || attempt >= settings.maxAttempts()) {
                    if (e.kind() == IamException.Kind.ALREADY_EXISTS || e.kind() == IamException.Kind.NO_SUCH_ENTITY) {
                        throw e; // callers decide: it may be ours or already gone
                    }
                    throw new StepFailed(describe(action, e));
                }
                backoff.pause(attempt);
            }
        }
    }

    private static String describe(String action, IamException e) {
        String what = action.substring(action.indexOf(':') + 1);
        return switch (e.kind()) {
            case ACCESS_DENIED -> "the bot is not allowed to call " + what + " (" + e.code() + ")";
            case LIMIT_EXCEEDED -> "an IAM limit was reached during " + what + " (" + e.code() + ")";
            case THROTTLED, UNAVAILABLE, TEMPORARILY_UNMODIFIABLE -> "IAM kept failing during " + what + " (" + e.code() + ")";
            default -> what + " failed: " + e.getMessage();
        };
    }

    /** Records a finished step and renews our claim; losing either means someone else took over. */
    private Request save(Request expected, Request next) {
        if (!claim(expected.id())) {
            throw new Superseded();
        }
        Request saved = store.replace(expected, next).orElseThrow(Superseded::new);
        probe.reached("saved " + saved.status() + "/" + saved.step() + (saved.qrFileId() != null && expected.qrFileId() == null ? " +qr" : ""));
        return saved;
    }

    private void fail(String requestId, String why) {
        for (int i = 0; i < 5; i++) {
            Optional<Request> current = store.find(requestId);
            if (current.isEmpty() || current.get().status().isTerminal()) {
                return;
            }
            Request r = current.get();
            Optional<Request> failed = store.replace(r, r.withFailure(Status.FAILED, why, clock.instant()));
            if (failed.isPresent()) {
                log.warn("request {} failed: {}", requestId, why);
                audit.record(requestId, AuditLog.BOT, "fail", why, "failed");
                // Undo what this request made, so a failure leaves no half-made user.
                Request cleaned = cleanup.removeAll(failed.get());
                refresh(cleaned);
                tellRequester(cleaned);
                return;
            }
        }
    }

    private void refresh(Request r) {
        try {
            notifier.refreshApprovalRequest(r);
        } catch (NotifierException e) {
            audit.record(r.id(), AuditLog.BOT, "slack:update-approval", "", e.code());
            log.warn("request {}: could not update the approval message: {}", r.id(), e.code());
        }
    }

    private void tellRequester(Request r) {
        try {
            notifier.notifyRequester(r);
        } catch (NotifierException e) {
            audit.record(r.id(), AuditLog.BOT, "slack:notify-requester", "to=" + r.requesterUserId(), e.code());
            log.warn("request {}: could not tell the requester: {}", r.id(), e.code());
        }
    }
}
