package dev.awsonboard.iam;

import dev.awsonboard.config.Secret;
import dev.awsonboard.lifecycle.port.IamException;
import dev.awsonboard.lifecycle.port.IamException.Kind;
import dev.awsonboard.lifecycle.port.IamGateway;
import dev.awsonboard.lifecycle.model.CredentialReport;
import dev.awsonboard.lifecycle.model.PasswordPolicy;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.ReportFormatType;
import software.amazon.awssdk.services.iam.model.ReportStateType;
import software.amazon.awssdk.services.iam.model.Tag;
import software.amazon.awssdk.services.iam.model.User;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@link IamGateway} over the AWS SDK v2; every SDK failure leaves as a domain {@link IamException}.
 * Each IAM call is named here once, as the IAM API names it, and that name is what the bot's
 * metrics count it under ({@link CallObserver}): a new call is metered by being written.
 */
public final class SdkIamGateway implements IamGateway {

    /**
     * Hears of every IAM call: its action as the IAM API names it ({@code CreateUser}), how long it
     * took (with any retries the SDK made) and, when it failed, the AWS error code (or
     * {@code ClientError}, {@code SdkError}, an exception's simple name). Never an argument.
     */
    @FunctionalInterface
    public interface CallObserver {
        CallObserver NONE = (action, took, errorCode) -> { };

        /**
         * @param errorCode null when IAM answered; a NoSuchEntity that the call reads as "there is none"
         *                  (no such user, no password policy, no login profile) is an answer too
         */
        void called(String action, Duration took, String errorCode);
    }

    private static final Map<String, Kind> KINDS_BY_CODE = Map.ofEntries(
            Map.entry("EntityAlreadyExists", Kind.ALREADY_EXISTS),
            Map.entry("NoSuchEntity", Kind.NO_SUCH_ENTITY),
            Map.entry("InvalidInput", Kind.INVALID_INPUT),
            Map.entry("ValidationError", Kind.INVALID_INPUT),
            Map.entry("MalformedInput", Kind.INVALID_INPUT),
            Map.entry("PasswordPolicyViolation", Kind.PASSWORD_POLICY),
            Map.entry("InvalidAuthenticationCode", Kind.INVALID_CODE),
            Map.entry("LimitExceeded", Kind.LIMIT_EXCEEDED),
            Map.entry("AccessDenied", Kind.ACCESS_DENIED),
            Map.entry("AccessDeniedException", Kind.ACCESS_DENIED),
            Map.entry("UnauthorizedOperation", Kind.ACCESS_DENIED),
            Map.entry("InvalidClientTokenId", Kind.ACCESS_DENIED),
            Map.entry("SignatureDoesNotMatch", Kind.ACCESS_DENIED),
            Map.entry("MissingAuthenticationToken", Kind.ACCESS_DENIED),
            Map.entry("IncompleteSignature", Kind.ACCESS_DENIED),
            Map.entry("ExpiredToken", Kind.ACCESS_DENIED),
            Map.entry("EntityTemporarilyUnmodifiable", Kind.TEMPORARILY_UNMODIFIABLE),
            Map.entry("ConcurrentModification", Kind.TEMPORARILY_UNMODIFIABLE),
            Map.entry("Throttling", Kind.THROTTLED),
            Map.entry("ThrottlingException", Kind.THROTTLED),
            Map.entry("RequestLimitExceeded", Kind.THROTTLED),
            Map.entry("ServiceFailure", Kind.UNAVAILABLE),
            // The credential report: still being made (worth trying again), none, or over four hours old.
            Map.entry("ReportInProgress", Kind.TEMPORARILY_UNMODIFIABLE),
            Map.entry("ReportNotPresent", Kind.NO_SUCH_ENTITY),
            Map.entry("ReportExpired", Kind.NO_SUCH_ENTITY));

    private final IamClient iam;
    private final CallObserver calls;

    public SdkIamGateway(IamClient iam) {
        this(iam, CallObserver.NONE);
    }

    /** @param calls where each call's action, duration and error code go (the bot's metrics) */
    public SdkIamGateway(IamClient iam, CallObserver calls) {
        this.iam = Objects.requireNonNull(iam, "iam");
        this.calls = Objects.requireNonNull(calls, "calls");
    }

