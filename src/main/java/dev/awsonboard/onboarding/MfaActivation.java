package dev.awsonboard.onboarding;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Comparator;
import java.util.Optional;

/**
 * Use case: the person proves their authenticator works with two consecutive codes; IAM
 * enables the device; the QR image, which holds the seed, is deleted from Slack.
 */
public final class MfaActivation {
    private static final Logger log = LoggerFactory.getLogger(MfaActivation.class);

    /** What the person is told; {@code retry} means the same form can be tried again. */
    public enum Result { ENABLED, WRONG_CODES, REFUSED }

    public record Answer(Result result, String message, Request request) {
    }

    private final RequestStore store;
    private final IamGateway iam;
    private final Notifier notifier;
    private final Clock clock;
    private final AuditLog audit;

    public MfaActivation(RequestStore store, IamGateway iam, Notifier notifier, Clock clock) {
        this.store = store;
        this.iam = iam;
        this.notifier = notifier;
        this.clock = clock;
        this.audit = new AuditLog(store, clock);
    }

    /** The request whose codes this person owes, for codes sent as a DM reply. */
    public Optional<Request> awaitingCodesFrom(String slackUserId) {
        return store.findByStatus(java.util.EnumSet.of(Status.AWAITING_MFA)).stream()
                .filter(r -> r.targetUserId().equals(slackUserId))
                .max(Comparator.comparing(Request::createdAt));
    }

    public Answer submit(String requestId, String actor, MfaCodes codes) {
        Optional<Request> found = store.find(requestId);
        if (found.isEmpty()) {
            return new Answer(Result.REFUSED, "I don't know that setup any more.", null);
        }
        Request r = found.get();
        if (!r.targetUserId().equals(actor)) {
            audit.record(r.id(), actor, "submit-codes", "not the person onboarded", "refused");
            return new Answer(Result.REFUSED, "Only <@" + r.targetUserId() + "> can finish this setup.", r);
        }
        if (r.status() == Status.ACTIVE) {
            return new Answer(Result.ENABLED, "MFA is already enabled for " + r.iamUserName() + ". You're all set.", r);
        }
        if (r.status() != Status.AWAITING_MFA) {
            return new Answer(Result.REFUSED, "This setup is " + r.status().label()
                    + " and can't take codes.", r);
        }
        if (MfaCodes.problem(codes.first()).isPresent() || MfaCodes.problem(codes.second()).isPresent()) {
            return new Answer(Result.WRONG_CODES, "Enter two 6-digit codes from your authenticator app.", r);
        }
        if (codes.first().equals(codes.second())) {
            return new Answer(Result.WRONG_CODES, "The two codes must be different: wait for the code to change, then enter the next one.", r);
        }
        try {
            iam.enableMfaDevice(r.iamUserName(), r.mfaSerial(), codes.first(), codes.second());
            audit.record(r.id(), actor, "iam:EnableMFADevice", "user=" + r.iamUserName() + " serial=" + r.mfaSerial(), "ok");
        } catch (IamException e) {
            audit.record(r.id(), actor, "iam:EnableMFADevice", "user=" + r.iamUserName() + " serial=" + r.mfaSerial(), e.code());
            return switch (e.kind()) {
                case INVALID_CODE -> new Answer(Result.WRONG_CODES, "AWS did not accept those codes. Wait for a fresh code, "
                        + "then enter two consecutive codes (the one showing now and the next one).", r);
                case ALREADY_EXISTS -> finish(r, actor); // enabled by a concurrent submission of the same codes
                default -> new Answer(Result.WRONG_CODES, "AWS could not enable MFA right now (" + e.code() + "). Try again in a minute.", r);
            };
        }
        return finish(r, actor);
    }

    private Answer finish(Request r, String actor) {
        Request active = r.withStatus(Status.ACTIVE, clock.instant()).withStep(Step.MFA_ENABLED, clock.instant());
        Optional<Request> stored = store.replace(r, active);
        if (stored.isEmpty()) {
            return new Answer(Result.ENABLED, "MFA is enabled for " + r.iamUserName() + ". You're all set.", r);
        }
        r = stored.get();
        log.info("request {}: MFA enabled, onboarding complete", r.id());
        audit.record(r.id(), actor, "activate", "user=" + r.iamUserName(), "ok");
        if (r.qrFileId() != null) {
            try {
                notifier.deleteFile(r.qrFileId());
                audit.record(r.id(), AuditLog.BOT, "slack:delete-qr", "file=" + r.qrFileId(), "ok");
                r = store.replace(r, r.withDelivery(r.dmChannel(), null, clock.instant())).orElse(r);
            } catch (NotifierException e) {
                audit.record(r.id(), AuditLog.BOT, "slack:delete-qr", "file=" + r.qrFileId(), e.code());
                log.warn("request {}: could not delete the QR file: {}", r.id(), e.code());
            }
        }
        try {
            notifier.setupCompleted(r);
            notifier.refreshApprovalRequest(r);
            notifier.notifyRequester(r);
        } catch (NotifierException e) {
            audit.record(r.id(), AuditLog.BOT, "slack:notify-completion", "", e.code());
            log.warn("request {}: could not tell Slack about completion: {}", r.id(), e.code());
        }
        return new Answer(Result.ENABLED, "MFA is enabled for " + r.iamUserName()
                + ". Sign in with your one-time password and set a new one.", r);
    }
}
