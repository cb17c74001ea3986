package dev.awsonboard.lifecycle.model;

import java.time.Instant;
import java.util.List;

/**
 * One request about one IAM user: onboarding, an MFA reset, a password reset or offboarding
 * ({@link Kind}). Immutable; every change goes through {@link RequestStore#replace} as a
 * compare-and-set on {@code version}. Holds no secret: the password and the TOTP seed never
 * live here.
 *
 * @param id               stable request id, used in button values, tags and logs
 * @param iamUserName      the IAM user concerned
 * @param targetUserId     Slack user id of the person the IAM user belongs to; null when unknown
 * @param requesterUserId  Slack user id of who asked
 * @param approverUserId   Slack user id of who approved or denied, null until decided
 * @param approvalMessages where the approval request was posted (channel or approvers' DMs)
 * @param dmChannel        the DM channel with the person, once opened
 * @param qrFileId         the Slack file holding the QR image, until deleted
 * @param mfaSerial        serial (ARN) of the virtual MFA device this request made, once known
 * @param userArn          ARN of the IAM user, once created or found
 * @param iamUserId        IAM's UserId of that user ({@code AIDA...}): a button of this request acts only
 *                         while the IAM user of its name still has it (names are reused, ids are not)
 * @param linkedTo         link and unlink: the person the IAM user was linked to when the request was
 *                         checked, or null (the approvers read it; an undo puts the link back)
 * @param signInUrl        console sign-in URL told to the person
 * @param ending           why the request ended, when CANCELLED, REJECTED, EXPIRED or FAILED
 * @param leftovers        true when undoing this request left something behind in IAM
 * @param plan             what the IAM user held when the request was checked (offboarding: what
 *                         will be removed; MFA reset: the devices to replace or keep)
 * @param removed          what this request has removed so far
 * @param setupMessage     the DM message with the person's buttons, so it can be closed later
 * @param approvals        who approved, in order (several under a two-person rule)
 * @param needs            the approval rules the request is under, and how far each got
 * @param grant            a grant's length and end; null for other kinds
 * @param version          optimistic-lock counter, bumped by every stored change
 */