    @Override
    public CreatedUser createUser(String userName, String path, Map<String, String> tags, Optional<String> permissionsBoundary) {
        User user = call("CreateUser", () -> iam.createUser(b -> {
            b.userName(userName).path(path);
            permissionsBoundary.ifPresent(b::permissionsBoundary);
            // An explicitly empty list would be sent as "Tags=", which IAM need not accept.
            if (!tags.isEmpty()) {
                b.tags(toSdkTags(tags));
            }
        }).user());
        return new CreatedUser(user.userName(), user.userId(), user.arn());
    }

    @Override
    public Optional<String> userIdOf(String userName) {
        return find("GetUser", () -> iam.getUser(b -> b.userName(userName)).user()).map(User::userId);
    }

    @Override
    public Optional<ExistingUser> findUser(String userName) {
        Optional<User> found = find("GetUser", () -> iam.getUser(b -> b.userName(userName)).user());
        if (found.isEmpty()) {
            return Optional.empty();
        }
        User user = found.get();
        Map<String, String> tags = new LinkedHashMap<>(fromSdkTags(user.tags()));
        // GetUser may omit tags; ListUserTags is the complete answer.
        // The paginator is lazy: drain it inside the call so its failures are mapped too.
        Optional<List<Tag>> listed = find("ListUserTags",
                () -> iam.listUserTagsPaginator(b -> b.userName(userName)).tags().stream().toList());
        if (listed.isEmpty()) {
            return Optional.empty(); // deleted between the two calls
        }
        listed.get().forEach(tag -> tags.put(tag.key(), tag.value()));
        return Optional.of(new ExistingUser(user.userName(), user.userId(), user.arn(), Collections.unmodifiableMap(tags),
                user.createDate(), Optional.ofNullable(user.passwordLastUsed())));
    }

    @Override
    public void addUserToGroup(String userName, String groupName) {
        call("AddUserToGroup", () -> iam.addUserToGroup(b -> b.userName(userName).groupName(groupName)));
    }

    @Override
    public PasswordPolicy passwordPolicy() {
        // IAM answers NoSuchEntity when the account never set a policy: its defaults apply.
        return find("GetAccountPasswordPolicy", () -> iam.getAccountPasswordPolicy().passwordPolicy())
                .map(SdkIamGateway::toDomain).orElse(PasswordPolicy.AWS_DEFAULT);
    }

    @Override
    public void createLoginProfile(String userName, Secret password, boolean passwordResetRequired) {
        call("CreateLoginProfile", () -> iam.createLoginProfile(b -> b.userName(userName)
                .password(password.reveal()).passwordResetRequired(passwordResetRequired)), password);
    }

    @Override
    public void updateLoginProfile(String userName, Secret password, boolean passwordResetRequired) {
        call("UpdateLoginProfile", () -> iam.updateLoginProfile(b -> b.userName(userName)
                .password(password.reveal()).passwordResetRequired(passwordResetRequired)), password);
    }

    @Override
    public VirtualMfaDevice createVirtualMfaDevice(String deviceName, String path) {
        var device = call("CreateVirtualMFADevice", () -> {
            var created = iam.createVirtualMFADevice(b -> b.virtualMFADeviceName(deviceName).path(path)).virtualMFADevice();
            SdkBytes seed = created.base32StringSeed();
            if (seed == null || seed.asByteArrayUnsafe().length == 0) { // a failed call, counted as MissingSeed
                throw new IamException(Kind.OTHER, "MissingSeed", "IAM CreateVirtualMFADevice returned device "
                        + created.serialNumber() + " without a Base32 seed, so it cannot be shown to anyone.");
            }
            return created;
        });
        // The blob is the ASCII Base32 text itself, as authenticator apps take it.
        return new VirtualMfaDevice(device.serialNumber(), Secret.of(device.base32StringSeed().asUtf8String()));
    }

    @Override
    public void enableMfaDevice(String userName, String serialNumber, String code1, String code2) {
        call("EnableMFADevice", () -> iam.enableMFADevice(b -> b.userName(userName).serialNumber(serialNumber)
                .authenticationCode1(code1).authenticationCode2(code2)));
    }

