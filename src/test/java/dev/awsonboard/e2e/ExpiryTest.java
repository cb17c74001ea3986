package dev.awsonboard.e2e;

import dev.awsonboard.fakes.FakeIam;
import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.lifecycle.model.Status;
import dev.awsonboard.lifecycle.Sweeper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static dev.awsonboard.e2e.TestBot.ALICE;
import static dev.awsonboard.e2e.TestBot.APPROVER;
import static dev.awsonboard.e2e.TestBot.REQUESTER;
import static dev.awsonboard.e2e.TestBot.dm;
import static org.assertj.core.api.Assertions.assertThat;

/** The sweeper: unapproved requests and unfinished setups expire; lost MFA devices go. */
class ExpiryTest {
    @TempDir
    Path dir;
    TestBot t;

    @BeforeEach
    void start() throws Exception {
        Path yaml = Files.writeString(dir.resolve("expiry.yml"),
                "groups: [developers]\napprovalExpiry: 2h\nsetupExpiry: 24h\n");
        t = TestBot.start(dir, Map.of("ONBOARD_CONFIG", yaml.toString()));
    }

    @AfterEach
    void stop() {
        t.close();
    }

    @Test
    void requestNotApprovedInTimeExpiresAndCanNoLongerBeApproved() {
        String id = t.requestSampleUser();
        t.clock.advance(Duration.ofMinutes(90));
        assertThat(t.bot.sweepNow().approvalsExpired()).isZero();

        t.clock.advance(Duration.ofMinutes(31));
        assertThat(t.bot.sweepNow().approvalsExpired()).isEqualTo(1);
        Request expired = t.request(id);
        assertThat(expired.status()).isEqualTo(Status.EXPIRED);
        assertThat(TestBot.why(expired)).contains("nobody approved it within 2 hours");
        assertThat(t.slack.messages(dm(REQUESTER)).toString()).contains("expired");
        assertThat(t.approvalMessage().blocks().toString()).contains("Expired").doesNotContain("onboard_approve");

        t.approve(APPROVER, id);
        assertThat(t.request(id).status()).isEqualTo(Status.EXPIRED);
        assertThat(t.iam.callCount("CreateUser")).isZero();
    }

    @Test
    void setupNotFinishedInTimeExpiresRemovesTheUserAndDeletesTheQr() {
        String id = t.requestSampleUser();
        t.approve(APPROVER, id);
        t.awaitStatus(id, Status.AWAITING_MFA);
        String qr = t.qrFileFor(ALICE).id();

        t.clock.advance(Duration.ofHours(23));
        assertThat(t.bot.sweepNow().setupsExpired()).isZero();
        t.clock.advance(Duration.ofHours(2));
        Sweeper.Report report = t.bot.sweepNow();

        assertThat(report.setupsExpired()).isEqualTo(1);
        Request expired = t.request(id);
        assertThat(expired.status()).isEqualTo(Status.EXPIRED);
        assertThat(t.iam.user("sampleUser")).isEmpty();
        assertThat(t.iam.virtualMfaDevices()).isEmpty();
        assertThat(t.slack.isDeleted(qr)).isTrue();
        assertThat(expired.qrFileId()).isNull();
        assertThat(t.slack.messages(dm(ALICE)).toString()).contains("expired before MFA was turned on");
        assertThat(t.slack.messages(dm(REQUESTER)).toString()).contains("expired");

        // Codes that arrive afterwards are refused and change nothing.
        var codes = t.codesFromQr(ALICE);
        assertThat(t.json(t.submitCodes(ALICE, id, codes.get(0), codes.get(1))).path("response_action").asText()).isEqualTo("errors");
        assertThat(t.iam.callCount("EnableMFADevice")).isZero();
    }

    @Test
    void finishedSetupNeverExpires() {
        String id = t.requestSampleUser();
        t.approve(APPROVER, id);
        t.finishSetup(id);
        t.clock.advance(Duration.ofDays(30));
        assertThat(t.bot.sweepNow().setupsExpired()).isZero();
        assertThat(t.request(id).status()).isEqualTo(Status.DONE);
        assertThat(t.iam.user("sampleUser").orElseThrow().mfaDevices()).hasSize(1);
    }

    @Test
    void unassignedDeviceLeftByAFailedCleanUpIsDeletedBySweeper() {
        // Provisioning fails after the device exists, and the clean-up may not delete the device
        // (an error no retry fixes); the device is recorded on the request, so the sweeper knows it is ours.
        t.iam.failNext("DeleteVirtualMFADevice", 1, "AccessDenied", 403);
        t.slack.failNext("files.completeUploadExternal", 1, "channel_not_found");
        String id = t.requestSampleUser();
        t.approve(APPROVER, id);
        t.awaitStatus(id, Status.FAILED);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> TestBot.why(t.request(id)).contains("could not be removed"));
        assertThat(t.orphanDevices()).hasSize(1);

