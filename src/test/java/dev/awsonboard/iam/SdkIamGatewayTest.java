package dev.awsonboard.iam;

import dev.awsonboard.config.Secret;
import dev.awsonboard.fakes.FakeIam;
import dev.awsonboard.fakes.SignedQuery;
import dev.awsonboard.fakes.Totp;
import dev.awsonboard.lifecycle.port.IamException;
import dev.awsonboard.lifecycle.port.IamException.Kind;
import dev.awsonboard.lifecycle.port.IamGateway.CreatedUser;
import dev.awsonboard.lifecycle.port.IamGateway.ExistingUser;
import dev.awsonboard.lifecycle.port.IamGateway.MfaDevice;
import dev.awsonboard.lifecycle.port.IamGateway.VirtualMfaDevice;
import dev.awsonboard.lifecycle.model.PasswordPolicy;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AssignmentStatusType;
import software.amazon.awssdk.services.iam.model.DeleteConflictException;
import software.amazon.awssdk.services.iam.model.MFADevice;
import software.amazon.awssdk.services.iam.model.VirtualMFADevice;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class SdkIamGatewayTest {
    private static final Instant NOW = Instant.parse("2025-03-01T12:00:10Z");
    private static final int MAX_RETRIES = 2;
    private static final String PASSWORD = "Corr3ct-Horse-Battery!";

    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private FakeIam fake;
    private IamClient client;
    private SdkIamGateway gateway;

    @BeforeEach
    void start() {
        fake = FakeIam.start(clock, 42);
        client = IamClients.create(Optional.of(fake.endpoint()),
                FakeIam.credentials(), MAX_RETRIES);
        gateway = new SdkIamGateway(client);
    }

    @AfterEach
    void stop() {
        client.close();
        fake.close();
    }

    @Test
    void createsUserWithTagsUnderPathAndReadsThemBack() {
        Map<String, String> tags = Map.of("onboarded-by", "aws-onboard", "slack-user", "U012ABCDEF");

        CreatedUser created = gateway.createUser("alice", "/onboarded/", tags);

        assertThat(created.userName()).isEqualTo("alice");
        assertThat(created.arn()).isEqualTo("arn:aws:iam::123456789012:user/onboarded/alice");
        assertThat(dev.awsonboard.lifecycle.model.Request.accountIdOf(created.arn())).isEqualTo(fake.accountId());
        assertThat(created.userId()).startsWith("AIDA").hasSize(21);
        assertThat(gateway.findUser("alice")).contains(
                new ExistingUser("alice", created.userId(), created.arn(), tags, NOW.truncatedTo(ChronoUnit.SECONDS), Optional.empty()));
        assertThat(fake.user("alice").orElseThrow().tags()).isEqualTo(tags);
    }

    @Test
    void createsUserWithoutTags() {
        gateway.createUser("bob", "/", Map.of());

        assertThat(gateway.findUser("bob").orElseThrow().tags()).isEmpty();
        assertThat(fake.user("bob").orElseThrow().arn()).isEqualTo("arn:aws:iam::123456789012:user/bob");
    }

    @Test
    void findingAnUnknownUserIsEmpty() {
        assertThat(gateway.findUser("nobody")).isEmpty();
    }

    @Test
    void userNameDifferingOnlyInCaseIsAlreadyExistsWithAwsCodeAndMessage() {
        gateway.createUser("alice", "/", Map.of());

        IamException e = iamFailure(() -> gateway.createUser("ALICE", "/", Map.of()));

        assertThat(e.kind()).isEqualTo(Kind.ALREADY_EXISTS);
        assertThat(e.code()).isEqualTo("EntityAlreadyExists");
        assertThat(e.getMessage()).contains("CreateUser", "EntityAlreadyExists", "User with name ALICE already exists.");
        assertThat(fake.callCount("CreateUser")).as("not retried").isEqualTo(2);
    }

    @Test
    void userNameOutsideIamsCharacterSetIsInvalidInput() {
        assertThat(iamFailure(() -> gateway.createUser("alice smith", "/", Map.of())).kind())
                .isEqualTo(Kind.INVALID_INPUT);
        assertThat(iamFailure(() -> gateway.createUser("a".repeat(65), "/", Map.of())).kind())
                .isEqualTo(Kind.INVALID_INPUT);
        assertThat(fake.user("alice smith")).isEmpty();
    }

    @Test
    void addsUserToAnExistingGroup() {
        fake.createGroup("developers");
        gateway.createUser("alice", "/", Map.of());

        gateway.addUserToGroup("alice", "developers");

        assertThat(fake.user("alice").orElseThrow().groups()).containsExactly("developers");
    }

    @Test
    void addingToAMissingGroupIsNoSuchEntity() {
        gateway.createUser("alice", "/", Map.of());

        IamException e = iamFailure(() -> gateway.addUserToGroup("alice", "admins"));

        assertThat(e.kind()).isEqualTo(Kind.NO_SUCH_ENTITY);
        assertThat(e.getMessage()).contains("NoSuchEntity", "admins");
    }

    @Test
    void loginProfileRecordsThatThePasswordMustBeReset() {
        gateway.createUser("alice", "/", Map.of());

        gateway.createLoginProfile("alice", Secret.of(PASSWORD), true);

        FakeIam.User alice = fake.user("alice").orElseThrow();
        assertThat(alice.loginProfile()).isTrue();
        assertThat(alice.passwordResetRequired()).isTrue();
        assertThat(fake.lastPasswordSetFor("alice")).isEqualTo(PASSWORD);
    }

    @Test
    void updatingTheLoginProfileSetsTheNewPassword() {
        gateway.createUser("alice", "/", Map.of());
        gateway.createLoginProfile("alice", Secret.of(PASSWORD), true);

        gateway.updateLoginProfile("alice", Secret.of("An0ther-Passw0rd!"), false);

        assertThat(fake.lastPasswordSetFor("alice")).isEqualTo("An0ther-Passw0rd!");
        assertThat(fake.user("alice").orElseThrow().passwordResetRequired()).isFalse();
    }

    @Test
    void weakPasswordUnderTheAccountPolicyIsPasswordPolicyAndTheMessageHidesIt() {
        fake.setPasswordPolicy(new PasswordPolicy(14, true, true, true, true));
        gateway.createUser("alice", "/", Map.of());
        String weak = "weakpassword1!";

        IamException e = iamFailure(() -> gateway.createLoginProfile("alice", Secret.of(weak), true));

        assertThat(e.kind()).isEqualTo(Kind.PASSWORD_POLICY);
        assertThat(e.getMessage()).contains("PasswordPolicyViolation", "uppercase").doesNotContain(weak);
        assertThat(fake.user("alice").orElseThrow().loginProfile()).isFalse();
    }

    @Test
    void failedPasswordCallsNeverPutThePasswordInTheMessage() {
        gateway.createUser("alice", "/", Map.of());
        gateway.createLoginProfile("alice", Secret.of(PASSWORD), true);

        List<IamException> failures = List.of(
                iamFailure(() -> gateway.createLoginProfile("alice", Secret.of(PASSWORD), true)),
                iamFailure(() -> gateway.createLoginProfile("nobody", Secret.of(PASSWORD), true)),
                iamFailure(() -> gateway.updateLoginProfile("nobody", Secret.of(PASSWORD), true)),
                iamFailure(() -> gateway.updateLoginProfile("alice", Secret.of("x"), true)));

        assertThat(failures).extracting(IamException::kind).containsExactly(
                Kind.ALREADY_EXISTS, Kind.NO_SUCH_ENTITY, Kind.NO_SUCH_ENTITY, Kind.PASSWORD_POLICY);
        assertThat(failures).allSatisfy(e -> {
            assertThat(e.getMessage()).doesNotContain(PASSWORD);
            assertThat(e.getCause()).as("no SDK cause that could echo the request").isNull();
        });
    }

    @Test
    void passwordPolicyIsReadFromTheAccount() {
        PasswordPolicy policy = new PasswordPolicy(16, false, true, true, true);
        fake.setPasswordPolicy(policy);

        assertThat(gateway.passwordPolicy()).isEqualTo(policy);
    }

    @Test
    void noAccountPasswordPolicyMeansTheAwsDefault() {
        assertThat(gateway.passwordPolicy()).isEqualTo(PasswordPolicy.AWS_DEFAULT);
        assertThat(fake.callCount("GetAccountPasswordPolicy")).isEqualTo(1);
    }

    @Test
    void virtualMfaSeedRoundTripsAndTwoConsecutiveCodesEnableIt() {
        gateway.createUser("alice", "/", Map.of());

        VirtualMfaDevice device = gateway.createVirtualMfaDevice("alice", "/");
        String seed = device.base32Seed().reveal();
        List<String> codes = Totp.twoConsecutiveCodes(seed, clock.instant());
        gateway.enableMfaDevice("alice", device.serialNumber(), codes.get(0), codes.get(1));

        assertThat(device.serialNumber()).isEqualTo("arn:aws:iam::123456789012:mfa/alice");
        assertThat(seed).hasSize(64).matches("[A-Z2-7]+").isEqualTo(fake.seedOf(device.serialNumber()));
        assertThat(device.base32Seed()).hasToString(Secret.MASK);
        assertThat(fake.user("alice").orElseThrow().mfaDevices()).containsExactly(device.serialNumber());
        assertThat(fake.virtualMfaDevices()).containsExactly(new FakeIam.VirtualDevice(device.serialNumber(), "alice"));
    }

    @Test
    void wrongCodesAreInvalidCodeAndTheRightCodesThenSucceed() {
        gateway.createUser("alice", "/", Map.of());
        VirtualMfaDevice device = gateway.createVirtualMfaDevice("alice", "/");
        String seed = device.base32Seed().reveal();
        List<String> stale = Totp.twoConsecutiveCodes(seed, clock.instant().minus(Duration.ofHours(1)));
        List<String> current = Totp.twoConsecutiveCodes(seed, clock.instant());

        IamException e = iamFailure(() -> gateway.enableMfaDevice("alice", device.serialNumber(), stale.get(0), stale.get(1)));
        IamException swapped = iamFailure(
                () -> gateway.enableMfaDevice("alice", device.serialNumber(), current.get(1), current.get(0)));
        gateway.enableMfaDevice("alice", device.serialNumber(), current.get(0), current.get(1));

        assertThat(e.kind()).isEqualTo(Kind.INVALID_CODE);
        assertThat(e.getMessage()).contains("InvalidAuthenticationCode").doesNotContain(seed);
        assertThat(swapped.kind()).isEqualTo(Kind.INVALID_CODE);
        assertThat(fake.user("alice").orElseThrow().mfaDevices()).containsExactly(device.serialNumber());
    }

    @Test
    void enablingAnAlreadyAssignedDeviceIsAlreadyExists() {
        gateway.createUser("alice", "/", Map.of());
        VirtualMfaDevice device = gateway.createVirtualMfaDevice("alice", "/");
        List<String> codes = Totp.twoConsecutiveCodes(device.base32Seed().reveal(), clock.instant());
        gateway.enableMfaDevice("alice", device.serialNumber(), codes.get(0), codes.get(1));

        IamException e = iamFailure(() -> gateway.enableMfaDevice("alice", device.serialNumber(), codes.get(0), codes.get(1)));

        assertThat(e.kind()).isEqualTo(Kind.ALREADY_EXISTS);
    }

    @Test
    void secondDeviceWithTheSameNameIsAlreadyExists() {
        gateway.createVirtualMfaDevice("alice", "/");

        assertThat(iamFailure(() -> gateway.createVirtualMfaDevice("alice", "/")).kind()).isEqualTo(Kind.ALREADY_EXISTS);
    }

    @Test
    void deletesAnUnassignedVirtualDevice() {
        VirtualMfaDevice device = gateway.createVirtualMfaDevice("alice", "/");

        gateway.deleteVirtualMfaDevice(device.serialNumber());

        assertThat(fake.virtualMfaDevices()).isEmpty();
        assertThat(iamFailure(() -> gateway.deleteVirtualMfaDevice(device.serialNumber())).kind())
                .isEqualTo(Kind.NO_SUCH_ENTITY);
    }

    @Test
    void throttlingOnceIsRetriedByTheSdkAndSucceeds() {
        fake.failNext("CreateUser", 1, "Throttling", 400);

        gateway.createUser("alice", "/", Map.of());

        assertThat(fake.callCount("CreateUser")).isEqualTo(2);
        assertThat(fake.user("alice")).isPresent();
    }

    @Test
    void throttlingBeyondTheRetriesIsThrottled() {
        fake.failNext("ListAccountAliases", MAX_RETRIES + 1, "Throttling", 400);

        IamException e = iamFailure(gateway::accountAlias);

        assertThat(e.kind()).isEqualTo(Kind.THROTTLED);
        assertThat(e.kind().isTransient()).isTrue();
        assertThat(e.getMessage()).contains("ListAccountAliases", "Throttling", "Rate exceeded");
        assertThat(fake.callCount("ListAccountAliases")).isEqualTo(MAX_RETRIES + 1);
    }

    @Test
    void serviceFailureBeyondTheRetriesIsUnavailable() {
        fake.failNext("GetUser", MAX_RETRIES + 1, "ServiceFailure", 500);

        IamException e = iamFailure(() -> gateway.findUser("alice"));

        assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
        assertThat(fake.callCount("GetUser")).isEqualTo(MAX_RETRIES + 1);
    }

    @Test
    void accessDeniedIsAccessDeniedAndNotRetried() {
        fake.failNext("GetUser", 1, "AccessDenied", 403);

        IamException e = iamFailure(() -> gateway.findUser("alice"));

        assertThat(e.kind()).isEqualTo(Kind.ACCESS_DENIED);
        assertThat(e.getMessage()).contains("AccessDenied", "not authorized");
        assertThat(fake.callCount("GetUser")).isEqualTo(1);
    }

    @Test
    void limitExceededIsLimitExceeded() {
        fake.failNext("CreateVirtualMFADevice", 1, "LimitExceeded", 409);

        assertThat(iamFailure(() -> gateway.createVirtualMfaDevice("alice", "/")).kind()).isEqualTo(Kind.LIMIT_EXCEEDED);
    }

    @Test
    void unreachableIamIsUnavailable() {
        fake.close();

        IamException e = iamFailure(gateway::accountAlias);

        assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
        assertThat(e.getMessage()).contains("ListAccountAliases");
    }

    @Test
    void accountAliasIsReadWhenSet() {
        fake.setAccountAlias("acme-prod");

        assertThat(gateway.accountAlias()).contains("acme-prod");
    }

    @Test
    void accountWithoutAliasHasNone() {
        assertThat(gateway.accountAlias()).isEmpty();
    }

    @ParameterizedTest(name = "{0} with HTTP {1} is {2}")
    @CsvSource({
            "ValidationError, 400, INVALID_INPUT",
            "MalformedInput, 400, INVALID_INPUT",
            "UnauthorizedOperation, 403, ACCESS_DENIED",
            "InvalidClientTokenId, 403, ACCESS_DENIED",
            "SignatureDoesNotMatch, 403, ACCESS_DENIED",
            "ExpiredToken, 403, ACCESS_DENIED",
            "EntityTemporarilyUnmodifiable, 409, TEMPORARILY_UNMODIFIABLE",
            "ConcurrentModification, 409, TEMPORARILY_UNMODIFIABLE",
            "ThrottlingException, 400, THROTTLED",
            "RequestLimitExceeded, 400, THROTTLED",
            "InternalFailure, 500, UNAVAILABLE",
            "ServiceUnavailable, 503, UNAVAILABLE",
            "DeleteConflict, 409, OTHER"})
    void awsErrorCodesMapToDomainKinds(String code, int status, Kind kind) {
        assertThat(SdkIamGateway.kindOf(code, status)).isEqualTo(kind);
    }

    // ---- what a user holds: status, MFA resets, offboarding ----

    private static final String ALLOW_S3 = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}""";

    @Test
    void hasLoginProfileIsTrueForAUserWithAConsolePassword() {
        gateway.createUser("alice", "/", Map.of());
        gateway.createLoginProfile("alice", Secret.of(PASSWORD), true);

        assertThat(gateway.hasLoginProfile("alice")).isTrue();
    }

    @Test
    void hasLoginProfileIsFalseForAUserWithoutAConsolePassword() {
        gateway.createUser("alice", "/", Map.of());

        assertThat(gateway.hasLoginProfile("alice")).isFalse();
    }

    @Test
    void hasLoginProfileOfAnUnknownUserIsNoSuchEntityNotFalse() {
        IamException e = iamFailure(() -> gateway.hasLoginProfile("nobody"));

        assertThat(e.kind()).isEqualTo(Kind.NO_SUCH_ENTITY);
    }

    @Test
    void mfaDevicesAreTypedVirtualHardwareOrSecurityKey() {
        gateway.createUser("alice", "/", Map.of());
        VirtualMfaDevice phone = gateway.createVirtualMfaDevice("alice", "/");
        List<String> codes = Totp.twoConsecutiveCodes(phone.base32Seed().reveal(), clock.instant());
        gateway.enableMfaDevice("alice", phone.serialNumber(), codes.get(0), codes.get(1));
        String token = fake.giveHardwareMfaDevice("alice");
        String key = fake.giveSecurityKey("alice");

        assertThat(gateway.mfaDevices("alice")).containsExactly(
                new MfaDevice(phone.serialNumber(), MfaDevice.Type.VIRTUAL),
                new MfaDevice(token, MfaDevice.Type.HARDWARE),
                new MfaDevice(key, MfaDevice.Type.SECURITY_KEY));
    }

    @Test
    void deactivatingAHardwareTokenOrSecurityKeyRemovesItButOnlyVirtualDevicesCanBeDeleted() {
        gateway.createUser("alice", "/", Map.of());
        String token = fake.giveHardwareMfaDevice("alice");
        String key = fake.giveSecurityKey("alice");

        IamException notVirtual = iamFailure(() -> gateway.deleteVirtualMfaDevice(token));
        gateway.deactivateMfaDevice("alice", token);
        gateway.deactivateMfaDevice("alice", key);

        assertThat(notVirtual.kind()).isEqualTo(Kind.NO_SUCH_ENTITY);
        assertThat(gateway.mfaDevices("alice")).isEmpty();
        gateway.deleteUser("alice");
    }

    @Test
    void accessKeysAreListedAndADeletedOneIsGone() {
        gateway.createUser("alice", "/", Map.of());
        String first = fake.giveAccessKey("alice");
        String second = fake.giveAccessKey("alice");

        List<String> listed = gateway.accessKeyIds("alice");
        gateway.deleteAccessKey("alice", first);

        assertThat(listed).containsExactly(first, second);
        assertThat(gateway.accessKeyIds("alice")).containsExactly(second);
        assertThat(iamFailure(() -> gateway.deleteAccessKey("alice", first)).kind()).isEqualTo(Kind.NO_SUCH_ENTITY);
    }

    @Test
    void signingCertificatesAreListedAndADeletedOneIsGone() {
        gateway.createUser("alice", "/", Map.of());
        String certificate = fake.giveSigningCertificate("alice");

        List<String> listed = gateway.signingCertificateIds("alice");
        gateway.deleteSigningCertificate("alice", certificate);

        assertThat(listed).containsExactly(certificate);
        assertThat(gateway.signingCertificateIds("alice")).isEmpty();
        assertThat(iamFailure(() -> gateway.deleteSigningCertificate("alice", certificate)).kind())
                .isEqualTo(Kind.NO_SUCH_ENTITY);
    }

    @Test
    void sshPublicKeysAreListedAndADeletedOneIsGone() {
        gateway.createUser("alice", "/", Map.of());
        String key = fake.giveSshPublicKey("alice");

        List<String> listed = gateway.sshPublicKeyIds("alice");
        gateway.deleteSshPublicKey("alice", key);

        assertThat(listed).containsExactly(key);
        assertThat(gateway.sshPublicKeyIds("alice")).isEmpty();
        assertThat(iamFailure(() -> gateway.deleteSshPublicKey("alice", key)).kind()).isEqualTo(Kind.NO_SUCH_ENTITY);
    }

    @Test
    void serviceSpecificCredentialsOfEveryServiceAreListedAndADeletedOneIsGone() {
        gateway.createUser("alice", "/", Map.of());
        String git = fake.giveServiceSpecificCredential("alice", "codecommit.amazonaws.com");
        String keyspaces = fake.giveServiceSpecificCredential("alice", "cassandra.amazonaws.com");

        List<String> listed = gateway.serviceSpecificCredentialIds("alice");
        gateway.deleteServiceSpecificCredential("alice", git);

        assertThat(listed).containsExactly(git, keyspaces);
        assertThat(gateway.serviceSpecificCredentialIds("alice")).containsExactly(keyspaces);
        assertThat(iamFailure(() -> gateway.deleteServiceSpecificCredential("alice", git)).kind())
                .isEqualTo(Kind.NO_SUCH_ENTITY);
    }

    @Test
    void inlinePoliciesAreListedAndADeletedOneIsGone() {
        gateway.createUser("alice", "/", Map.of());
        fake.putUserPolicy("alice", "read-bucket", ALLOW_S3);

        List<String> listed = gateway.inlinePolicyNames("alice");
        gateway.deleteUserPolicy("alice", "read-bucket");

        assertThat(listed).containsExactly("read-bucket");
        assertThat(gateway.inlinePolicyNames("alice")).isEmpty();
        assertThat(iamFailure(() -> gateway.deleteUserPolicy("alice", "read-bucket")).kind()).isEqualTo(Kind.NO_SUCH_ENTITY);
    }

    @Test
    void managedPoliciesAreAttachedListedAndDetached() {
        gateway.createUser("alice", "/", Map.of());

        gateway.attachUserPolicy("alice", FakeIam.CHANGE_PASSWORD_POLICY_ARN);
        List<String> attached = gateway.attachedPolicyArns("alice");
        gateway.detachUserPolicy("alice", FakeIam.CHANGE_PASSWORD_POLICY_ARN);

        assertThat(attached).containsExactly(FakeIam.CHANGE_PASSWORD_POLICY_ARN);
        assertThat(gateway.attachedPolicyArns("alice")).isEmpty();
    }

    @Test
    void attachingAPolicyThatDoesNotExistIsNoSuchEntity() {
        gateway.createUser("alice", "/", Map.of());

        IamException e = iamFailure(() -> gateway.attachUserPolicy("alice", "arn:aws:iam::aws:policy/IAMUserChangePasswordTypo"));

        assertThat(e.kind()).isEqualTo(Kind.NO_SUCH_ENTITY);
        assertThat(fake.holdings("alice").orElseThrow().attachedPolicies()).isEmpty();
    }

    @Test
    void detachingAPolicyThatIsNotAttachedIsNoSuchEntity() {
        gateway.createUser("alice", "/", Map.of());

        assertThat(iamFailure(() -> gateway.detachUserPolicy("alice", FakeIam.CHANGE_PASSWORD_POLICY_ARN)).kind())
                .isEqualTo(Kind.NO_SUCH_ENTITY);
    }

    @Test
    void groupsOfNamesTheUsersGroups() {
        fake.createGroup("developers");
        fake.createGroup("readonly");
        gateway.createUser("alice", "/", Map.of());
        gateway.addUserToGroup("alice", "developers");
        gateway.addUserToGroup("alice", "readonly");

        assertThat(gateway.groupsOf("alice")).containsExactly("developers", "readonly");
    }

    @Test
    void findUserReportsTheCreateDateAndWhenThePasswordWasLastUsed() {
        gateway.createUser("alice", "/", Map.of());
        gateway.createLoginProfile("alice", Secret.of(PASSWORD), false);
        Optional<java.time.Instant> before = gateway.findUser("alice").orElseThrow().passwordLastUsed();

        assertThat(fake.signIn("alice", PASSWORD, null)).isEqualTo(FakeIam.SignIn.OK);
        ExistingUser after = gateway.findUser("alice").orElseThrow();

        assertThat(before).isEmpty();
        assertThat(after.created()).isEqualTo(NOW.truncatedTo(ChronoUnit.SECONDS));
        assertThat(after.passwordLastUsed()).contains(NOW.truncatedTo(ChronoUnit.SECONDS));
    }

    @Test
    void passwordPolicyReportsWhetherUsersMayChangeTheirOwnPassword() {
        fake.setPasswordPolicy(new PasswordPolicy(12, true, true, true, true, true));

        assertThat(gateway.passwordPolicy().allowUsersToChangePassword()).isTrue();
    }

    @ParameterizedTest(name = "{0} of an unknown user is NoSuchEntity")
    @CsvSource({"mfaDevices", "accessKeyIds", "signingCertificateIds", "sshPublicKeyIds", "serviceSpecificCredentialIds",
            "inlinePolicyNames", "attachedPolicyArns", "groupsOf"})
    void listsOfAnUnknownUserAreNoSuchEntity(String method) {
        Map<String, ThrowingCallable> lists = Map.of(
                "mfaDevices", () -> gateway.mfaDevices("nobody"),
                "accessKeyIds", () -> gateway.accessKeyIds("nobody"),
                "signingCertificateIds", () -> gateway.signingCertificateIds("nobody"),
                "sshPublicKeyIds", () -> gateway.sshPublicKeyIds("nobody"),
                "serviceSpecificCredentialIds", () -> gateway.serviceSpecificCredentialIds("nobody"),
                "inlinePolicyNames", () -> gateway.inlinePolicyNames("nobody"),
                "attachedPolicyArns", () -> gateway.attachedPolicyArns("nobody"),
                "groupsOf", () -> gateway.groupsOf("nobody"));

        IamException e = iamFailure(lists.get(method));

        assertThat(e.kind()).isEqualTo(Kind.NO_SUCH_ENTITY);
        assertThat(e.getMessage()).contains("nobody");
    }

    @Test
    void everyListIsReadToItsLastPage() {
        fake.truncateListsAt(1);
        gateway.createUser("alice", "/", Map.of("a", "1", "b", "2"));
        List<String> keys = List.of(fake.giveAccessKey("alice"), fake.giveAccessKey("alice"));
        List<String> certificates = List.of(fake.giveSigningCertificate("alice"), fake.giveSigningCertificate("alice"));
        List<String> sshKeys = List.of(fake.giveSshPublicKey("alice"), fake.giveSshPublicKey("alice"));
        List<String> credentials = List.of(fake.giveServiceSpecificCredential("alice", "codecommit.amazonaws.com"),
                fake.giveServiceSpecificCredential("alice", "cassandra.amazonaws.com"));
        fake.putUserPolicy("alice", "one", ALLOW_S3);
        fake.putUserPolicy("alice", "two", ALLOW_S3);
        fake.attachUserPolicy("alice", FakeIam.CHANGE_PASSWORD_POLICY_ARN);
        fake.attachUserPolicy("alice", FakeIam.ADMINISTRATOR_ACCESS_ARN);
        fake.createGroup("developers");
        fake.createGroup("readonly");
        gateway.addUserToGroup("alice", "developers");
        gateway.addUserToGroup("alice", "readonly");
        List<String> devices = List.of(fake.giveHardwareMfaDevice("alice"), fake.giveSecurityKey("alice"));
        List<String> spare = List.of(gateway.createVirtualMfaDevice("spare-1", "/").serialNumber(),
                gateway.createVirtualMfaDevice("spare-2", "/").serialNumber());

        assertThat(gateway.accessKeyIds("alice")).containsExactlyElementsOf(keys);
        assertThat(gateway.signingCertificateIds("alice")).containsExactlyElementsOf(certificates);
        assertThat(gateway.sshPublicKeyIds("alice")).containsExactlyElementsOf(sshKeys);
        assertThat(gateway.serviceSpecificCredentialIds("alice")).containsExactlyElementsOf(credentials);
        assertThat(gateway.inlinePolicyNames("alice")).containsExactly("one", "two");
        assertThat(gateway.attachedPolicyArns("alice"))
                .containsExactly(FakeIam.CHANGE_PASSWORD_POLICY_ARN, FakeIam.ADMINISTRATOR_ACCESS_ARN);
        assertThat(gateway.groupsOf("alice")).containsExactly("developers", "readonly");
        assertThat(gateway.mfaDevices("alice")).extracting(MfaDevice::serialNumber).containsExactlyElementsOf(devices);
        assertThat(gateway.unassignedVirtualMfaDevices("/")).containsExactlyElementsOf(spare);
        assertThat(gateway.findUser("alice").orElseThrow().tags()).containsOnlyKeys("a", "b");
        assertThat(List.of("ListAccessKeys", "ListSigningCertificates", "ListSSHPublicKeys", "ListServiceSpecificCredentials",
                "ListUserPolicies", "ListAttachedUserPolicies", "ListGroupsForUser", "ListMFADevices",
                "ListVirtualMFADevices", "ListUserTags"))
                .as("two pages each").allSatisfy(action -> assertThat(fake.callCount(action)).as(action).isEqualTo(2));
    }

    /** Something DeleteUser refuses to orphan: how a test gives it to a user and how the gateway removes it. */
    record Holding(String what, String conflict, java.util.function.BiFunction<SdkIamGatewayTest, String, String> give,
                   Remover remove) {
        interface Remover {
            void remove(SdkIamGatewayTest t, String user, String id);
        }

        @Override
        public String toString() {
            return what;
        }
    }

    static List<Holding> holdings() {
        return List.of(
                new Holding("a login profile", "login profile", (t, u) -> {
                    t.gateway.createLoginProfile(u, Secret.of(PASSWORD), true);
                    return u;
                }, (t, u, id) -> t.gateway.deleteLoginProfile(u)),
                new Holding("an access key", "access keys", (t, u) -> t.fake.giveAccessKey(u),
                        (t, u, id) -> t.gateway.deleteAccessKey(u, id)),
                new Holding("a signing certificate", "signing certificates", (t, u) -> t.fake.giveSigningCertificate(u),
                        (t, u, id) -> t.gateway.deleteSigningCertificate(u, id)),
                new Holding("an SSH public key", "SSH public keys", (t, u) -> t.fake.giveSshPublicKey(u),
                        (t, u, id) -> t.gateway.deleteSshPublicKey(u, id)),
                new Holding("a service-specific credential", "service specific credentials",
                        (t, u) -> t.fake.giveServiceSpecificCredential(u, "codecommit.amazonaws.com"),
                        (t, u, id) -> t.gateway.deleteServiceSpecificCredential(u, id)),
                new Holding("an assigned virtual MFA device", "MFA device", (t, u) -> {
                    VirtualMfaDevice device = t.gateway.createVirtualMfaDevice(u, "/");
                    List<String> codes = Totp.twoConsecutiveCodes(device.base32Seed().reveal(), t.clock.instant());
                    t.gateway.enableMfaDevice(u, device.serialNumber(), codes.get(0), codes.get(1));
                    return device.serialNumber();
                }, (t, u, id) -> {
                    t.gateway.deactivateMfaDevice(u, id);
                    t.gateway.deleteVirtualMfaDevice(id);
                }),
                new Holding("a hardware MFA token", "MFA device", (t, u) -> t.fake.giveHardwareMfaDevice(u),
                        (t, u, id) -> t.gateway.deactivateMfaDevice(u, id)),
                new Holding("an inline policy", "must delete policies", (t, u) -> {
                    t.fake.putUserPolicy(u, "inline", ALLOW_S3);
                    return "inline";
                }, (t, u, id) -> t.gateway.deleteUserPolicy(u, id)),
                new Holding("an attached managed policy", "detach all policies", (t, u) -> {
                    t.gateway.attachUserPolicy(u, FakeIam.CHANGE_PASSWORD_POLICY_ARN);
                    return FakeIam.CHANGE_PASSWORD_POLICY_ARN;
                }, (t, u, id) -> t.gateway.detachUserPolicy(u, id)),
                new Holding("a group membership", "remove users from group", (t, u) -> {
                    t.fake.createGroup("developers");
                    t.gateway.addUserToGroup(u, "developers");
                    return "developers";
                }, (t, u, id) -> t.gateway.removeUserFromGroup(u, id)));
    }

    @ParameterizedTest(name = "deleteUser refuses while the user holds {0}")
    @MethodSource("holdings")
    void deleteUserRefusesWithDeleteConflictUntilTheHoldingIsRemoved(Holding holding) {
        gateway.createUser("alice", "/", Map.of());
        String id = holding.give().apply(this, "alice");

        IamException refused = iamFailure(() -> gateway.deleteUser("alice"));
        holding.remove().remove(this, "alice", id);
        gateway.deleteUser("alice");

        assertThat(refused.code()).isEqualTo("DeleteConflict");
        assertThat(refused.kind()).isEqualTo(Kind.OTHER);
        assertThat(refused.getMessage()).contains(holding.conflict());
        assertThat(fake.user("alice")).isEmpty();
    }

    // ---- what the metrics hear: one report per IAM call, by its IAM action ----

    /** Every report as "Action ok" or "Action ErrorCode", in order. */
    private final List<String> reported = new java.util.concurrent.CopyOnWriteArrayList<>();

    private SdkIamGateway observed() {
        return new SdkIamGateway(client, (action, took, errorCode) -> {
            assertThat(took.isNegative()).as("duration").isFalse();
            reported.add(action + " " + (errorCode == null ? "ok" : errorCode));
        });
    }

    @Test
    void eachCallIsReportedUnderItsIamActionAndAFailureWithItsAwsErrorCode() {
        SdkIamGateway gateway = observed();
        gateway.createUser("alice", "/", Map.of());
        iamFailure(() -> gateway.createUser("alice", "/", Map.of()));
        iamFailure(() -> gateway.createLoginProfile("alice", Secret.of("short"), true));

        assertThat(reported).containsExactly("CreateUser ok", "CreateUser EntityAlreadyExists",
                "CreateLoginProfile PasswordPolicyViolation");
    }

    @Test
    void aNoSuchEntityReadAsThereIsNoneIsAnAnsweredCall() {
        SdkIamGateway gateway = observed();
        gateway.createUser("alice", "/", Map.of());

        assertThat(gateway.findUser("nobody")).isEmpty();
        assertThat(gateway.passwordPolicy()).isEqualTo(PasswordPolicy.AWS_DEFAULT);
        assertThat(gateway.hasLoginProfile("alice")).isFalse();
        iamFailure(() -> gateway.deleteLoginProfile("alice"));

        // Only the delete failed: the others answered "no such user", "no policy", "no password".
        assertThat(reported).containsExactly("CreateUser ok", "GetUser ok", "GetAccountPasswordPolicy ok", "GetLoginProfile ok", "GetUser ok",
                "DeleteLoginProfile NoSuchEntity");
    }

    @Test
    void aCallTheSdkRetriedAndAListOfSeveralPagesAreOneCallEach() {
        SdkIamGateway gateway = observed();
        gateway.createUser("alice", "/", Map.of());
        fake.createGroup("developers");
        fake.createGroup("readonly");
        gateway.addUserToGroup("alice", "developers");
        gateway.addUserToGroup("alice", "readonly");
        fake.truncateListsAt(1);
        fake.failNext("ListAccountAliases", MAX_RETRIES, "Throttling", 400);
        reported.clear();

        gateway.accountAlias();
        assertThat(gateway.groupsOf("alice")).hasSize(2);

        assertThat(fake.callCount("ListAccountAliases")).isEqualTo(MAX_RETRIES + 1);
        assertThat(fake.callCount("ListGroupsForUser")).isEqualTo(2);
        assertThat(reported).containsExactly("ListAccountAliases ok", "ListGroupsForUser ok");
    }

    // ---- eventual consistency, as the gateway's callers see it ----

    @Test
    void aUserIamHasNotPropagatedYetIsNotFoundThenFound() {
        fake.hideNewEntities(1);
        gateway.createUser("alice", "/", Map.of());

        Optional<ExistingUser> rightAfter = gateway.findUser("alice");

        assertThat(rightAfter).isEmpty();
        assertThat(gateway.findUser("alice")).isPresent();
    }

    @Test
    void addingAUserIamHasNotPropagatedYetToAGroupIsNoSuchEntity() {
        fake.createGroup("developers");
        fake.hideNewEntities(1);
        gateway.createUser("alice", "/", Map.of());

        IamException e = iamFailure(() -> gateway.addUserToGroup("alice", "developers"));

        assertThat(e.kind()).isEqualTo(Kind.NO_SUCH_ENTITY);
        gateway.addUserToGroup("alice", "developers");
        assertThat(fake.user("alice").orElseThrow().groups()).containsExactly("developers");
    }

    @Test
    void enablingADeviceIamHasNotPropagatedYetIsTemporarilyUnmodifiableAndTransient() {
        gateway.createUser("alice", "/", Map.of());
        fake.hideNewEntities(1);
        VirtualMfaDevice device = gateway.createVirtualMfaDevice("alice", "/");
        List<String> codes = Totp.twoConsecutiveCodes(device.base32Seed().reveal(), clock.instant());

        IamException e = iamFailure(() -> gateway.enableMfaDevice("alice", device.serialNumber(), codes.get(0), codes.get(1)));
        gateway.enableMfaDevice("alice", device.serialNumber(), codes.get(0), codes.get(1));

        assertThat(e.kind()).isEqualTo(Kind.TEMPORARILY_UNMODIFIABLE);
        assertThat(e.kind().isTransient()).isTrue();
        assertThat(e.code()).isEqualTo("EntityTemporarilyUnmodifiable");
    }

    @Test
    void aDeleteAnsweredWithConcurrentModificationIsTransientAndChangesNothing() {
        gateway.createUser("alice", "/", Map.of());
        fake.concurrentModificationOnDeletes(1);

        IamException e = iamFailure(() -> gateway.deleteUser("alice"));

        assertThat(e.kind()).isEqualTo(Kind.TEMPORARILY_UNMODIFIABLE);
        assertThat(e.code()).isEqualTo("ConcurrentModification");
        assertThat(fake.callCount("DeleteUser")).as("the SDK does not retry it").isEqualTo(1);
        assertThat(fake.user("alice")).isPresent();
        gateway.deleteUser("alice");
        assertThat(fake.user("alice")).isEmpty();
    }

    // ---- signatures, through the adapter ----

    @Test
    void credentialsIamDoesNotAcceptAreAccessDeniedAndNotRetried() {
        try (IamClient wrongSecret = IamClients.create(Optional.of(fake.endpoint()), StaticCredentialsProvider.create(
                AwsBasicCredentials.create(FakeIam.ACCESS_KEY_ID, "wrong-secret")), MAX_RETRIES);
             IamClient unknownKey = IamClients.create(Optional.of(fake.endpoint()), StaticCredentialsProvider.create(
                     AwsBasicCredentials.create("AKIDUNKNOWN", FakeIam.SECRET_ACCESS_KEY)), MAX_RETRIES)) {
            IamException mismatch = iamFailure(() -> new SdkIamGateway(wrongSecret).createUser("alice", "/", Map.of()));
            IamException unknown = iamFailure(() -> new SdkIamGateway(unknownKey).accountAlias());

            assertThat(mismatch.kind()).isEqualTo(Kind.ACCESS_DENIED);
            assertThat(mismatch.code()).isEqualTo("SignatureDoesNotMatch");
            assertThat(unknown.kind()).isEqualTo(Kind.ACCESS_DENIED);
            assertThat(unknown.code()).isEqualTo("InvalidClientTokenId");
        }
        assertThat(fake.calls()).containsExactly("CreateUser", "ListAccountAliases");
        assertThat(fake.user("alice")).isEmpty();
    }

    /** The whole account in one read: IAM's credential report, made at most every four hours. */
    @Nested
    class CredentialReports {
        private final dev.awsonboard.fakes.ManualClock iamClock = new dev.awsonboard.fakes.ManualClock(NOW);
        private FakeIam account;
        private IamClient accountClient;
        private SdkIamGateway iam;
        private final List<String> observed = new ArrayList<>();

        @BeforeEach
        void start() {
            account = FakeIam.start(iamClock, 7);
            accountClient = IamClients.create(Optional.of(account.endpoint()), FakeIam.credentials(), 0);
            iam = new SdkIamGateway(accountClient, (action, took, code) -> observed.add(action + "=" + code));
        }

        @AfterEach
        void stop() {
            accountClient.close();
            account.close();
        }

        @Test
        void aReportIsStartedThenReadOnceIamHasMadeIt() {
            assertThat(iam.generateCredentialReport()).isFalse();
            IamException inProgress = iamFailure(() -> iam.credentialReport());

            assertThat(inProgress.kind()).isEqualTo(Kind.TEMPORARILY_UNMODIFIABLE);
            assertThat(inProgress.kind().isTransient()).as("worth trying again").isTrue();
            assertThat(inProgress.code()).isEqualTo("ReportInProgress");
            assertThat(iam.credentialReport()).hasValueSatisfying(r -> assertThat(r.generated()).isEqualTo(NOW));
            assertThat(iam.generateCredentialReport()).as("ready now").isTrue();
            assertThat(observed).containsExactly("GenerateCredentialReport=null", "GetCredentialReport=ReportInProgress",
                    "GetCredentialReport=null", "GenerateCredentialReport=null");
        }

        @Test
        void eachUserIsARowWithItsPasswordMfaAndKeysAndTheRootAccountIsLeftOut() {
            iam.createUser("alice", "/people/", Map.of());
            iam.createLoginProfile("alice", Secret.of(PASSWORD), false);
            String key = account.giveAccessKey("alice");
            iamClock.advance(Duration.ofMinutes(10));
            account.useAccessKey("alice", key, "eu-west-1", "s3");
            iam.createUser("svc,deploy", "/", Map.of());
            account.giveAccessKey("svc,deploy");
            account.giveAccessKey("svc,deploy");
            account.credentialReportReadyAfter(0);
            iam.generateCredentialReport();

            var report = iam.credentialReport().orElseThrow();

            Instant later = NOW.plus(Duration.ofMinutes(10));
            assertThat(report.users()).extracting(u -> u.name()).containsExactly("alice", "svc,deploy");
            var alice = report.users().get(0);
            assertThat(alice.arn()).isEqualTo("arn:aws:iam::123456789012:user/people/alice");
            assertThat(alice.path()).isEqualTo("/people/");
            assertThat(alice.created()).isEqualTo(NOW);
            assertThat(alice.passwordEnabled()).isTrue();
            assertThat(alice.passwordLastUsed()).as("no_information").isEmpty();
            assertThat(alice.mfaActive()).isFalse();
            assertThat(alice.consoleWithoutMfa()).isTrue();
            assertThat(alice.accessKeys()).containsExactly(
                    new dev.awsonboard.lifecycle.model.CredentialReport.AccessKey(NOW, Optional.of(later)));
            var deploy = report.users().get(1);
            assertThat(deploy.path()).isEqualTo("/");
            assertThat(deploy.passwordEnabled()).isFalse();
            assertThat(deploy.consoleWithoutMfa()).isFalse();
            assertThat(deploy.accessKeys()).hasSize(2).allSatisfy(k -> assertThat(k.lastUsed()).isEmpty());
        }

        @Test
        void withinFourHoursIamServesTheSameReportAndAfterThemANewOne() {
            account.credentialReportReadyAfter(0);
            iam.generateCredentialReport();
            iam.credentialReport();
            iam.createUser("late", "/", Map.of());
            iamClock.advance(Duration.ofHours(4));

            assertThat(iam.credentialReport()).as("expired").isEmpty();
            assertThat(iam.generateCredentialReport()).isFalse();
            assertThat(iam.credentialReport().orElseThrow().users()).extracting(u -> u.name()).containsExactly("late");
            assertThat(account.credentialReportsGenerated()).isEqualTo(2);
        }

        @Test
        void beforeAnyReportThereIsNone() {
            assertThat(iam.credentialReport()).isEmpty();
            assertThat(observed).containsExactly("GetCredentialReport=null");
        }

        @Test
        void tagsOfAUserAreReadWithListUserTags() {
            iam.createUser("alice", "/", Map.of("email", "alice@example.com"));

            assertThat(iam.tagsOf("alice")).containsExactly(Map.entry("email", "alice@example.com"));
            assertThat(iamFailure(() -> iam.tagsOf("nobody")).kind()).isEqualTo(Kind.NO_SUCH_ENTITY);
        }
    }

    @Test
    void aReportCsvWithQuotedCellsCrLfAndColumnsInAnotherOrderIsRead() {
        String csv = "arn,user,mfa_active,password_enabled,password_last_used,user_creation_time,access_key_1_active,"
                + "access_key_1_last_rotated,access_key_1_last_used_date,extra\r\n"
                + "arn:aws:iam::1:root,<root_account>,true,not_supported,2020-01-01T00:00:00+00:00,2014-01-01T00:00:00+00:00,"
                + "false,N/A,N/A,x\r\n"
                + "\"arn:aws:iam::1:user/a,b\",\"a,b\",false,true,2024-05-06T07:08:09+00:00,2023-01-02T03:04:05+00:00,true,"
                + "2023-01-02T03:04:05+00:00,N/A,\"say \"\"hi\"\"\"";

        var report = CredentialReportCsv.parse(NOW, csv);

        assertThat(report.users()).singleElement().satisfies(u -> {
            assertThat(u.name()).isEqualTo("a,b");
            assertThat(u.path()).isEqualTo("/");
            assertThat(u.passwordLastUsed()).contains(Instant.parse("2024-05-06T07:08:09Z"));
            assertThat(u.created()).isEqualTo(Instant.parse("2023-01-02T03:04:05Z"));
            assertThat(u.accessKeys()).singleElement().satisfies(k -> assertThat(k.lastUsed()).isEmpty());
        });
        assertThat(CredentialReportCsv.rows(csv).get(2)).last().isEqualTo("say \"hi\"");
    }

    @Test
    void aReportWithoutItsColumnsIsUnreadable() {
        assertThat(iamFailure(() -> CredentialReportCsv.parse(NOW, "user,arn\nalice,arn:aws:iam::1:user/alice")).code())
                .isEqualTo("UnreadableReport");
    }

    @Nested
    class EndpointFromEnvironment {
        @Test
        void iamSpecificVariableWinsOverTheGeneralOne() {
            Map<String, String> env = Map.of("AWS_ENDPOINT_URL_IAM", "http://localhost:4566",
                    "AWS_ENDPOINT_URL", "http://localhost:9999");

            assertThat(IamClients.endpointFromEnvironment(env)).contains(URI.create("http://localhost:4566"));
        }

        @Test
        void generalVariableIsUsedWhenTheIamOneIsUnsetOrBlank() {
            Map<String, String> env = Map.of("AWS_ENDPOINT_URL_IAM", " ", "AWS_ENDPOINT_URL", "http://localhost:9999");

            assertThat(IamClients.endpointFromEnvironment(env)).contains(URI.create("http://localhost:9999"));
        }

        @Test
        void noVariableMeansTheRealEndpoint() {
            assertThat(IamClients.endpointFromEnvironment(Map.of())).isEmpty();
        }

        @Test
        void unusableUrlIsRejectedNamingTheVariable() {
            assertThatThrownBy(() -> IamClients.endpointFromEnvironment(Map.of("AWS_ENDPOINT_URL", "localhost")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("AWS_ENDPOINT_URL");
        }
    }

    /** The fake's own IAM rules, seen through the raw SDK client so the XML shapes are checked too. */
    @Nested
    class FakeIamBehaviour {
        @Test
        void replayedCodesCannotReEnableADeactivatedDevice() {
            gateway.createUser("alice", "/", Map.of());
            VirtualMfaDevice device = gateway.createVirtualMfaDevice("alice", "/");
            List<String> codes = Totp.twoConsecutiveCodes(device.base32Seed().reveal(), clock.instant());
            gateway.enableMfaDevice("alice", device.serialNumber(), codes.get(0), codes.get(1));

            client.deactivateMFADevice(b -> b.userName("alice").serialNumber(device.serialNumber()));
            IamException e = iamFailure(
                    () -> gateway.enableMfaDevice("alice", device.serialNumber(), codes.get(0), codes.get(1)));

            assertThat(e.kind()).isEqualTo(Kind.INVALID_CODE);
            assertThat(client.listVirtualMFADevices(b -> b.assignmentStatus(AssignmentStatusType.UNASSIGNED))
                    .virtualMFADevices()).extracting(VirtualMFADevice::serialNumber).containsExactly(device.serialNumber());
        }

        @Test
        void codesOfTheNextStepAreAcceptedForClockDrift() {
            gateway.createUser("alice", "/", Map.of());
            VirtualMfaDevice device = gateway.createVirtualMfaDevice("alice", "/");
            List<String> codes = Totp.twoConsecutiveCodes(device.base32Seed().reveal(), clock.instant().plus(Totp.STEP));

            gateway.enableMfaDevice("alice", device.serialNumber(), codes.get(0), codes.get(1));

            assertThat(client.listMFADevices(b -> b.userName("alice")).mfaDevices())
                    .extracting(MFADevice::serialNumber).containsExactly(device.serialNumber());
        }

        @Test
        void assignedDeviceCannotBeDeleted() {
            gateway.createUser("alice", "/", Map.of());
            VirtualMfaDevice device = gateway.createVirtualMfaDevice("alice", "/");
            List<String> codes = Totp.twoConsecutiveCodes(device.base32Seed().reveal(), clock.instant());
            gateway.enableMfaDevice("alice", device.serialNumber(), codes.get(0), codes.get(1));

            IamException e = iamFailure(() -> gateway.deleteVirtualMfaDevice(device.serialNumber()));

            assertThat(e.code()).isEqualTo("DeleteConflict");
        }

        @Test
        void userWithALoginProfileCannotBeDeletedUntilItIsRemoved() {
            gateway.createUser("alice", "/", Map.of());
            gateway.createLoginProfile("alice", Secret.of(PASSWORD), true);

            assertThatThrownBy(() -> client.deleteUser(b -> b.userName("alice")))
                    .isInstanceOf(DeleteConflictException.class);
            assertThat(client.getLoginProfile(b -> b.userName("alice")).loginProfile().passwordResetRequired()).isTrue();
            client.deleteLoginProfile(b -> b.userName("alice"));
            client.deleteUser(b -> b.userName("alice"));

            assertThat(fake.user("alice")).isEmpty();
        }

        @Test
        void concurrentRequestsAreAllServedAndCounted() throws Exception {
            int users = 40;
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<CreatedUser>> created = new ArrayList<>();
                for (int i = 0; i < users; i++) {
                    String name = "user" + i;
                    created.add(pool.submit(() -> gateway.createUser(name, "/", Map.of("n", name))));
                }
                for (Future<CreatedUser> f : created) {
                    f.get(30, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }

            assertThat(fake.callCount("CreateUser")).isEqualTo(users);
            assertThat(fake.calls()).hasSize(users);
            assertThat(fake.user("user39").orElseThrow().tags()).containsEntry("n", "user39");
        }

        @Test
        void injectedLatencyDelaysTheAnswer() {
            fake.setLatency("ListAccountAliases", Duration.ofMillis(300));
            long started = System.nanoTime();

            gateway.accountAlias();

            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        }

        @Test
        void unsignedRequestIsRefusedButCounted() throws Exception {
            HttpResponse<String> response = post("Action=ListAccountAliases&Version=2010-05-08", null);

            assertThat(response.statusCode()).isEqualTo(403);
            assertThat(response.body()).contains("<Code>MissingAuthenticationToken</Code>", "<Type>Sender</Type>");
            assertThat(fake.callCount("ListAccountAliases")).isEqualTo(1);
        }

        @Test
        void unknownActionIsInvalidAction() throws Exception {
            HttpResponse<String> response = SignedQuery.iam(fake.endpoint(), "Action=CreateRole&Version=2010-05-08");

            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(response.body()).contains("<ErrorResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\">",
                    "<Code>InvalidAction</Code>");
        }

        private HttpResponse<String> post(String form, String authorization) throws Exception {
            HttpRequest.Builder request = HttpRequest.newBuilder(fake.endpoint().resolve("/"))
                    .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                    .POST(HttpRequest.BodyPublishers.ofString(form));
            if (authorization != null) {
                request.header("Authorization", authorization);
            }
            return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    private static IamException iamFailure(ThrowingCallable call) {
        IamException e = catchThrowableOfType(IamException.class, call);
        assertThat(e).as("an IamException").isNotNull();
        return e;
    }
}