    @Override
    public void deleteVirtualMfaDevice(String serialNumber) {
        call("DeleteVirtualMFADevice", () -> iam.deleteVirtualMFADevice(b -> b.serialNumber(serialNumber)));
    }

    @Override
    public List<String> unassignedVirtualMfaDevices(String path) {
        // The paginator follows Marker/IsTruncated; the path filter is ours (the API has none).
        return call("ListVirtualMFADevices", () -> iam.listVirtualMFADevicesPaginator(b -> b.assignmentStatus(
                        software.amazon.awssdk.services.iam.model.AssignmentStatusType.UNASSIGNED))
                .virtualMFADevices().stream()
                .map(d -> d.serialNumber())
                .filter(serial -> serial.contains(":mfa" + path))
                .toList());
    }

    @Override
    public void removeUserFromGroup(String userName, String groupName) {
        call("RemoveUserFromGroup", () -> iam.removeUserFromGroup(b -> b.userName(userName).groupName(groupName)));
    }

    @Override
    public void deleteLoginProfile(String userName) {
        call("DeleteLoginProfile", () -> iam.deleteLoginProfile(b -> b.userName(userName)));
    }

    @Override
    public void deactivateMfaDevice(String userName, String serialNumber) {
        call("DeactivateMFADevice", () -> iam.deactivateMFADevice(b -> b.userName(userName).serialNumber(serialNumber)));
    }

    @Override
    public void deleteUser(String userName) {
        call("DeleteUser", () -> iam.deleteUser(b -> b.userName(userName)));
    }

    @Override
    public Optional<String> accountAlias() {
        List<String> aliases = call("ListAccountAliases", () -> iam.listAccountAliases().accountAliases());
        // An account has at most one alias.
        return aliases.stream().findFirst();
    }

    @Override
    public boolean hasLoginProfile(String userName) {
        if (find("GetLoginProfile", () -> iam.getLoginProfile(b -> b.userName(userName))).isPresent()) {
            return true;
        }
        // NoSuchEntity names either the user or its profile: tell them apart, the user must exist
        // (an unknown user fails here with NoSuchEntity rather than having no profile).
        call("GetUser", () -> iam.getUser(b -> b.userName(userName)));
        return false;
    }

    @Override
    public List<MfaDevice> mfaDevices(String userName) {
        return call("ListMFADevices", () -> iam.listMFADevicesPaginator(b -> b.userName(userName)).mfaDevices().stream()
                .map(d -> MfaDevice.of(d.serialNumber())).toList());
    }

    @Override
    public List<String> accessKeyIds(String userName) {
        return call("ListAccessKeys", () -> iam.listAccessKeysPaginator(b -> b.userName(userName)).accessKeyMetadata().stream()
                .map(k -> k.accessKeyId()).toList());
    }

    @Override
    public void deleteAccessKey(String userName, String accessKeyId) {
        call("DeleteAccessKey", () -> iam.deleteAccessKey(b -> b.userName(userName).accessKeyId(accessKeyId)));
    }

    @Override
    public List<String> signingCertificateIds(String userName) {
        return call("ListSigningCertificates", () -> iam.listSigningCertificatesPaginator(b -> b.userName(userName))
                .certificates().stream().map(c -> c.certificateId()).toList());
    }

    @Override
    public void deleteSigningCertificate(String userName, String certificateId) {
        call("DeleteSigningCertificate", () -> iam.deleteSigningCertificate(b -> b.userName(userName).certificateId(certificateId)));
    }

    @Override
    public List<String> sshPublicKeyIds(String userName) {
        return call("ListSSHPublicKeys", () -> iam.listSSHPublicKeysPaginator(b -> b.userName(userName))
                .sshPublicKeys().stream().map(k -> k.sshPublicKeyId()).toList());
    }

    @Override
    public void deleteSshPublicKey(String userName, String sshPublicKeyId) {
        call("DeleteSSHPublicKey", () -> iam.deleteSSHPublicKey(b -> b.userName(userName).sshPublicKeyId(sshPublicKeyId)));
    }

