package dev.awsonboard.lifecycle;

import dev.awsonboard.lifecycle.model.MessageRef;
import dev.awsonboard.lifecycle.model.ProvisioningSettings;
import dev.awsonboard.lifecycle.model.Reason;
import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.lifecycle.model.Step;
import dev.awsonboard.lifecycle.port.IamException;
import dev.awsonboard.lifecycle.port.IamGateway;
import dev.awsonboard.lifecycle.port.Notifier;
import dev.awsonboard.lifecycle.port.NotifierException;
import dev.awsonboard.lifecycle.port.Outbox;
import dev.awsonboard.lifecycle.port.RequestStore;
import dev.awsonboard.lifecycle.port.SetupQr;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The step onboarding and MFA resets share: a new virtual MFA device named like the user, its
 * QR code in the person's DM; then, once the request waits for the person, the sign-in details and
 * the buttons. The seed lives only in this step's frame: a device whose seed died with an earlier run
 * is deleted and made again.
 */
final class MfaSetup {
    private final IamGateway iam;
    private final Notifier notifier;
    private final SetupQr qr;
    private final ProvisioningSettings settings;
    private final RequestStore store;
    private final AccountFacts account;

    MfaSetup(IamGateway iam, Notifier notifier, SetupQr qr, ProvisioningSettings settings, RequestStore store,
             AccountFacts account) {
        this.iam = iam;
        this.notifier = notifier;
        this.qr = qr;
        this.settings = settings;
        this.store = store;
        this.account = account;
    }

    void deliver(Run run) {
        Request r = run.current();
        if (r.qrFileId() != null) {
            // A QR from an earlier run: its seed is gone with that run, so it must not stay in the DM. Its
            // deletion is owed by the write that forgets it.
            String stale = r.qrFileId();
            r = run.update(c -> c.withDelivery(c.dmChannel(), null, run.now()), List.of(Outbox.Owed.of(Outbox.Effect.DELETE_QR, stale)));
        }
        boolean recreate = false;
        if (r.mfaSerial() != null) {
            // Recorded before an earlier run created it: ours, and its seed is lost.
            deleteDevice(run, r.mfaSerial());
            recreate = true;
        }
        String serial = settings.deviceSerialFor(r);
        r = run.update(c -> c.withMfaSerial(serial, run.now()).withStep(Step.DEVICE_REQUESTED, run.now()));
        IamGateway.VirtualMfaDevice made;
        // An attempt that failed on the way back (a 5xx, a reset, a timeout) may have made the device.
        AtomicBoolean mayHaveMadeIt = new AtomicBoolean();
        try {
            made = create(run, recreate ? IamRetry.Mode.RECREATE : IamRetry.Mode.TRANSIENT,
                    e -> mayHaveMadeIt.compareAndSet(false, e.kind().isTransient()));
        } catch (IamException e) {
            if (e.kind() != IamException.Kind.ALREADY_EXISTS) {
                throw e;
            }
            // Ours to replace: made by this request (its serial recorded before the call, an attempt whose
            // answer was lost), or by an earlier request of ours that never got it used. Its seed is lost.
            if (!mayHaveMadeIt.get() && !leftByOneOfOurs(r, serial)) {
                throw run.fail(Reason.DEVICE_NOT_OURS, "serial", serial);
            }
            deleteDevice(run, serial);
            made = create(run, IamRetry.Mode.RECREATE, x -> { });
        }
        IamGateway.VirtualMfaDevice device = made;
        r = run.update(c -> c.withMfaSerial(device.serialNumber(), run.now()).withStep(Step.MFA_DEVICE_CREATED, run.now()));

        String label = account.label(r.accountId());
        Notifier.SetupDetails details = new Notifier.SetupDetails(r.signInUrl(), r.iamUserName(), label,
                qr.png(label, r.iamUserName(), device.base32Seed()));
        try {
            // Slack names the file before the bytes go out; recording it first means no crash can
            // leave a QR in the DM that nobody knows to delete.
            Notifier.QrUpload upload = notifier.reserveQr(r, details);
            run.update(c -> c.withDelivery(upload.dmChannel(), upload.fileId(), run.now()));
            // A worker that stalled and lost the request meanwhile must not put a QR nobody will use (its
            // device replaced by the worker that took over) into the DM.
            run.confirmClaim();
            notifier.shareQr(upload, details);
            run.reached("after slack:share-qr");
        } catch (NotifierException e) {
            run.audit().record(r.id(), AuditLog.BOT, "slack:deliver-setup", "to=" + r.targetUserId(), e.code());
            throw run.fail(Reason.PERSON_UNREACHABLE, "person", r.targetUserId(), "code", e.code());
        }
        run.audit().record(r.id(), AuditLog.BOT, "slack:deliver-setup", "to=" + r.targetUserId() + " file=" + run.current().qrFileId(), "ok");
    }

    /**
     * The sign-in details and the person's buttons (Enter codes, Show password), once the request waits
     * for them ({@link RequestKind#postButtons}): a click never meets a request still being set up.
     */
    MessageRef postInstructions(Request r) {
        String label = account.label(r.accountId());
        return notifier.sendSetupInstructions(r, new Notifier.SetupDetails(r.signInUrl(), r.iamUserName(), label, new byte[0]));
    }

    private IamGateway.VirtualMfaDevice create(Run run, IamRetry.Mode mode, Consumer<IamException> failedAttempt) {
        Request r = run.current();
        // Named exactly like the user: the common self-service policy only allows mfa/${aws:username}.
        return run.iam.call("iam:CreateVirtualMFADevice", "name=" + r.iamUserName() + " path=" + settings.iamPath(), mode,
                () -> iam.createVirtualMfaDevice(r.iamUserName(), settings.iamPath()), failedAttempt);
    }

    private void deleteDevice(Run run, String serial) {
        run.iam.remove("iam:DeleteVirtualMFADevice", "serial=" + serial, () -> iam.deleteVirtualMfaDevice(serial));
    }

    /**
     * Another request of ours recorded this device, ended, and never enabled it (as the sweep's rule
     * for lost devices): one that enabled it says nothing of a device under the same name today.
     */
    private boolean leftByOneOfOurs(Request r, String serial) {
        List<Request> same = store.findByIamUserName(r.iamUserName());
        return same.stream().anyMatch(o -> !o.id().equals(r.id()) && serial.equals(o.mfaSerial()) && o.status().isTerminal()
                && o.step() != Step.MFA_ENABLED);
    }
}
