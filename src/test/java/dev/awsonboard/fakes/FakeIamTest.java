package dev.awsonboard.fakes;

import dev.awsonboard.iam.IamClients;
import dev.awsonboard.lifecycle.model.PasswordPolicy;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.DefaultRetryStrategy;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKeyMetadata;
import software.amazon.awssdk.services.iam.model.AttachedPolicy;
import software.amazon.awssdk.services.iam.model.ConcurrentModificationException;
import software.amazon.awssdk.services.iam.model.CredentialReportExpiredException;
import software.amazon.awssdk.services.iam.model.CredentialReportNotPresentException;
import software.amazon.awssdk.services.iam.model.CredentialReportNotReadyException;
import software.amazon.awssdk.services.iam.model.GetCredentialReportResponse;
import software.amazon.awssdk.services.iam.model.ReportFormatType;
import software.amazon.awssdk.services.iam.model.ReportStateType;
import software.amazon.awssdk.services.iam.model.EntityAlreadyExistsException;
import software.amazon.awssdk.services.iam.model.EntityTemporarilyUnmodifiableException;
import software.amazon.awssdk.services.iam.model.Group;
import software.amazon.awssdk.services.iam.model.InvalidInputException;
import software.amazon.awssdk.services.iam.model.LimitExceededException;
import software.amazon.awssdk.services.iam.model.ListAccessKeysResponse;
import software.amazon.awssdk.services.iam.model.MFADevice;
import software.amazon.awssdk.services.iam.model.MalformedPolicyDocumentException;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.ServiceNotSupportedException;
import software.amazon.awssdk.services.iam.model.StatusType;
import software.amazon.awssdk.services.iam.model.VirtualMFADevice;
import software.amazon.awssdk.services.sts.StsClient;