    @Override
    public List<String> serviceSpecificCredentialIds(String userName) {
        // IAM pages this list (Marker, IsTruncated) but the SDK has no paginator for it: follow the markers here.
        return call("ListServiceSpecificCredentials", () -> {
            List<String> ids = new ArrayList<>();
            String marker = null;
            do {
                String from = marker;
                var page = iam.listServiceSpecificCredentials(b -> b.userName(userName).marker(from));
                page.serviceSpecificCredentials().forEach(c -> ids.add(c.serviceSpecificCredentialId()));
                marker = Boolean.TRUE.equals(page.isTruncated()) ? page.marker() : null;
            } while (marker != null);
            return List.copyOf(ids);
        });
    }

    @Override
    public void deleteServiceSpecificCredential(String userName, String credentialId) {
        call("DeleteServiceSpecificCredential", () -> iam.deleteServiceSpecificCredential(b -> b.userName(userName)
                .serviceSpecificCredentialId(credentialId)));
    }

    @Override
    public List<String> inlinePolicyNames(String userName) {
        return call("ListUserPolicies", () -> iam.listUserPoliciesPaginator(b -> b.userName(userName)).policyNames().stream().toList());
    }

    @Override
    public void deleteUserPolicy(String userName, String policyName) {
        call("DeleteUserPolicy", () -> iam.deleteUserPolicy(b -> b.userName(userName).policyName(policyName)));
    }

    @Override
    public List<String> attachedPolicyArns(String userName) {
        return call("ListAttachedUserPolicies", () -> iam.listAttachedUserPoliciesPaginator(b -> b.userName(userName))
                .attachedPolicies().stream().map(p -> p.policyArn()).toList());
    }

    @Override
    public void attachUserPolicy(String userName, String policyArn) {
        call("AttachUserPolicy", () -> iam.attachUserPolicy(b -> b.userName(userName).policyArn(policyArn)));
    }

    @Override
    public void detachUserPolicy(String userName, String policyArn) {
        call("DetachUserPolicy", () -> iam.detachUserPolicy(b -> b.userName(userName).policyArn(policyArn)));
    }

    @Override
    public List<String> groupsOf(String userName) {
        return call("ListGroupsForUser", () -> iam.listGroupsForUserPaginator(b -> b.userName(userName)).groups().stream()
                .map(g -> g.groupName()).toList());
    }

    @Override
    public boolean generateCredentialReport() {
        return call("GenerateCredentialReport", () -> iam.generateCredentialReport().state()) == ReportStateType.COMPLETE;
    }

    @Override
    public Optional<CredentialReport> credentialReport() {
        return find("GetCredentialReport", () -> {
            var report = iam.getCredentialReport();
            if (report.reportFormat() != null && report.reportFormat() != ReportFormatType.TEXT_CSV) {
                throw new IamException(Kind.OTHER, "UnknownReportFormat", "IAM GetCredentialReport answered "
                        + report.reportFormatAsString() + ", not text/csv.");
            }
            // The SDK has decoded the base64 of the wire already: these are the CSV's bytes.
            return CredentialReportCsv.parse(report.generatedTime(), report.content().asUtf8String());
        });
    }

    @Override
    public Map<String, String> tagsOf(String userName) {
        List<Tag> tags = call("ListUserTags", () -> iam.listUserTagsPaginator(b -> b.userName(userName)).tags().stream().toList());
        return Collections.unmodifiableMap(fromSdkTags(tags));
    }

    /** Runs one IAM call; {@code secrets} are masked out of any message AWS or the SDK might echo. */
    @Override
    public Optional<java.time.Instant> accessKeyLastUsed(String accessKeyId) {
        return Optional.ofNullable(call("GetAccessKeyLastUsed", () -> iam.getAccessKeyLastUsed(b -> b.accessKeyId(accessKeyId))
                .accessKeyLastUsed().lastUsedDate()));
    }

    @Override
    public void tagUser(String userName, Map<String, String> tags) {
        call("TagUser", () -> iam.tagUser(b -> b.userName(userName).tags(toSdkTags(tags))));
    }

    @Override
    public void untagUser(String userName, List<String> keys) {
        call("UntagUser", () -> iam.untagUser(b -> b.userName(userName).tagKeys(keys)));
    }

    private <T> T call(String action, Supplier<T> request, Secret... secrets) {
        return observed(action, false, request, secrets).orElse(null);
    }

    /** Runs one IAM call whose NoSuchEntity means "there is none": then empty, and the call counts as answered. */
    private <T> Optional<T> find(String action, Supplier<T> request) {
        return observed(action, true, request);
    }