        assertThat(t.bot.sweepNow().devicesDeleted()).isEqualTo(1);
        assertThat(t.iam.virtualMfaDevices()).isEmpty();
    }

    @Test
    void deviceThatIsNotOursIsLeftAlone() {
        t.preexistingIamUser("stranger", Map.of());
        // An unassigned device named after no request of ours: someone else's business.
        try (var client = dev.awsonboard.iam.IamClients.create(java.util.Optional.of(t.iam.endpoint()),
                software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("AKIDEXAMPLE", dev.awsonboard.fakes.FakeIam.SECRET_ACCESS_KEY)), 0)) {
            new dev.awsonboard.iam.SdkIamGateway(client).createVirtualMfaDevice("stranger", "/");
        }
        assertThat(t.bot.sweepNow().devicesDeleted()).isZero();
        assertThat(t.iam.virtualMfaDevices()).hasSize(1);
    }

    /** An admin's own IAM calls, signed with the credentials the fake knows. */
    private dev.awsonboard.iam.SdkIamGateway admin(software.amazon.awssdk.services.iam.IamClient client) {
        return new dev.awsonboard.iam.SdkIamGateway(client);
    }

    private software.amazon.awssdk.services.iam.IamClient adminClient() {
        return dev.awsonboard.iam.IamClients.create(java.util.Optional.of(t.iam.endpoint()), dev.awsonboard.fakes.FakeIam.credentials(), 0);
    }

    @Test
    void aDeviceAnAdminIsRegisteringForAnOnboardedUserIsNeverDeleted() {
        String id = t.requestSampleUser();
        t.approve(APPROVER, id);
        t.finishSetup(id);
        String serial = t.request(id).mfaSerial();
        // alice lost her phone; an admin removes the device by hand and starts registering a new one
        // under the same name (mfa/sampleUser): the serial is the one the onboarding recorded.
        try (var client = adminClient()) {
            admin(client).deactivateMfaDevice("sampleUser", serial);
            admin(client).deleteVirtualMfaDevice(serial);
            assertThat(admin(client).createVirtualMfaDevice("sampleUser", "/").serialNumber()).isEqualTo(serial);
        }
        assertThat(t.bot.sweepNow().devicesDeleted()).isZero();
        assertThat(t.iam.virtualMfaDevices()).extracting(FakeIam.VirtualDevice::serial).containsExactly(serial);
    }

    @Test
    void aDeviceLeftByARequestThatEndedLongAgoIsLeftAlone() {
        t.iam.failNext("DeleteVirtualMFADevice", 1, "AccessDenied", 403);
        t.slack.failNext("files.completeUploadExternal", 1, "channel_not_found");
        String id = t.requestSampleUser();
        t.approve(APPROVER, id);
        t.awaitStatus(id, Status.FAILED);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> t.orphanDevices().size() == 1);
        // Three days on, a device of that name may be anyone's by now: the sweep no longer claims it.
        t.clock.advance(Duration.ofDays(3));
        assertThat(t.bot.sweepNow().devicesDeleted()).isZero();
        assertThat(t.orphanDevices()).hasSize(1);
    }

    @Test
    void theButtonsOfAnExpiredSetupAnswerThatTheyAreOutOfDateAndChangeNothing() {
        String id = t.requestSampleUser();
        t.approve(APPROVER, id);
        Request waiting = t.awaitStatus(id, Status.AWAITING_MFA);
        t.clock.advance(Duration.ofHours(25));
        assertThat(t.bot.sweepNow().setupsExpired()).isEqualTo(1);
        // Its setup message lost its buttons; a click on a copy that still has them changes nothing.
        assertThat(t.slack.message(dm(ALICE), waiting.setupMessage().ts()).orElseThrow().blocks().toString())
                .doesNotContain("onboard_enter_codes", "onboard_show_password");
        int iamCalls = t.iam.calls().size();
        t.click(ALICE, "onboard_show_password", id, dm(ALICE));
        t.click(ALICE, "onboard_enter_codes", id, dm(ALICE));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> t.slack.calls("chat.postEphemeral").stream()
                .filter(c -> c.param("text").contains("out of date")).count() == 2);
        assertThat(t.iam.calls()).hasSize(iamCalls);
        assertThat(t.slack.callCount("views.open")).isZero();
    }
}
