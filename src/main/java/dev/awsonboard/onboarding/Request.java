package dev.awsonboard.onboarding;

import java.time.Instant;
import java.util.List;

/**
 * One person's way to an IAM user with MFA. Immutable; every change goes through
 * {@link RequestStore#replace} as a compare-and-set on {@code version}.
 * Holds no secret: the password and the TOTP seed never live here.
 *
 * @param id               stable request id, used in button values, tags and logs
 * @param iamUserName      the IAM user to create
 * @param targetUserId     Slack user id of the person being onboarded
 * @param requesterUserId  Slack user id of who asked
 * @param approverUserId   Slack user id of who approved or denied, null until decided
 * @param approvalMessages where the approval request was posted (channel or approvers' DMs)
 * @param dmChannel        the DM channel with the target, once opened
 * @param qrFileId         the Slack file holding the QR image, until deleted
 * @param mfaSerial        serial (ARN) of the virtual MFA device, once created
 * @param userArn          ARN of the created IAM user
 * @param signInUrl        console sign-in URL told to the target
 * @param failureReason    human-readable reason when FAILED or EXPIRED
 * @param version          optimistic-lock counter, bumped by every stored change
 */
public record Request(
        String id,
        Status status,
        Step step,
        String iamUserName,
        String targetUserId,
        String requesterUserId,
        String approverUserId,
        List<String> groups,
        String reason,
        List<MessageRef> approvalMessages,
        String dmChannel,
        String qrFileId,
        String mfaSerial,
        String userArn,
        String signInUrl,
        String failureReason,
        Instant createdAt,
        Instant updatedAt,
        long version) {

    public Request {
        groups = groups == null ? List.of() : List.copyOf(groups);
        approvalMessages = approvalMessages == null ? List.of() : List.copyOf(approvalMessages);
        reason = reason == null ? "" : reason;
    }

    public static Request newRequest(String id, String iamUserName, String targetUserId,
            String requesterUserId, List<String> groups, String reason, Instant now) {
        return new Request(id, Status.REQUESTED, Step.NONE, iamUserName, targetUserId,
                requesterUserId, null, groups, reason, List.of(), null, null, null, null, null, null,
                now, now, 0);
    }

    /** The 12-digit account id, read from an IAM ARN ({@code arn:aws:iam::123456789012:user/...}); "" if none. */
    public static String accountIdOf(String arn) {
        String[] parts = arn == null ? new String[0] : arn.split(":");
        return parts.length > 4 ? parts[4] : "";
    }

    /** The account the created user lives in, derived from its ARN. */
    public String accountId() {
        return accountIdOf(userArn);
    }

    public Request withStatus(Status s, Instant now) {
        return copy(b -> b.status = s, now);
    }

    public Request withStep(Step s, Instant now) {
        return copy(b -> b.step = s, now);
    }

    public Request withApprover(String approver, Instant now) {
        return copy(b -> b.approverUserId = approver, now);
    }

    public Request withApprovalMessages(List<MessageRef> refs, Instant now) {
        return copy(b -> b.approvalMessages = refs, now);
    }

    public Request withDelivery(String dm, String fileId, Instant now) {
        return copy(b -> {
            b.dmChannel = dm;
            b.qrFileId = fileId;
        }, now);
    }

    public Request withMfaSerial(String serial, Instant now) {
        return copy(b -> b.mfaSerial = serial, now);
    }

    public Request withUser(String arn, String url, Instant now) {
        return copy(b -> {
            b.userArn = arn;
            b.signInUrl = url;
        }, now);
    }

    public Request withFailure(Status s, String why, Instant now) {
        return copy(b -> {
            b.status = s;
            b.failureReason = why;
        }, now);
    }

    /** The stored copy after a successful compare-and-set. */
    public Request withVersion(long v) {
        Draft d = new Draft(this);
        d.version = v;
        return d.build();
    }

    private Request copy(java.util.function.Consumer<Draft> change, Instant now) {
        Draft d = new Draft(this);
        change.accept(d);
        d.updatedAt = now;
        return d.build();
    }

    /** A mutable copy, so each "with" method names only what it changes. */
    private static final class Draft {
        String id;
        Status status;
        Step step;
        String iamUserName;
        String targetUserId;
        String requesterUserId;
        String approverUserId;
        List<String> groups;
        String reason;
        List<MessageRef> approvalMessages;
        String dmChannel;
        String qrFileId;
        String mfaSerial;
        String userArn;
        String signInUrl;
        String failureReason;
        Instant createdAt;
        Instant updatedAt;
        long version;

        Draft(Request r) {
            id = r.id;
            status = r.status;
            step = r.step;
            iamUserName = r.iamUserName;
            targetUserId = r.targetUserId;
            requesterUserId = r.requesterUserId;
            approverUserId = r.approverUserId;
            groups = r.groups;
            reason = r.reason;
            approvalMessages = r.approvalMessages;
            dmChannel = r.dmChannel;
            qrFileId = r.qrFileId;
            mfaSerial = r.mfaSerial;
            userArn = r.userArn;
            signInUrl = r.signInUrl;
            failureReason = r.failureReason;
            createdAt = r.createdAt;
            updatedAt = r.updatedAt;
            version = r.version;
        }

        Request build() {
            return new Request(id, status, step, iamUserName, targetUserId, requesterUserId, approverUserId,
                    groups, reason, approvalMessages, dmChannel, qrFileId, mfaSerial, userArn, signInUrl,
                    failureReason, createdAt, updatedAt, version);
        }
    }
}