    /** The one place every IAM call passes, so that each is timed and told to {@link #calls} once, whichever method made it. */
    private <T> Optional<T> observed(String action, boolean noneIsAnAnswer, Supplier<T> request, Secret... secrets) {
        long start = System.nanoTime();
        try {
            T result = mapped(action, request, secrets);
            calls.called(action, since(start), null);
            return Optional.ofNullable(result);
        } catch (IamException e) {
            if (noneIsAnAnswer && e.kind() == Kind.NO_SUCH_ENTITY) {
                calls.called(action, since(start), null);
                return Optional.empty();
            }
            calls.called(action, since(start), e.code());
            throw e;
        } catch (RuntimeException e) {
            calls.called(action, since(start), e.getClass().getSimpleName());
            throw e;
        }
    }

    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    /** Runs {@code request}; an SDK failure leaves as an {@link IamException}, {@code secrets} masked out of it. */
    private static <T> T mapped(String action, Supplier<T> request, Secret... secrets) {
        try {
            return request.get();
        } catch (SdkException e) {
            IamException mapped = redact(mapped(action, e), secrets);
            // Keep the SDK exception for stack traces, except where its message could hold a secret.
            if (secrets.length == 0) {
                mapped.initCause(e);
            }
            throw mapped;
        }
    }

    private static IamException mapped(String action, SdkException e) {
        if (e instanceof AwsServiceException service) {
            return serviceFailure(action, service);
        }
        if (e instanceof SdkClientException) {
            // Connection refused, timeouts, unreadable answers: the SDK already retried these.
            return new IamException(Kind.UNAVAILABLE, "ClientError",
                    "IAM " + action + " did not get an answer from AWS: " + e.getMessage());
        }
        return new IamException(Kind.OTHER, "SdkError", "IAM " + action + " failed in the AWS SDK: " + e.getMessage());
    }

    private static IamException serviceFailure(String action, AwsServiceException e) {
        var details = e.awsErrorDetails();
        String code = details == null || details.errorCode() == null ? "Unknown" : details.errorCode();
        String awsMessage = details == null || details.errorMessage() == null ? "(no message)" : details.errorMessage();
        String message = "IAM " + action + " failed with " + code + " (HTTP " + e.statusCode() + "): " + awsMessage
                + (e.requestId() == null ? "" : " [request id " + e.requestId() + "]");
        return new IamException(kindOf(code, e.statusCode()), code, message);
    }

    static Kind kindOf(String code, int httpStatus) {
        Kind kind = KINDS_BY_CODE.get(code);
        if (kind != null) {
            return kind;
        }
        return httpStatus >= 500 ? Kind.UNAVAILABLE : Kind.OTHER;
    }

    private static IamException redact(IamException e, Secret... secrets) {
        String message = e.getMessage();
        for (Secret secret : secrets) {
            if (!secret.isEmpty() && message.contains(secret.reveal())) {
                message = message.replace(secret.reveal(), Secret.MASK);
            }
        }
        return message.equals(e.getMessage()) ? e : new IamException(e.kind(), e.code(), message);
    }

    private static PasswordPolicy toDomain(software.amazon.awssdk.services.iam.model.PasswordPolicy policy) {
        Integer minimum = policy.minimumPasswordLength();
        return new PasswordPolicy(
                minimum == null ? PasswordPolicy.AWS_DEFAULT.minimumLength() : minimum,
                Boolean.TRUE.equals(policy.requireSymbols()),
                Boolean.TRUE.equals(policy.requireNumbers()),
                Boolean.TRUE.equals(policy.requireUppercaseCharacters()),
                Boolean.TRUE.equals(policy.requireLowercaseCharacters()),
                Boolean.TRUE.equals(policy.allowUsersToChangePassword()));
    }

    private static List<Tag> toSdkTags(Map<String, String> tags) {
        return tags.entrySet().stream().map(t -> Tag.builder().key(t.getKey()).value(t.getValue()).build()).toList();
    }

    private static Map<String, String> fromSdkTags(List<Tag> tags) {
        Map<String, String> result = new LinkedHashMap<>();
        tags.forEach(tag -> result.put(tag.key(), tag.value()));
        return result;
    }
}
