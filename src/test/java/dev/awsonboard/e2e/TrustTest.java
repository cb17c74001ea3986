package dev.awsonboard.e2e;

import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.lifecycle.model.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static dev.awsonboard.e2e.TestBot.ALICE;
import static dev.awsonboard.e2e.TestBot.APPROVAL_CHANNEL;
import static dev.awsonboard.e2e.TestBot.APPROVER;
import static dev.awsonboard.e2e.TestBot.APPROVER_2;
import static dev.awsonboard.e2e.TestBot.REQUESTER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Holes a line-by-line review found: who may get access, who may approve it, what people are shown. */
class TrustTest {
    @TempDir
    Path dir;
    TestBot t;

    @BeforeEach
    void start() {
        t = TestBot.start(dir);
    }

    @AfterEach
    void stop() {
        t.close();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "deactivated, UGONE00001, has been deactivated",
            "bot, UBOTPERSON, is a bot",
            "guest, UGUEST0001, is a guest",
            "unknown, UNOSUCH001, is not a user of this Slack workspace"})
    void aPersonWhoCannotHoldAccessIsRefusedBeforeApproversAreAskedAndIamIsNotTouched(String kind, String id, String why) {
        switch (kind) {
            case "deactivated" -> t.slack.addUser(id, "gone").deactivateUser(id);
            case "bot" -> t.slack.addBot(id, "somebot");
            case "guest" -> t.slack.addGuest(id, "guest");
            default -> { } // never registered
        }
        t.command(REQUESTER, "newUser <@" + id + ">");
        assertThat(t.awaitFollowUp()).contains(why);
        assertThat(t.slack.messages(APPROVAL_CHANNEL)).isEmpty();
        assertThat(t.iam.calls()).isEmpty();
    }

    @Test
    void aPersonDeactivatedBetweenApprovalAndProvisioningGetsNoIamUser() {
        String id = t.requestSampleUser();
        t.slack.deactivateUser(ALICE);
        t.approve(APPROVER, id);
        Request failed = t.awaitStatus(id, Status.FAILED);
        assertThat(TestBot.why(failed)).contains("has been deactivated");
        assertThat(t.iam.callCount("CreateUser")).isZero();
    }

    @Test
    void nobodyApprovesTheirOwnAccessEvenIfSomeoneElseAskedForIt() {
        String id = t.submit(REQUESTER, "approverTwo <@" + APPROVER_2 + ">");
        t.approve(APPROVER_2, id);
        await().atMost(Duration.ofSeconds(10)).until(() -> t.slack.calls("chat.postEphemeral").toString()
                .contains("about your own AWS access") || t.slack.messages(TestBot.dm(APPROVER_2)).toString().contains("about your own AWS access"));
        assertThat(t.request(id).status()).isEqualTo(Status.REQUESTED);
        t.approve(APPROVER, id);
        t.awaitStatus(id, Status.AWAITING_MFA);
    }

    @Test
    void peopleSeeTheErrorCodeNotAwsRawMessageWithArnsAndRequestIds() {
        t.iam.failNext("CreateLoginProfile", 1, "AccessDenied", 403); // AWS's text names the bot's ARN
        String id = t.requestSampleUser();
        t.approve(APPROVER, id);
        t.awaitStatus(id, Status.FAILED);
        await().atMost(Duration.ofSeconds(10)).until(() -> t.approvalMessage().blocks().toString().contains("Failed"));
        String shown = t.approvalMessage().blocks() + " " + t.slack.messages(TestBot.dm(REQUESTER));
        assertThat(shown).contains("AccessDenied", "CreateLoginProfile", "deploy/iam-policy.json")
                .doesNotContain("arn:aws:iam::", "not authorized to perform");
    }

    @ParameterizedTest(name = "{1} on {0}")
    @CsvSource({"CreateUser, LimitExceeded, 409", "AddUserToGroup, InvalidInput, 400", "AttachUserPolicy, LimitExceeded, 409"})
    void everyKindOfIamFailureReachesPeopleAsItsCodeNeverAsAwsText(String action, String code, int httpStatus) {
        t.iam.failNext(action, 1, code, httpStatus); // the fake's text for these reads "Injected <code> by FakeIam"
        String id = t.requestSampleUser();
        t.approve(APPROVER, id);
        t.awaitStatus(id, Status.FAILED);
        await().atMost(Duration.ofSeconds(10)).until(() -> t.approvalMessage().blocks().toString().contains("Failed"));
        String shown = t.approvalMessage().blocks() + " " + t.slack.messages(TestBot.dm(REQUESTER));
        assertThat(shown).contains(code).doesNotContain("Injected", "FakeIam");
    }

    @Test
    void codesAreCheckedAgainstIamsClockAndStaleOnesAreRefusedUntilFreshOnesCome() {
        dev.awsonboard.fakes.ManualClock iamClock = t.iamClock;
        String id = t.requestSampleUser();
        t.approve(APPROVER, id);
        t.awaitStatus(id, Status.AWAITING_MFA);
        String seed = TestBot.scanSeed(t.qrFileFor(ALICE).bytes());
        List<String> typedAtNoon = dev.awsonboard.fakes.Totp.twoConsecutiveCodes(seed, iamClock.instant());

        // The person typed them, then went for coffee: five minutes on, IAM's window has moved past them.
        iamClock.advance(Duration.ofMinutes(5));
        assertThat(t.json(t.submitCodes(ALICE, id, typedAtNoon.get(0), typedAtNoon.get(1))).path("errors").toString())
                .contains("did not accept those codes");
        assertThat(t.request(id).status()).isEqualTo(Status.AWAITING_MFA);

        // Fresh codes from the app at IAM's now work; a step of drift either way is tolerated.
        iamClock.advance(Duration.ofSeconds(20));
        List<String> fresh = dev.awsonboard.fakes.Totp.twoConsecutiveCodes(seed, iamClock.instant().minusSeconds(30));
        assertThat(t.json(t.submitCodes(ALICE, id, fresh.get(0), fresh.get(1))).path("response_action").asText()).isEqualTo("update");
        assertThat(t.request(id).status()).isEqualTo(Status.DONE);
    }

    @Test
    void aUserIamStillHidesRightAfterItsCreateIsDeletedByTheCleanUpNotReportedGone() {
        // The request fails right after CreateUser; for the next few calls IAM does not show the new
        // user yet, so DeleteUser says NoSuchEntity. The clean-up must not believe it until reads agree.
        t.iam.failNext("AddUserToGroup", 1, "AccessDenied", 403);
        String id = t.requestSampleUser();
        t.iam.hideNewEntities(4);
        t.approve(APPROVER, id);
        Request failed = t.awaitStatus(id, Status.FAILED);
        await().atMost(Duration.ofSeconds(10)).until(() -> t.iam.user("sampleUser").isEmpty());
        assertThat(t.request(id).leftovers()).isFalse();
        assertThat(t.iam.calls()).contains("DeleteUser");
        assertThat(TestBot.why(failed)).contains("AccessDenied");
    }
}