import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/** FakeIam's IAM rules, seen through the SDK's own IAM and STS clients so the wire shapes are checked too. */
class FakeIamTest {
    private static final Instant NOW = Instant.parse("2025-03-01T12:00:10Z");
    private static final String PASSWORD = "Corr3ct-Horse-Battery!";
    private static final String ALLOW_CHANGE_PASSWORD = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:ChangePassword",
             "Resource":"arn:aws:iam::*:user/${aws:username}"}]}""";

    private final MovableClock clock = new MovableClock(NOW);
    private FakeIam fake;
    private IamClient iam;

    @BeforeEach
    void start() {
        fake = FakeIam.start(clock, 42);
        iam = client(FakeIam.credentials());
    }

    @AfterEach
    void stop() {
        iam.close();
        fake.close();
    }

    /** No retries: each test sees every answer the fake gives. */
    private IamClient client(AwsCredentialsProvider credentials) {
        return IamClients.create(Optional.of(fake.endpoint()), credentials, 0);
    }

    private StsClient sts(Region region, AwsCredentialsProvider credentials) {
        return StsClient.builder().region(region).credentialsProvider(credentials).endpointOverride(fake.endpoint())
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(o -> o.retryStrategy(DefaultRetryStrategy.doNotRetry()))
                .build();
    }

    private void userWithPassword(String name, boolean resetRequired) {
        iam.createUser(b -> b.userName(name));
        iam.createLoginProfile(b -> b.userName(name).password(PASSWORD).passwordResetRequired(resetRequired));
    }

    @Nested
    class WhatAUserHolds {
        @Test
        void accessKeysAreListedActiveWithTheirCreationDate() {
            iam.createUser(b -> b.userName("alice"));
            String id = fake.giveAccessKey("alice");

            List<AccessKeyMetadata> keys = iam.listAccessKeys(b -> b.userName("alice")).accessKeyMetadata();

            assertThat(id).startsWith("AKIA").hasSize(20);
            assertThat(keys).singleElement().satisfies(k -> {
                assertThat(k.accessKeyId()).isEqualTo(id);
                assertThat(k.status()).isEqualTo(StatusType.ACTIVE);
                assertThat(k.createDate()).isEqualTo(NOW.truncatedTo(ChronoUnit.SECONDS));
                assertThat(k.userName()).isEqualTo("alice");
            });
        }

        @Test
        void aThirdAccessKeyIsRefusedByTheQuota() {
            iam.createUser(b -> b.userName("alice"));
            fake.giveAccessKey("alice");
            fake.giveAccessKey("alice");

            assertThatThrownBy(() -> fake.giveAccessKey("alice")).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("LimitExceeded").hasMessageContaining("AccessKeysPerUser: 2");
        }

        @Test
        void deletingAnAccessKeyTwiceIsNoSuchEntity() {
            iam.createUser(b -> b.userName("alice"));
            String id = fake.giveAccessKey("alice");

            iam.deleteAccessKey(b -> b.userName("alice").accessKeyId(id));

            assertThatThrownBy(() -> iam.deleteAccessKey(b -> b.userName("alice").accessKeyId(id)))
                    .isInstanceOf(NoSuchEntityException.class).hasMessageContaining(id);
            assertThat(fake.holdings("alice").orElseThrow().accessKeys()).isEmpty();
        }

        @Test
        void aMalformedAccessKeyIdIsAValidationError() {
            iam.createUser(b -> b.userName("alice"));

            AwsServiceException e = awsError(() -> iam.deleteAccessKey(b -> b.userName("alice").accessKeyId("AKIA-1")));

            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError");
        }

        @Test
        void signingCertificatesSshKeysAndServiceCredentialsAreListedWithTheirShapes() {
            iam.createUser(b -> b.userName("alice"));
            String certificate = fake.giveSigningCertificate("alice");
            String sshKey = fake.giveSshPublicKey("alice");
            String gitPassword = fake.giveServiceSpecificCredential("alice", "codecommit.amazonaws.com");

            var certificates = iam.listSigningCertificates(b -> b.userName("alice")).certificates();
            var sshKeys = iam.listSSHPublicKeys(b -> b.userName("alice")).sshPublicKeys();
            var credentials = iam.listServiceSpecificCredentials(b -> b.userName("alice")).serviceSpecificCredentials();

            assertThat(certificates).singleElement().satisfies(c -> {
                assertThat(c.certificateId()).isEqualTo(certificate).hasSizeGreaterThanOrEqualTo(24);
                assertThat(c.certificateBody()).startsWith("-----BEGIN CERTIFICATE-----");
            });
            assertThat(sshKeys).singleElement().satisfies(k -> assertThat(k.sshPublicKeyId()).isEqualTo(sshKey).startsWith("APKA"));
            assertThat(credentials).singleElement().satisfies(c -> {
                assertThat(c.serviceSpecificCredentialId()).isEqualTo(gitPassword);
                assertThat(c.serviceName()).isEqualTo("codecommit.amazonaws.com");
                assertThat(c.serviceUserName()).isEqualTo("alice-at-" + FakeIam.ACCOUNT_ID);
            });
        }

        @Test
        void serviceCredentialsAreFilteredByServiceAndAnUnknownServiceIsNotSupported() {
            iam.createUser(b -> b.userName("alice"));
            fake.giveServiceSpecificCredential("alice", "codecommit.amazonaws.com");
            String keyspaces = fake.giveServiceSpecificCredential("alice", "cassandra.amazonaws.com");

            var filtered = iam.listServiceSpecificCredentials(b -> b.userName("alice").serviceName("cassandra.amazonaws.com"));

            assertThat(filtered.serviceSpecificCredentials()).extracting(c -> c.serviceSpecificCredentialId())
                    .containsExactly(keyspaces);
            assertThatThrownBy(() -> iam.listServiceSpecificCredentials(b -> b.userName("alice").serviceName("s3.amazonaws.com")))
                    .isInstanceOf(ServiceNotSupportedException.class);
        }

        @Test
        void groupsForAUserCarryTheGroupsIdentity() {
            fake.createGroup("developers");
            iam.createUser(b -> b.userName("alice"));
            iam.addUserToGroup(b -> b.userName("alice").groupName("developers"));

            List<Group> groups = iam.listGroupsForUser(b -> b.userName("alice")).groups();

            assertThat(groups).singleElement().satisfies(g -> {
                assertThat(g.groupName()).isEqualTo("developers");
                assertThat(g.arn()).isEqualTo("arn:aws:iam::123456789012:group/developers");
                assertThat(g.groupId()).startsWith("AGPA");
                assertThat(g.path()).isEqualTo("/");
            });
        }

        @Test
        void anEleventhGroupIsRefusedByTheQuota() {
            iam.createUser(b -> b.userName("alice"));
            for (int i = 0; i < 11; i++) {
                fake.createGroup("g" + i);
            }
            for (int i = 0; i < 10; i++) {
                String group = "g" + i;
                iam.addUserToGroup(b -> b.userName("alice").groupName(group));
            }

            assertThatThrownBy(() -> iam.addUserToGroup(b -> b.userName("alice").groupName("g10")))
                    .isInstanceOf(LimitExceededException.class);
        }

        @Test
        void holdingsNameEverythingDeleteUserWouldRefuseToOrphan() {
            fake.createGroup("developers");
            userWithPassword("alice", true);
            iam.addUserToGroup(b -> b.userName("alice").groupName("developers"));
            String key = fake.giveAccessKey("alice");
            String token = fake.giveHardwareMfaDevice("alice");
            fake.putUserPolicy("alice", "inline", ALLOW_CHANGE_PASSWORD);
            fake.attachUserPolicy("alice", FakeIam.CHANGE_PASSWORD_POLICY_ARN);

            FakeIam.Holdings holdings = fake.holdings("alice").orElseThrow();

            assertThat(holdings.loginProfile()).isTrue();
            assertThat(holdings.accessKeys()).containsExactly(key);
            assertThat(holdings.mfaDevices()).containsExactly(token);
            assertThat(holdings.inlinePolicies()).containsExactly("inline");
            assertThat(holdings.attachedPolicies()).containsExactly(FakeIam.CHANGE_PASSWORD_POLICY_ARN);
            assertThat(holdings.groups()).containsExactly("developers");
            assertThat(holdings.isEmpty()).isFalse();
            assertThat(fake.holdings("nobody")).isEmpty();
        }

        @Test
        void tagUserAddsAndReplacesTagsAndUntagUserRemovesThem() {
            iam.createUser(b -> b.userName("alice").tags(t -> t.key("team").value("a")));

            iam.tagUser(b -> b.userName("alice").tags(t -> t.key("team").value("b"), t -> t.key("cost").value("42")));
            iam.untagUser(b -> b.userName("alice").tagKeys("cost"));

            assertThat(fake.user("alice").orElseThrow().tags()).containsExactly(java.util.Map.entry("team", "b"));
        }

        @Test
        void getUserReportsThePermissionsBoundary() {
            String boundary = "arn:aws:iam::123456789012:policy/OnboardedBoundary";
            iam.createUser(b -> b.userName("alice").permissionsBoundary(boundary));

            var user = iam.getUser(b -> b.userName("alice")).user();

            assertThat(user.permissionsBoundary().permissionsBoundaryArn()).isEqualTo(boundary);
            assertThat(user.passwordLastUsed()).as("never signed in").isNull();
        }

        @Test
        void thePasswordPolicyReportsWhetherUsersMayChangeTheirPassword() {
            fake.setPasswordPolicy(new PasswordPolicy(12, true, true, true, true, true));
            boolean allowed = iam.getAccountPasswordPolicy().passwordPolicy().allowUsersToChangePassword();
            fake.setPasswordPolicy(new PasswordPolicy(12, true, true, true, true, false));

            assertThat(allowed).isTrue();
            assertThat(iam.getAccountPasswordPolicy().passwordPolicy().allowUsersToChangePassword()).isFalse();
        }
    }

    @Nested
    class Policies {
        @Test
        void anInlinePolicyIsPutListedAndDeletedOnce() {
            iam.createUser(b -> b.userName("alice"));

            iam.putUserPolicy(b -> b.userName("alice").policyName("self").policyDocument(ALLOW_CHANGE_PASSWORD));
            List<String> names = iam.listUserPolicies(b -> b.userName("alice")).policyNames();
            iam.deleteUserPolicy(b -> b.userName("alice").policyName("self"));

            assertThat(names).containsExactly("self");
            assertThatThrownBy(() -> iam.deleteUserPolicy(b -> b.userName("alice").policyName("self")))
                    .isInstanceOf(NoSuchEntityException.class).hasMessageContaining("self");
        }

        @Test
        void aPolicyThatIsNotJsonIsMalformed() {
            iam.createUser(b -> b.userName("alice"));

            assertThatThrownBy(() -> iam.putUserPolicy(b -> b.userName("alice").policyName("p").policyDocument("{not json")))
                    .isInstanceOf(MalformedPolicyDocumentException.class);
            assertThat(fake.holdings("alice").orElseThrow().inlinePolicies()).isEmpty();
        }

        @Test
        void inlinePoliciesBeyond2048CharactersPerUserExceedTheQuota() {
            iam.createUser(b -> b.userName("alice"));
            String big = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\","
                    + "\"Resource\":\"arn:aws:s3:::" + "b".repeat(1000) + "/*\"}]}";
            iam.putUserPolicy(b -> b.userName("alice").policyName("one").policyDocument(big));

            assertThatThrownBy(() -> iam.putUserPolicy(b -> b.userName("alice").policyName("two").policyDocument(big)))
                    .isInstanceOf(LimitExceededException.class).hasMessageContaining("2048");
            iam.putUserPolicy(b -> b.userName("alice").policyName("one").policyDocument(big)); // replacing is fine
        }

        @Test
        void anAwsManagedPolicyIsAttachedOnceAndListedWithItsName() {
            iam.createUser(b -> b.userName("alice"));

            iam.attachUserPolicy(b -> b.userName("alice").policyArn(FakeIam.CHANGE_PASSWORD_POLICY_ARN));
            iam.attachUserPolicy(b -> b.userName("alice").policyArn(FakeIam.CHANGE_PASSWORD_POLICY_ARN));

            assertThat(iam.listAttachedUserPolicies(b -> b.userName("alice")).attachedPolicies())
                    .extracting(AttachedPolicy::policyName, AttachedPolicy::policyArn)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("IAMUserChangePassword", FakeIam.CHANGE_PASSWORD_POLICY_ARN));
        }

        @Test
        void attachingAPolicyThatDoesNotExistIsNoSuchEntityAndAMalformedArnInvalidInput() {
            iam.createUser(b -> b.userName("alice"));

            assertThatThrownBy(() -> iam.attachUserPolicy(b -> b.userName("alice").policyArn("arn:aws:iam::aws:policy/NoSuchPolicy")))
                    .isInstanceOf(NoSuchEntityException.class).hasMessageContaining("does not exist or is not attachable");
            assertThatThrownBy(() -> iam.attachUserPolicy(b -> b.userName("alice").policyArn("IAMUserChangePassword-x")))
                    .isInstanceOf(InvalidInputException.class);
        }

        @Test
        void detachingAPolicyThatIsNotAttachedIsNoSuchEntity() {
            iam.createUser(b -> b.userName("alice"));

            assertThatThrownBy(() -> iam.detachUserPolicy(b -> b.userName("alice").policyArn(FakeIam.CHANGE_PASSWORD_POLICY_ARN)))
                    .isInstanceOf(NoSuchEntityException.class);
        }

        @Test
        void anEleventhManagedPolicyExceedsTheQuota() {
            iam.createUser(b -> b.userName("alice"));
            for (int i = 0; i < 10; i++) {
                fake.attachUserPolicy("alice", fake.createManagedPolicy("p" + i, ALLOW_CHANGE_PASSWORD));
            }
            String eleventh = fake.createManagedPolicy("p10", ALLOW_CHANGE_PASSWORD);

            assertThatThrownBy(() -> iam.attachUserPolicy(b -> b.userName("alice").policyArn(eleventh)))
                    .isInstanceOf(LimitExceededException.class).hasMessageContaining("PoliciesPerUser: 10");
        }
    }

    @Nested
    class MfaDevicesOfEveryKind {
        @Test
        void hardwareTokensAndSecurityKeysAreListedWithVirtualDevices() {
            iam.createUser(b -> b.userName("alice"));
            String token = fake.giveHardwareMfaDevice("alice");
            String key = fake.giveSecurityKey("alice");

            List<MFADevice> devices = iam.listMFADevices(b -> b.userName("alice")).mfaDevices();

            assertThat(token).matches("GAHT\\d{8}");
            assertThat(key).startsWith("arn:aws:iam::123456789012:u2f/user/alice/");
            assertThat(devices).extracting(MFADevice::serialNumber).containsExactly(token, key);
            assertThat(devices).allSatisfy(d -> assertThat(d.enableDate()).isNotNull());
            assertThat(iam.listVirtualMFADevices().virtualMFADevices()).as("not virtual").isEmpty();
        }

        @Test
        void aHardwareTokenCannotBeDeletedAsAVirtualDeviceButDeactivatingRemovesIt() {
            iam.createUser(b -> b.userName("alice"));
            String token = fake.giveHardwareMfaDevice("alice");

            assertThatThrownBy(() -> iam.deleteVirtualMFADevice(b -> b.serialNumber(token)))
                    .isInstanceOf(NoSuchEntityException.class);
            iam.deactivateMFADevice(b -> b.userName("alice").serialNumber(token));

            assertThat(iam.listMFADevices(b -> b.userName("alice")).mfaDevices()).isEmpty();
            assertThatThrownBy(() -> iam.deactivateMFADevice(b -> b.userName("alice").serialNumber(token)))
                    .isInstanceOf(NoSuchEntityException.class);
            iam.deleteUser(b -> b.userName("alice"));
        }

        @Test
        void aDeactivatedVirtualDeviceStaysUnassignedUntilDeleted() {
            iam.createUser(b -> b.userName("alice"));
            VirtualMFADevice device = iam.createVirtualMFADevice(b -> b.virtualMFADeviceName("alice")).virtualMFADevice();
            List<String> codes = Totp.twoConsecutiveCodes(fake.seedOf(device.serialNumber()), clock.instant());
            iam.enableMFADevice(b -> b.userName("alice").serialNumber(device.serialNumber())
                    .authenticationCode1(codes.get(0)).authenticationCode2(codes.get(1)));

            iam.deactivateMFADevice(b -> b.userName("alice").serialNumber(device.serialNumber()));

            assertThat(fake.virtualMfaDevices()).containsExactly(new FakeIam.VirtualDevice(device.serialNumber(), null));
            iam.deleteVirtualMFADevice(b -> b.serialNumber(device.serialNumber()));
            assertThat(fake.virtualMfaDevices()).isEmpty();
        }

        @Test
        void withoutAUserNameTheCallersOwnDevicesAreListedAndARoleSessionMustNameTheUser() {
            iam.createUser(b -> b.userName("onboard-bot"));
            String token = fake.giveHardwareMfaDevice("onboard-bot");

            List<MFADevice> own = iam.listMFADevices().mfaDevices();
            fake.setCallerArn("arn:aws:sts::123456789012:assumed-role/OnboardBot/session-1");

            assertThat(own).extracting(MFADevice::serialNumber).containsExactly(token);
            assertThat(awsError(() -> iam.listMFADevices()).awsErrorDetails().errorCode()).isEqualTo("ValidationError");
        }

        @Test
        void aUserHoldsAtMostEightMfaDevices() {
            iam.createUser(b -> b.userName("alice"));
            for (int i = 0; i < 8; i++) {
                fake.giveSecurityKey("alice");
            }

            assertThatThrownBy(() -> fake.giveHardwareMfaDevice("alice")).hasMessageContaining("MFADevicesPerUser: 8");
        }
    }

    @Nested
    class Paging {
        @Test
        void aTruncatedPageCarriesAMarkerToTheNextOne() {
            iam.createUser(b -> b.userName("alice"));
            String first = fake.giveAccessKey("alice");
            String second = fake.giveAccessKey("alice");
            fake.truncateListsAt(1);

            ListAccessKeysResponse page1 = iam.listAccessKeys(b -> b.userName("alice"));
            ListAccessKeysResponse page2 = iam.listAccessKeys(b -> b.userName("alice").marker(page1.marker()));

            assertThat(page1.isTruncated()).isTrue();
            assertThat(page1.accessKeyMetadata()).extracting(AccessKeyMetadata::accessKeyId).containsExactly(first);
            assertThat(page2.isTruncated()).isFalse();
            assertThat(page2.marker()).isNull();
            assertThat(page2.accessKeyMetadata()).extracting(AccessKeyMetadata::accessKeyId).containsExactly(second);
        }

        @Test
        void maxItemsBoundsAPage() {
            iam.createUser(b -> b.userName("alice"));
            for (int i = 0; i < 3; i++) {
                fake.giveSshPublicKey("alice");
            }

            var page = iam.listSSHPublicKeys(b -> b.userName("alice").maxItems(2));

            assertThat(page.sshPublicKeys()).hasSize(2);
            assertThat(page.isTruncated()).isTrue();
        }

        @Test
        void theSdkPaginatorReadsEveryPage() {
            iam.createUser(b -> b.userName("alice"));
            for (int i = 0; i < 5; i++) {
                fake.putUserPolicy("alice", "p" + i, ALLOW_CHANGE_PASSWORD);
            }
            fake.truncateListsAt(2);

            List<String> names = iam.listUserPoliciesPaginator(b -> b.userName("alice")).policyNames().stream().toList();

            assertThat(names).containsExactly("p0", "p1", "p2", "p3", "p4");
            assertThat(fake.callCount("ListUserPolicies")).isEqualTo(3);
        }

        @Test
        void aMarkerTheFakeDidNotIssueIsInvalidInputAndMaxItemsOutOfRangeAValidationError() {
            iam.createUser(b -> b.userName("alice"));

            assertThat(awsError(() -> iam.listAccessKeys(b -> b.userName("alice").marker("bogus"))).awsErrorDetails()
                    .errorCode()).isEqualTo("InvalidInput");
            assertThat(awsError(() -> iam.listAccessKeys(b -> b.userName("alice").maxItems(1001))).awsErrorDetails()
                    .errorCode()).isEqualTo("ValidationError");
        }
    }

    @Nested
    class EventualConsistency {
        @Test
        void aNewUserIsNotFoundByTheNextRequestsThatNameIt() {
            fake.hideNewEntities(2);
            iam.createUser(b -> b.userName("alice"));

            assertThatThrownBy(() -> iam.getUser(b -> b.userName("alice"))).isInstanceOf(NoSuchEntityException.class);
            assertThatThrownBy(() -> iam.getUser(b -> b.userName("alice"))).isInstanceOf(NoSuchEntityException.class);

            assertThat(iam.getUser(b -> b.userName("alice")).user().userName()).isEqualTo("alice");
        }

        @Test
        void everyCallNamingAHiddenUserIsNoSuchEntityButItsNameIsTaken() {
            fake.createGroup("developers");
            fake.hideNewEntities(5);
            iam.createUser(b -> b.userName("alice"));

            List<ThrowingCallable> calls = List.of(
                    () -> iam.addUserToGroup(b -> b.userName("alice").groupName("developers")),
                    () -> iam.createLoginProfile(b -> b.userName("alice").password(PASSWORD)),
                    () -> iam.tagUser(b -> b.userName("alice").tags(t -> t.key("k").value("v"))),
                    () -> iam.attachUserPolicy(b -> b.userName("alice").policyArn(FakeIam.CHANGE_PASSWORD_POLICY_ARN)),
                    () -> iam.listAccessKeys(b -> b.userName("alice")));

            assertThat(calls).allSatisfy(call -> assertThatThrownBy(call).isInstanceOf(NoSuchEntityException.class));
            assertThatThrownBy(() -> iam.createUser(b -> b.userName("alice"))).isInstanceOf(EntityAlreadyExistsException.class);
            assertThat(fake.holdings("alice").orElseThrow().isEmpty()).as("nothing was applied").isTrue();
            iam.addUserToGroup(b -> b.userName("alice").groupName("developers"));
        }

        @Test
        void enableMfaDeviceSeesAHiddenUserAsMissingAndAHiddenDeviceAsTemporarilyUnmodifiable() throws Throwable {
            fake.hideNewEntities(1);
            iam.createUser(b -> b.userName("alice"));
            VirtualMFADevice device = iam.createVirtualMFADevice(b -> b.virtualMFADeviceName("alice")).virtualMFADevice();
            List<String> codes = Totp.twoConsecutiveCodes(fake.seedOf(device.serialNumber()), clock.instant());
            ThrowingCallable enable = () -> iam.enableMFADevice(b -> b.userName("alice").serialNumber(device.serialNumber())
                    .authenticationCode1(codes.get(0)).authenticationCode2(codes.get(1)));

            assertThatThrownBy(enable).isInstanceOf(NoSuchEntityException.class);
            assertThatThrownBy(enable).isInstanceOf(EntityTemporarilyUnmodifiableException.class);
            enable.call();

            assertThat(fake.user("alice").orElseThrow().mfaDevices()).containsExactly(device.serialNumber());
        }

        @Test
        void entitiesMadeBeforeTheSwitchStayVisible() {
            iam.createUser(b -> b.userName("bob"));

            fake.hideNewEntities(3);

            assertThat(iam.getUser(b -> b.userName("bob")).user().userName()).isEqualTo("bob");
        }

        @Test
        void aNewUserCanBeHiddenForAWhileOnTheFakesClock() {
            fake.hideNewEntitiesFor(Duration.ofSeconds(5));
            iam.createUser(b -> b.userName("alice"));

            assertThatThrownBy(() -> iam.getUser(b -> b.userName("alice"))).isInstanceOf(NoSuchEntityException.class);
            clock.advance(Duration.ofSeconds(5));

            assertThat(iam.getUser(b -> b.userName("alice")).user().userName()).isEqualTo("alice");
        }

        @Test
        void deletesThatIamListsForItAnswerConcurrentModificationForTheNextRequests() {
            String serial = iam.createVirtualMFADevice(b -> b.virtualMFADeviceName("alice")).virtualMFADevice().serialNumber();
            userWithPassword("bob", false);
            fake.concurrentModificationOnDeletes(2);

            iam.deleteLoginProfile(b -> b.userName("bob")); // its API reference does not list ConcurrentModification
            assertThatThrownBy(() -> iam.deleteVirtualMFADevice(b -> b.serialNumber(serial)))
                    .isInstanceOf(ConcurrentModificationException.class);
            assertThatThrownBy(() -> iam.deleteUser(b -> b.userName("bob"))).isInstanceOf(ConcurrentModificationException.class);
            iam.deleteVirtualMFADevice(b -> b.serialNumber(serial));

            assertThat(fake.virtualMfaDevices()).isEmpty();
            assertThat(fake.user("bob")).as("refused, so still there").isPresent();
        }
    }

    @Nested
    class FaultsAndLoad {
        @Test
        void failNextWorksForEveryActionIncludingStsAndTheNewOnes() {
            iam.createUser(b -> b.userName("alice"));
            fake.failNext("ListGroupsForUser", 1, "ServiceFailure", 500);
            fake.failNext("GetCallerIdentity", 1, "AccessDenied", 403);

            AwsServiceException list = awsError(() -> iam.listGroupsForUser(b -> b.userName("alice")));
            AwsServiceException sts;
            try (StsClient client = sts(Region.AWS_GLOBAL, FakeIam.credentials())) {
                sts = awsError(client::getCallerIdentity);
            }

            assertThat(list.statusCode()).isEqualTo(500);
            assertThat(sts.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
            assertThat(iam.listGroupsForUser(b -> b.userName("alice")).groups()).isEmpty();
        }

        @Test
        void throttlingEverythingRefusesEveryCallUntilSwitchedOff() {
            fake.throttleEverything(true);

            AwsServiceException create = awsError(() -> iam.createUser(b -> b.userName("alice")));
            AwsServiceException aliases = awsError(() -> iam.listAccountAliases());
            fake.throttleEverything(false);

            assertThat(List.of(create, aliases)).allSatisfy(e -> {
                assertThat(e.statusCode()).isEqualTo(400);
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("Throttling");
            });
            assertThat(fake.user("alice")).isEmpty();
            iam.createUser(b -> b.userName("alice"));
            assertThat(fake.calls()).containsExactly("CreateUser", "ListAccountAliases", "CreateUser");
        }

        @Test
        void latencyForEveryActionDelaysEachAnswer() {
            fake.setLatency("*", Duration.ofMillis(200));

            long started = System.nanoTime();
            iam.createUser(b -> b.userName("alice"));
            iam.listAccountAliases();

            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
        }

        @Test
        void aServerErrorAfterTheCreateLeavesTheUserMadeAndARetryMeetsEntityAlreadyExists() {
            fake.loseAnswerOfNext("CreateUser", 1, FakeIam.LostAnswer.serverError());

            AwsServiceException lost = awsError(() -> iam.createUser(b -> b.userName("alice")));

            assertThat(lost.statusCode()).isEqualTo(500);
            assertThat(fake.user("alice")).isPresent();
            assertThatThrownBy(() -> iam.createUser(b -> b.userName("alice"))).isInstanceOf(EntityAlreadyExistsException.class);
        }

        @Test
        void aResetInTheMiddleOfTheAnswerIsAClientErrorAfterTheDeviceWasMade() {
            fake.loseAnswerOfNext("CreateVirtualMFADevice", 1, FakeIam.LostAnswer.reset());

            assertThatThrownBy(() -> iam.createVirtualMFADevice(b -> b.virtualMFADeviceName("alice")))
                    .isInstanceOf(software.amazon.awssdk.core.exception.SdkClientException.class);

            assertThat(fake.virtualMfaDevices()).extracting(FakeIam.VirtualDevice::serial)
                    .containsExactly("arn:aws:iam::" + FakeIam.ACCOUNT_ID + ":mfa/alice");
            assertThatThrownBy(() -> iam.createVirtualMFADevice(b -> b.virtualMFADeviceName("alice")))
                    .isInstanceOf(EntityAlreadyExistsException.class);
        }

        @Test
        void anAnswerSlowerThanTheClientWaitsTimesOutAfterTheUserWasMade() {
            fake.loseAnswerOfNext("CreateUser", 1, FakeIam.LostAnswer.timeout(Duration.ofMillis(1500)));
            try (IamClient impatient = IamClient.builder().region(Region.AWS_GLOBAL).credentialsProvider(FakeIam.credentials())
                    .endpointOverride(fake.endpoint()).httpClientBuilder(UrlConnectionHttpClient.builder())
                    .overrideConfiguration(o -> o.retryStrategy(DefaultRetryStrategy.doNotRetry())
                            .apiCallAttemptTimeout(Duration.ofMillis(300)))
                    .build()) {
                assertThatThrownBy(() -> impatient.createUser(b -> b.userName("alice")))
                        .isInstanceOf(software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException.class);
            }
            assertThat(fake.user("alice")).isPresent();
        }

        @Test
        void aLostDeleteIsCarriedOutAndARetryMeetsNoSuchEntity() {
            iam.createUser(b -> b.userName("alice"));
            fake.loseAnswerOfNext("DeleteUser", 1, FakeIam.LostAnswer.serverError());

            awsError(() -> iam.deleteUser(b -> b.userName("alice")));

            assertThat(fake.user("alice")).isEmpty();
            assertThatThrownBy(() -> iam.deleteUser(b -> b.userName("alice"))).isInstanceOf(NoSuchEntityException.class);
        }

        @Test
        void holdingOneActionParksOnlyItsRequests() throws Exception {
            ExecutorService pool = Executors.newFixedThreadPool(1);
            try {
                fake.hold("CreateUser");
                Future<?> create = pool.submit(() -> iam.createUser(b -> b.userName("alice")));

                await().atMost(Duration.ofSeconds(5)).until(() -> fake.held() == 1);
                iam.listAccountAliases(); // not held
                assertThat(fake.user("alice")).isEmpty();
                fake.releaseAll();
                create.get(10, TimeUnit.SECONDS);
            } finally {
                fake.releaseAll();
                pool.shutdownNow();
            }
            assertThat(fake.user("alice")).isPresent();
        }

        @Test
        void heldRequestsWaitUntilReleasedAndAreCountedMeanwhile() throws Exception {
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                fake.holdAll();
                Future<?> create = pool.submit(() -> iam.createUser(b -> b.userName("alice")));
                Future<?> aliases = pool.submit(() -> iam.listAccountAliases());

                await().atMost(Duration.ofSeconds(5)).until(() -> fake.held() == 2);
                assertThat(fake.calls()).containsExactlyInAnyOrder("CreateUser", "ListAccountAliases");
                assertThat(create).isNotDone();
                assertThat(fake.user("alice")).isEmpty();
                fake.releaseAll();

                create.get(10, TimeUnit.SECONDS);
                aliases.get(10, TimeUnit.SECONDS);
            } finally {
                fake.releaseAll();
                pool.shutdownNow();
            }
            assertThat(fake.user("alice")).isPresent();
            assertThat(fake.held()).isZero();
        }
    }

    @Nested
    class Signatures {
        @Test
        void aClientWithTheWrongSecretIsRefusedWithSignatureDoesNotMatch() {
            try (IamClient wrong = client(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                    FakeIam.ACCESS_KEY_ID, "not-the-secret")))) {
                AwsServiceException e = awsError(() -> wrong.createUser(b -> b.userName("alice")));

                assertThat(e.statusCode()).isEqualTo(403);
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("SignatureDoesNotMatch");
            }
            assertThat(fake.user("alice")).isEmpty();
        }

        @Test
        void anUnknownAccessKeyIsAnInvalidClientTokenIdUntilTheFakeAcceptsIt() {
            var stranger = StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDSTRANGER", "stranger-secret"));
            try (IamClient client = client(stranger)) {
                AwsServiceException e = awsError(client::listAccountAliases);
                fake.acceptCredentials("AKIDSTRANGER", "stranger-secret");

                assertThat(e.statusCode()).isEqualTo(403);
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidClientTokenId");
                assertThat(client.listAccountAliases().accountAliases()).isEmpty();
            }
        }

        @Test
        void stsIsSignedForStsInWhateverRegionItsClientUses() {
            for (Region region : List.of(Region.AWS_GLOBAL, Region.US_EAST_1, Region.EU_WEST_1)) {
                try (StsClient sts = sts(region, FakeIam.credentials())) {
                    assertThat(sts.getCallerIdentity().account()).as(region.id()).isEqualTo(FakeIam.ACCOUNT_ID);
                }
            }
        }

        @Test
        void stsWithTheWrongSecretIsRefused() {
            try (StsClient sts = sts(Region.AWS_GLOBAL, StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(FakeIam.ACCESS_KEY_ID, "nope")))) {
                assertThat(awsError(sts::getCallerIdentity).awsErrorDetails().errorCode()).isEqualTo("SignatureDoesNotMatch");
            }
        }

        @Test
        void aScopeForTheWrongServiceIsRefusedNamingTheRightOne() throws Exception {
            HttpResponse<String> response = SignedQuery.post(fake.endpoint(), "Action=GetCallerIdentity&Version=2011-06-15",
                    FakeIam.ACCESS_KEY_ID, FakeIam.SECRET_ACCESS_KEY, "us-east-1", "iam");

            assertThat(response.statusCode()).isEqualTo(403);
            assertThat(response.body()).contains("<Code>SignatureDoesNotMatch</Code>", "correct service: &apos;sts&apos;",
                    "xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"");
        }

        @Test
        void iamSignedForARegionalScopeIsRefused() throws Exception {
            HttpResponse<String> response = SignedQuery.post(fake.endpoint(), "Action=ListAccountAliases&Version=2010-05-08",
                    FakeIam.ACCESS_KEY_ID, FakeIam.SECRET_ACCESS_KEY, "eu-west-1", "iam");

            assertThat(response.statusCode()).isEqualTo(403);
            assertThat(response.body()).contains("Credential should be scoped to a valid region, not &apos;eu-west-1&apos;");
        }

        @Test
        void aRequestSignedByTheSdkSignerForIamIsServed() throws Exception {
            HttpResponse<String> response = SignedQuery.iam(fake.endpoint(), "Action=ListAccountAliases&Version=2010-05-08");

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).contains("<ListAccountAliasesResponse");
        }
    }

    @Nested
    class SigningIn {
        @Test
        void theRightPasswordSignsInAndSetsPasswordLastUsed() {
            userWithPassword("alice", false);

            assertThat(fake.signIn("alice", PASSWORD, null)).isEqualTo(FakeIam.SignIn.OK);
            assertThat(iam.getUser(b -> b.userName("alice")).user().passwordLastUsed())
                    .isEqualTo(NOW.truncatedTo(ChronoUnit.SECONDS));
        }

        @Test
        void aWrongPasswordAnUnknownUserAndAUserWithoutConsoleAccessLookTheSame() {
            userWithPassword("alice", false);
            iam.createUser(b -> b.userName("bob"));

            assertThat(fake.signIn("alice", "wrong-" + PASSWORD, null)).isEqualTo(FakeIam.SignIn.WRONG_PASSWORD);
            assertThat(fake.signIn("nobody", PASSWORD, null)).isEqualTo(FakeIam.SignIn.WRONG_PASSWORD);
            assertThat(fake.signIn("bob", PASSWORD, null)).isEqualTo(FakeIam.SignIn.WRONG_PASSWORD);
            assertThat(fake.passwordLastUsed("alice")).isEmpty();
        }

        @Test
        void aUserWithMfaNeedsACodeValidAtTheFakesClock() {
            userWithPassword("alice", false);
            VirtualMFADevice device = iam.createVirtualMFADevice(b -> b.virtualMFADeviceName("alice")).virtualMFADevice();
            String seed = fake.seedOf(device.serialNumber());
            List<String> codes = Totp.twoConsecutiveCodes(seed, clock.instant());
            iam.enableMFADevice(b -> b.userName("alice").serialNumber(device.serialNumber())
                    .authenticationCode1(codes.get(0)).authenticationCode2(codes.get(1)));

            assertThat(fake.signIn("alice", PASSWORD, null)).isEqualTo(FakeIam.SignIn.MFA_REQUIRED);
            assertThat(fake.signIn("alice", PASSWORD, Totp.code(seed, NOW.minus(Duration.ofHours(1)))))
                    .isEqualTo(FakeIam.SignIn.WRONG_MFA_CODE);
            assertThat(fake.signIn("alice", PASSWORD, Totp.code(seed, clock.instant()))).isEqualTo(FakeIam.SignIn.OK);
        }

        @Test
        void aHardwareTokenCodeSignsInButASecurityKeyCannotBeTouchedHere() {
            userWithPassword("alice", false);
            userWithPassword("bob", false);
            String token = fake.giveHardwareMfaDevice("alice");
            fake.giveSecurityKey("bob");

            assertThat(fake.signIn("alice", PASSWORD, Totp.code(fake.seedOf(token), clock.instant()))).isEqualTo(FakeIam.SignIn.OK);
            assertThat(fake.signIn("bob", PASSWORD, "123456")).isEqualTo(FakeIam.SignIn.WRONG_MFA_CODE);
        }

        @Test
        void aPasswordThatMustBeResetNeedsPermissionToChangeIt() {
            userWithPassword("alice", true);

            assertThat(fake.signIn("alice", PASSWORD, null)).isEqualTo(FakeIam.SignIn.CANNOT_CHANGE_PASSWORD);
            assertThat(fake.passwordLastUsed("alice")).as("not signed in").isEmpty();
        }

        @Test
        void theAwsManagedChangePasswordPolicyLetsTheUserIn() {
            userWithPassword("alice", true);
            iam.attachUserPolicy(b -> b.userName("alice").policyArn(FakeIam.CHANGE_PASSWORD_POLICY_ARN));

            assertThat(fake.signIn("alice", PASSWORD, null)).isEqualTo(FakeIam.SignIn.OK);
        }

        @Test
        void theAccountPolicyLettingUsersChangeTheirPasswordLetsTheUserIn() {
            fake.setPasswordPolicy(new PasswordPolicy(8, false, false, false, false, true));
            userWithPassword("alice", true);

            assertThat(fake.signIn("alice", PASSWORD, null)).isEqualTo(FakeIam.SignIn.OK);
        }

        @Test
        void anInlineOrGroupPolicyGrantingChangePasswordLetsTheUserIn() {
            fake.createGroup("people");
            fake.attachGroupPolicy("people", FakeIam.CHANGE_PASSWORD_POLICY_ARN);
            userWithPassword("alice", true);
            userWithPassword("bob", true);
            fake.putUserPolicy("alice", "self-service", ALLOW_CHANGE_PASSWORD);
            iam.addUserToGroup(b -> b.userName("bob").groupName("people"));

            assertThat(fake.signIn("alice", PASSWORD, null)).isEqualTo(FakeIam.SignIn.OK);
            assertThat(fake.signIn("bob", PASSWORD, null)).isEqualTo(FakeIam.SignIn.OK);
        }

        @Test
        void aPolicyGrantingChangePasswordOnlyToSomeoneElseDoesNotCount() {
            userWithPassword("alice", true);
            fake.putUserPolicy("alice", "for-bob", """
                    {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:ChangePassword",
                     "Resource":"arn:aws:iam::*:user/bob"}]}""");

            assertThat(fake.signIn("alice", PASSWORD, null)).isEqualTo(FakeIam.SignIn.CANNOT_CHANGE_PASSWORD);
        }

        @Test
        void anExplicitDenyWinsOverTheManagedPolicy() {
            userWithPassword("alice", true);
            iam.attachUserPolicy(b -> b.userName("alice").policyArn(FakeIam.CHANGE_PASSWORD_POLICY_ARN));
            fake.putUserPolicy("alice", "deny", """
                    {"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"iam:*","Resource":"*"}]}""");

            assertThat(fake.signIn("alice", PASSWORD, null)).isEqualTo(FakeIam.SignIn.CANNOT_CHANGE_PASSWORD);
        }

        @Test
        void aPermissionsBoundaryWithoutChangePasswordBlocksTheManagedPolicy() {
            String boundary = fake.createManagedPolicy("Boundary", """
                    {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}""");
            iam.createUser(b -> b.userName("alice").permissionsBoundary(boundary));
            iam.createLoginProfile(b -> b.userName("alice").password(PASSWORD).passwordResetRequired(true));
            iam.attachUserPolicy(b -> b.userName("alice").policyArn(FakeIam.CHANGE_PASSWORD_POLICY_ARN));

            assertThat(fake.signIn("alice", PASSWORD, null)).isEqualTo(FakeIam.SignIn.CANNOT_CHANGE_PASSWORD);
        }

        @Test
        void passwordLastUsedKeepsTheFirstUseWithinFiveMinutes() {
            userWithPassword("alice", false);
            Instant first = NOW.truncatedTo(ChronoUnit.SECONDS);
            fake.signIn("alice", PASSWORD, null);
            clock.advance(Duration.ofMinutes(2));
            fake.signIn("alice", PASSWORD, null);
            Optional<Instant> withinFive = fake.passwordLastUsed("alice");
            clock.advance(Duration.ofMinutes(4));
            fake.signIn("alice", PASSWORD, null);

            assertThat(withinFive).contains(first);
            assertThat(fake.passwordLastUsed("alice")).contains(first.plus(Duration.ofMinutes(6)));
        }

        @Test
        void changingThePasswordClearsTheResetFlagAndTheOldOneStopsWorking() {
            userWithPassword("alice", true);
            iam.attachUserPolicy(b -> b.userName("alice").policyArn(FakeIam.CHANGE_PASSWORD_POLICY_ARN));

            assertThat(fake.changePassword("alice", "wrong", "N3w-Passw0rd!")).isEqualTo(FakeIam.PasswordChange.WRONG_PASSWORD);
            assertThat(fake.changePassword("alice", PASSWORD, "short")).isEqualTo(FakeIam.PasswordChange.POLICY_VIOLATION);
            assertThat(fake.changePassword("alice", PASSWORD, "N3w-Passw0rd!")).isEqualTo(FakeIam.PasswordChange.CHANGED);

            assertThat(fake.user("alice").orElseThrow().passwordResetRequired()).isFalse();
            assertThat(fake.signIn("alice", PASSWORD, null)).isEqualTo(FakeIam.SignIn.WRONG_PASSWORD);
            assertThat(fake.signIn("alice", "N3w-Passw0rd!", null)).isEqualTo(FakeIam.SignIn.OK);
        }

        @Test
        void changingThePasswordWithoutPermissionIsNotAllowed() {
            userWithPassword("alice", true);

            assertThat(fake.changePassword("alice", PASSWORD, "N3w-Passw0rd!")).isEqualTo(FakeIam.PasswordChange.NOT_ALLOWED);
            assertThat(fake.lastPasswordSetFor("alice")).isEqualTo(PASSWORD);
        }
    }

    private static AwsServiceException awsError(ThrowingCallable call) {
        AwsServiceException e = catchThrowableOfType(AwsServiceException.class, call);
        assertThat(e).as("an AWS error answer").isNotNull();
        return e;
    }

    @Nested
    class CredentialReport {
        private static final String HEADER = "user,arn,user_creation_time,password_enabled,password_last_used,"
                + "password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,"
                + "access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,"
                + "access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,"
                + "access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated";

        private List<String> lines(GetCredentialReportResponse report) {
            return List.of(report.content().asUtf8String().split("\n"));
        }

        @Test
        void theFirstReportIsStartedThenInProgressThenComplete() {
            assertThat(iam.generateCredentialReport().state()).isEqualTo(ReportStateType.STARTED);
            AwsServiceException notReady = catchThrowableOfType(AwsServiceException.class, () -> iam.getCredentialReport());
            assertThat(iam.generateCredentialReport().state()).isEqualTo(ReportStateType.COMPLETE);

            GetCredentialReportResponse report = iam.getCredentialReport();

            assertThat(notReady).isInstanceOf(CredentialReportNotReadyException.class);
            assertThat(notReady.awsErrorDetails().errorCode()).isEqualTo("ReportInProgress");
            assertThat(notReady.statusCode()).isEqualTo(404);
            assertThat(report.reportFormat()).isEqualTo(ReportFormatType.TEXT_CSV);
            assertThat(report.generatedTime()).isEqualTo(NOW.truncatedTo(ChronoUnit.SECONDS));
            assertThat(fake.credentialReportsGenerated()).isEqualTo(1);
        }

        @Test
        void generatingAgainWhileItIsMadeSaysInProgress() {
            fake.credentialReportReadyAfter(2);
            iam.generateCredentialReport();

            assertThat(iam.generateCredentialReport().state()).isEqualTo(ReportStateType.INPROGRESS);
            assertThat(iam.generateCredentialReport().state()).isEqualTo(ReportStateType.INPROGRESS);
            assertThat(iam.generateCredentialReport().state()).isEqualTo(ReportStateType.COMPLETE);
        }

        @Test
        void beforeAnyReportGetSaysNotPresent() {
            AwsServiceException e = catchThrowableOfType(AwsServiceException.class, () -> iam.getCredentialReport());

            assertThat(e).isInstanceOf(CredentialReportNotPresentException.class);
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ReportNotPresent");
            assertThat(e.statusCode()).isEqualTo(410);
        }

        @Test
        void theReportIsTheCsvOfTheRootAccountThenEveryUserBase64OnTheWire() throws Exception {
            iam.createUser(b -> b.userName("alice").path("/people/"));
            iam.createUser(b -> b.userName("svc,deploy"));
            fake.credentialReportReadyAfter(0);
            iam.generateCredentialReport();

            HttpResponse<String> raw = SignedQuery.iam(fake.endpoint(), "Action=GetCredentialReport&Version=2010-05-08");
            List<String> lines = lines(iam.getCredentialReport());

            String content = raw.body().replaceAll("(?s).*<Content>(.*)</Content>.*", "$1");
            assertThat(new String(java.util.Base64.getDecoder().decode(content), java.nio.charset.StandardCharsets.UTF_8))
                    .startsWith(HEADER + "\n<root_account>,");
            assertThat(lines).hasSize(4);
            assertThat(lines.get(0)).isEqualTo(HEADER);
            assertThat(lines.get(1)).isEqualTo("<root_account>,arn:aws:iam::123456789012:root,2014-09-01T20:45:40+00:00,"
                    + "not_supported,no_information,not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,"
                    + "false,N/A,false,N/A");
            assertThat(lines.get(2)).isEqualTo("alice,arn:aws:iam::123456789012:user/people/alice,2025-03-01T12:00:10+00:00,"
                    + "false,N/A,N/A,N/A,false,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A");
            assertThat(lines.get(3)).startsWith("\"svc,deploy\",\"arn:aws:iam::123456789012:user/svc,deploy\",");
        }

        @Test
        void passwordMfaAndAccessKeysShowAsIamWritesThem() {
            userWithPassword("alice", false);
            String key = fake.giveAccessKey("alice");
            clock.advance(Duration.ofMinutes(30));
            fake.useAccessKey("alice", key, "eu-west-1", "s3");
            fake.giveSigningCertificate("alice");
            userWithPassword("bob", false);
            fake.giveHardwareMfaDevice("bob");
            assertThat(fake.signIn("bob", PASSWORD, Totp.code(fake.seedOf(fake.user("bob").orElseThrow().mfaDevices().get(0)),
                    clock.instant()))).isEqualTo(FakeIam.SignIn.OK);
            fake.credentialReportReadyAfter(0);
            iam.generateCredentialReport();

            List<String> lines = lines(iam.getCredentialReport());

            String created = "2025-03-01T12:00:10+00:00";
            String used = "2025-03-01T12:30:10+00:00";
            assertThat(lines.get(2)).isEqualTo("alice,arn:aws:iam::123456789012:user/alice," + created + ",true,no_information,"
                    + created + ",N/A,false,true," + created + "," + used + ",eu-west-1,s3,false,N/A,N/A,N/A,N/A,true," + used
                    + ",false,N/A");
            assertThat(lines.get(3)).startsWith("bob,arn:aws:iam::123456789012:user/bob," + used + ",true," + used + "," + used
                    + ",N/A,true,false,");
        }

        @Test
        void withinFourHoursNoNewReportIsMadeAndTheOldOneIsServed() {
            fake.credentialReportReadyAfter(0);
            iam.generateCredentialReport();
            iam.createUser(b -> b.userName("late"));
            clock.advance(Duration.ofHours(3).plusMinutes(59));

            assertThat(iam.generateCredentialReport().state()).isEqualTo(ReportStateType.COMPLETE);
            assertThat(iam.getCredentialReport().content().asUtf8String()).doesNotContain("late");
            assertThat(fake.credentialReportsGenerated()).isEqualTo(1);
        }

        @Test
        void afterFourHoursTheReportIsExpiredUntilANewOneIsMade() {
            fake.credentialReportReadyAfter(0);
            iam.generateCredentialReport();
            iam.createUser(b -> b.userName("late"));
            clock.advance(Duration.ofHours(4));

            AwsServiceException expired = catchThrowableOfType(AwsServiceException.class, () -> iam.getCredentialReport());
            assertThat(iam.generateCredentialReport().state()).isEqualTo(ReportStateType.STARTED);

            assertThat(expired).isInstanceOf(CredentialReportExpiredException.class);
            assertThat(expired.statusCode()).isEqualTo(410);
            assertThat(iam.getCredentialReport().content().asUtf8String()).contains("\nlate,");
            assertThat(fake.credentialReportsGenerated()).isEqualTo(2);
        }
    }

    /** A clock a test moves by hand. */
    static final class MovableClock extends Clock {
        private volatile Instant now;

        MovableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