public record Request(
        String id,
        Kind kind,
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
        String iamUserId,
        String linkedTo,
        String signInUrl,
        Notice ending,
        boolean leftovers,
        List<Holding> plan,
        List<Holding> removed,
        MessageRef setupMessage,
        List<Approval> approvals,
        List<ApprovalNeed> needs,
        GrantTerm grant,
        Instant createdAt,
        Instant updatedAt,
        long version) {

    public Request {
        groups = groups == null ? List.of() : List.copyOf(groups);
        approvalMessages = approvalMessages == null ? List.of() : List.copyOf(approvalMessages);
        plan = plan == null ? List.of() : List.copyOf(plan);
        removed = removed == null ? List.of() : List.copyOf(removed);
        approvals = approvals == null ? List.of() : List.copyOf(approvals);
        needs = needs == null ? List.of() : List.copyOf(needs);
        reason = reason == null ? "" : reason;
    }

    /** A freshly submitted request: stored at once, checked after Slack has been answered. */
    public static Request submitted(String id, Kind kind, String iamUserName, String targetUserId,
                                    String requesterUserId, List<String> groups, String reason, Instant now) {
        return new Request(id, kind, Status.SUBMITTED, Step.NONE, iamUserName, targetUserId, requesterUserId, null,
                groups, reason, List.of(), null, null, null, null, null, null, null, null, false, List.of(), List.of(), null,
                List.of(), List.of(), null, now, now, 0);
    }

    /** An onboarding request already checked and waiting for approval. */
    public static Request newRequest(String id, String iamUserName, String targetUserId,
                                     String requesterUserId, List<String> groups, String reason, Instant now) {
        return new Request(id, Kind.ONBOARD, Status.REQUESTED, Step.NONE, iamUserName, targetUserId, requesterUserId,
                null, groups, reason, List.of(), null, null, null, null, null, null, null, null, false, List.of(), List.of(), null,
                List.of(), List.of(), null, now, now, 0);
    }

    /** The 12-digit account id, read from an IAM ARN ({@code arn:aws:iam::123456789012:user/...}); "" if none. */
    public static String accountIdOf(String arn) {
        String[] parts = arn == null ? new String[0] : arn.split(":");
        return parts.length > 4 ? parts[4] : "";
    }

    /** The partition ("aws", "aws-cn", "aws-us-gov") read from an ARN; "aws" if none. */
    public static String partitionOf(String arn) {
        String[] parts = arn == null ? new String[0] : arn.split(":");
        return parts.length > 1 && !parts[1].isEmpty() ? parts[1] : "aws";
    }

    /** The account the IAM user lives in, derived from its ARN. */
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

    public Request withTarget(String slackUserId, Instant now) {
        return copy(b -> b.targetUserId = slackUserId, now);
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

    public Request withSetupMessage(MessageRef ref, Instant now) {
        return copy(b -> b.setupMessage = ref, now);
    }

    public Request withMfaSerial(String serial, Instant now) {
        return copy(b -> b.mfaSerial = serial, now);
    }

    public Request withUser(String arn, String url, Instant now) {
        return withUser(iamUserName, arn, iamUserId, url, now);
    }

    /** The IAM user as IAM knows it: its name as IAM spells it, its ARN and UserId; and where its person signs in. */
    public Request withUser(String name, String arn, String userId, String url, Instant now) {
        return copy(b -> {
            b.iamUserName = name;
            b.userArn = arn;
            b.iamUserId = userId;
            b.signInUrl = url;
        }, now);
    }

    public Request withLinkedTo(String person, Instant now) {
        return copy(b -> b.linkedTo = person, now);
    }

    public Request withPlan(List<Holding> plan, Instant now) {
        return copy(b -> b.plan = plan, now);
    }

    public Request withRemoved(List<Holding> removed, Instant now) {
        return copy(b -> b.removed = removed, now);
    }

    /** Moves to an end status that is not success, saying why. */
    public Request withEnding(Status s, Notice why, Instant now) {
        return copy(b -> {
            b.status = s;
            b.ending = why;
        }, now);
    }

    /** One more approver said yes; the rules' progress as it now stands. */
    public Request withApprovals(List<Approval> approvals, List<ApprovalNeed> needs, Instant now) {
        return copy(b -> {
            b.approvals = approvals;
            b.needs = needs;
        }, now);
    }

    /** The rules the request is under, before anyone approved. */
    public Request withNeeds(List<ApprovalNeed> needs, Instant now) {
        return copy(b -> b.needs = needs, now);
    }

    public Request withGrant(GrantTerm grant, Instant now) {
        return copy(b -> b.grant = grant, now);
    }

    /** Everyone who approved, in order; the one approver of a request decided before approvals were kept. */
    public List<String> approvers() {
        if (!approvals.isEmpty()) {
            return approvals.stream().map(Approval::approver).toList();
        }
        return approverUserId == null ? List.of() : List.of(approverUserId);
    }

    /** Says why the request is ending before it ends (a grant someone ended early, while its end runs). */
    public Request withEndingNote(Notice why, Instant now) {
        return copy(b -> b.ending = why, now);
    }

    public Request withLeftovers(Instant now) {
        return withLeftovers(true, now);
    }

    /** Whether undoing this request left something behind in IAM; false again once a later try removed it all. */
    public Request withLeftovers(boolean left, Instant now) {
        return copy(b -> b.leftovers = left, now);
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
        Kind kind;
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
        String iamUserId;
        String linkedTo;
        String signInUrl;
        Notice ending;
        boolean leftovers;
        List<Holding> plan;
        List<Holding> removed;
        MessageRef setupMessage;
        List<Approval> approvals;
        List<ApprovalNeed> needs;
        GrantTerm grant;
        Instant createdAt;
        Instant updatedAt;
        long version;

        Draft(Request r) {
            id = r.id;
            kind = r.kind;
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
            iamUserId = r.iamUserId;
            linkedTo = r.linkedTo;
            signInUrl = r.signInUrl;
            ending = r.ending;
            leftovers = r.leftovers;
            plan = r.plan;
            removed = r.removed;
            setupMessage = r.setupMessage;
            approvals = r.approvals;
            needs = r.needs;
            grant = r.grant;
            createdAt = r.createdAt;
            updatedAt = r.updatedAt;
            version = r.version;
        }

        Request build() {
            return new Request(id, kind, status, step, iamUserName, targetUserId, requesterUserId, approverUserId,
                    groups, reason, approvalMessages, dmChannel, qrFileId, mfaSerial, userArn, iamUserId, linkedTo, signInUrl,
                    ending, leftovers, plan, removed, setupMessage, approvals, needs, grant, createdAt, updatedAt, version);
        }
    }
}
