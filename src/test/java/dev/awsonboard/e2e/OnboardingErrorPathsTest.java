package dev.awsonboard.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.awsonboard.fakes.FakeSlack;
import dev.awsonboard.fakes.SlackRequests;
import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.lifecycle.model.Status;
import dev.awsonboard.lifecycle.model.Step;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.awsonboard.e2e.TestBot.ALICE;
import static dev.awsonboard.e2e.TestBot.APPROVAL_CHANNEL;
import static dev.awsonboard.e2e.TestBot.APPROVER;
import static dev.awsonboard.e2e.TestBot.APPROVER_2;
import static dev.awsonboard.e2e.TestBot.MALLORY;
import static dev.awsonboard.e2e.TestBot.REQUESTER;
import static dev.awsonboard.e2e.TestBot.dm;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Every way the flow can be refused or go wrong, each through signed Slack requests. */
class OnboardingErrorPathsTest {
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

    /**
     * What the bot told only this person: ephemerals Slack delivered, then the bot's DMs to them (where an
     * ephemeral cannot reach someone, e.g. outside the channel, the bot falls back to a DM). Refused
     * chat.postEphemeral calls do not count: nobody saw them.
     */
    private String toldPrivately(String user) {
        return t.slack.ephemeralsTo(user).stream().map(FakeSlack.Ephemeral::text).toList()
                + " " + t.slack.messages(dm(user)).stream().map(FakeSlack.Message::text).toList();
    }

    /** Refusals reach the person who clicked after the ack, privately (an ephemeral, or a DM where Slack refuses that). */
    private void awaitEphemeral(String user, String text) {
        await().atMost(Duration.ofSeconds(10)).until(() -> toldPrivately(user).contains(text));
    }

    private void awaitRequesterTold(String text) {
        await().atMost(Duration.ofSeconds(10)).until(() -> t.slack.messages(dm(REQUESTER)).toString().contains(text));
    }

    @Test
    void helpExplainsUsageWithoutAskingAnyone() {
        HttpResponse<String> r = t.command(REQUESTER, "help");
        assertThat(t.json(r).path("text").asText()).contains("/aws-onboard <iam-user-name> @person");
        assertThat(t.slack.messages(APPROVAL_CHANNEL)).isEmpty();
    }

    @Test
    void existingIamUserIsRefusedBeforeApproversAreAsked() {
        t.preexistingIamUser("sampleUser", Map.of());
        HttpResponse<String> r = t.command(REQUESTER, "SAMPLEUSER <@" + ALICE + "|alice>");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("Got it");
        assertThat(t.awaitFollowUp()).contains("IAM user `sampleUser` already exists");
        assertThat(t.slack.messages(APPROVAL_CHANNEL)).isEmpty();
        assertThat(t.bot.store().find("req-1").orElseThrow().status()).isEqualTo(Status.REJECTED);
        assertThat(t.iam.callCount("CreateUser")).isEqualTo(1); // only the pre-existing one
    }

    @Test
    void invalidIamUserNameGetsAClearMessageAndNoIamCall() {
        HttpResponse<String> r = t.command(REQUESTER, "bad#name <@" + ALICE + "|alice>");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("may only use letters, digits");
        assertThat(t.iam.calls()).isEmpty();
        assertThat(t.slack.messages(APPROVAL_CHANNEL)).isEmpty();
    }

    @Test
    void tooLongIamUserNameIsRefused() {
        HttpResponse<String> r = t.command(REQUESTER, "a".repeat(65) + " <@" + ALICE + "|alice>");
        assertThat(r.body()).contains("at most 64 characters");
        assertThat(t.iam.calls()).isEmpty();
    }

    @Test
    void groupThatIsNotOfferedIsRefused() {
        HttpResponse<String> r = t.command(REQUESTER, "sampleUser <@" + ALICE + "|alice> groups=Admins");
        assertThat(r.body()).contains("Not an offered group: Admins");
        assertThat(t.iam.calls()).isEmpty();
    }

    @Test
    void secondOpenRequestForTheSameIamUserIsRefused() {
        t.requestSampleUser();
        HttpResponse<String> r = t.command(REQUESTER, "sampleuser <@" + ALICE + "|alice>");
        assertThat(r.body()).contains("already an open request");
        assertThat(t.slack.messages(APPROVAL_CHANNEL)).hasSize(1);
    }

    @Test
    void nonApproverClickingApproveIsRefusedAndNothingChanges() {
        String id = t.requestSampleUser();
        assertThat(t.approve(MALLORY, id).statusCode()).isEqualTo(200);
        awaitEphemeral(MALLORY, "Only approvers");
        assertThat(t.request(id).status()).isEqualTo(Status.REQUESTED);
        assertThat(t.iam.callCount("CreateUser")).isZero();
    }

    @Test
    void requesterCannotApproveTheirOwnRequestButAnotherApproverCan() {
        String id = t.submit(APPROVER, "sampleUser <@" + ALICE + "|alice>");
        t.approve(APPROVER, id);
        awaitEphemeral(APPROVER, "another approver has to approve it");
        assertThat(t.request(id).status()).isEqualTo(Status.REQUESTED);

        t.approve(APPROVER_2, id);
        assertThat(t.awaitStatus(id, Status.AWAITING_MFA).approverUserId()).isEqualTo(APPROVER_2);
    }

    @Test
    void approvingTwiceCreatesOneUser() {
        String id = t.requestSampleUser();
        t.approve(APPROVER, id);
        t.approve(APPROVER_2, id);
        t.awaitStatus(id, Status.AWAITING_MFA);
        awaitEphemeral(APPROVER_2, "already");
        assertThat(t.iam.callCount("CreateUser")).isEqualTo(1);
        assertThat(t.iam.callCount("CreateVirtualMFADevice")).isEqualTo(1);
    }

    @Test
    void denyTellsTheRequesterAndCreatesNothing() {
        String id = t.requestSampleUser();
        t.click(APPROVER, "onboard_deny", id, APPROVAL_CHANNEL);
        assertThat(t.request(id).status()).isEqualTo(Status.DENIED);
        awaitRequesterTold("was denied by <@" + APPROVER + ">");
        assertThat(t.approvalMessage().blocks().toString()).contains("Denied by").doesNotContain("onboard_approve");
        assertThat(t.iam.callCount("CreateUser")).isZero();

        t.approve(APPROVER_2, id);
        awaitEphemeral(APPROVER_2, "already denied");
        assertThat(t.iam.callCount("CreateUser")).isZero();
    }

    @Test
    void wrongCodesGiveAnInlineErrorAndFreshCodesThenWork() {
        String id = t.requestSampleUser();
        t.approve(APPROVER, id);
        t.awaitStatus(id, Status.AWAITING_MFA);

        HttpResponse<String> wrong = t.submitCodes(ALICE, id, "000000", "111111");
        JsonNode errors = t.json(wrong);
        assertThat(errors.path("response_action").asText()).isEqualTo("errors");
        assertThat(errors.path("errors").path("code_1").asText()).contains("did not accept those codes");
        assertThat(t.request(id).status()).isEqualTo(Status.AWAITING_MFA);

        HttpResponse<String> malformed = t.submitCodes(ALICE, id, "12ab56", "1234567");
        assertThat(t.json(malformed).path("errors").path("code_1").asText()).contains("6-digit");
        assertThat(t.json(malformed).path("errors").path("code_2").asText()).contains("6-digit");

        List<String> codes = t.codesFromQr(ALICE);
        assertThat(t.json(t.submitCodes(ALICE, id, codes.get(0), codes.get(1))).path("response_action").asText()).isEqualTo("update");
        assertThat(t.request(id).status()).isEqualTo(Status.DONE);
        assertThat(t.iam.callCount("EnableMFADevice")).isEqualTo(2);
    }

    @Test
    void onlyThePersonOnboardedCanSubmitCodesOrSeeThePassword() {
        String id = t.requestSampleUser();
        t.approve(APPROVER, id);
        t.awaitStatus(id, Status.AWAITING_MFA);
        List<String> codes = t.codesFromQr(ALICE);

        JsonNode refused = t.json(t.submitCodes(MALLORY, id, codes.get(0), codes.get(1)));
        assertThat(refused.path("errors").path("code_1").asText()).contains("Only <@" + ALICE + ">");
        assertThat(t.iam.callCount("EnableMFADevice")).isZero();

        t.click(MALLORY, "onboard_enter_codes", id, dm(ALICE));
        awaitEphemeral(MALLORY, "Only <@" + ALICE + "> can finish this setup");
        t.click(MALLORY, "onboard_show_password", id, dm(ALICE));
        awaitEphemeral(MALLORY, "Only <@" + ALICE + "> can see this password");
        assertThat(t.iam.callCount("UpdateLoginProfile")).isZero();

        t.send.messageEvent(MALLORY, dm(MALLORY), codes.get(0) + " " + codes.get(1));
        await().atMost(Duration.ofSeconds(10)).until(() -> t.slack.messages(dm(MALLORY)).toString().contains("no AWS MFA setup"));
        assertThat(t.request(id).status()).isEqualTo(Status.AWAITING_MFA);

        assertThat(t.json(t.submitCodes(ALICE, id, codes.get(0), codes.get(1))).path("response_action").asText()).isEqualTo("update");
    }

    @Test
    void codesRepliedInTheDmEnableMfa() {
        String id = t.requestSampleUser();
        t.approve(APPROVER, id);
        t.awaitStatus(id, Status.AWAITING_MFA);
        List<String> codes = t.codesFromQr(ALICE);
        assertThat(t.send.messageEvent(ALICE, dm(ALICE), "here: " + codes.get(0) + " " + codes.get(1)).statusCode()).isEqualTo(200);
        t.awaitStatus(id, Status.DONE);
        String qr = t.qrFileFor(ALICE).id();
        await().atMost(Duration.ofSeconds(10)).until(() -> t.slack.isDeleted(qr)); // right after MFA is on
    }

    @Test
    void forgedSignatureIsRejectedAndChangesNothing() {
        String body = t.send.slashCommandBody(REQUESTER, SlackRequests.DEFAULT_CHANNEL_ID, "/aws-onboard",
                "sampleUser <@" + ALICE + "|alice>", "trigger-x", t.slack.responseUrl("x"));
        HttpResponse<String> r = t.send.raw(body, "application/x-www-form-urlencoded", Map.of(), t.send.now(), false);
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(t.bot.store().findOpenByIamUserName("sampleUser")).isEmpty();
        assertThat(t.slack.messages(APPROVAL_CHANNEL)).isEmpty();
    }

    @Test
    void staleTimestampIsRejected() {
        String body = t.send.slashCommandBody(REQUESTER, SlackRequests.DEFAULT_CHANNEL_ID, "/aws-onboard",
                "sampleUser <@" + ALICE + "|alice>", "trigger-x", t.slack.responseUrl("x"));
        HttpResponse<String> r = t.send.raw(body, "application/x-www-form-urlencoded", Map.of(), t.send.now() - 6 * 60, true);
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(t.slack.messages(APPROVAL_CHANNEL)).isEmpty();
    }

    @Test
    void futureTimestampIsRejectedEvenWhenSignedCorrectly() {
        String body = t.send.slashCommandBody(REQUESTER, SlackRequests.DEFAULT_CHANNEL_ID, "/aws-onboard",
                "sampleUser <@" + ALICE + "|alice>", "trigger-x", t.slack.responseUrl("x"));
        HttpResponse<String> r = t.send.raw(body, "application/x-www-form-urlencoded", Map.of(), t.send.now() + 6 * 60, true);
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(t.slack.messages(APPROVAL_CHANNEL)).isEmpty();
    }

    @Test
    void malformedPayloadGetsA4xxNotAServerError() {
        HttpResponse<String> r = t.send.raw("payload=%7Bnot-json", "application/x-www-form-urlencoded", Map.of(), t.send.now(), true);
        assertThat(r.statusCode()).isBetween(400, 499);
    }

    @Test
    void bareCommandOpensTheFormWhichValidatesThenAsksApprovers() {
        int views = t.slack.callCount("views.open");
        HttpResponse<String> r = t.command(REQUESTER, "sampleUser");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode form = t.awaitOpenedView(views);
        assertThat(form.path("callback_id").asText()).isEqualTo("onboard_request_modal");
        assertThat(form.toString()).contains("sampleUser", "developers", "users_select");

        JsonNode invalid = t.json(t.send.viewSubmission(REQUESTER, "onboard_request_modal", SlackRequests.DEFAULT_CHANNEL_ID, Map.of(
                "iam_user", Map.of("iam_user_input", SlackRequests.plainTextInput("no spaces allowed")),
                "target_user", Map.of("target_user_select", SlackRequests.usersSelect(null))), "VFORM1"));
        assertThat(invalid.path("response_action").asText()).isEqualTo("errors");
        assertThat(invalid.path("errors").path("iam_user").asText()).contains("no spaces");
        assertThat(invalid.path("errors").path("target_user").asText()).contains("Pick the Slack user");
        assertThat(t.iam.calls()).isEmpty();

        HttpResponse<String> ok = t.send.viewSubmission(REQUESTER, "onboard_request_modal", SlackRequests.DEFAULT_CHANNEL_ID, Map.of(
                "iam_user", Map.of("iam_user_input", SlackRequests.plainTextInput("sampleUser")),
                "target_user", Map.of("target_user_select", SlackRequests.usersSelect(ALICE)),
                "groups", Map.of("groups_select", SlackRequests.multiStaticSelect("readonly")),
                "reason", Map.of("reason_input", SlackRequests.plainTextInput("<!channel> new hire"))), "VFORM2");
        assertThat(ok.statusCode()).isEqualTo(200);
        awaitEphemeral(REQUESTER, "waiting for approval");
        String approval = t.approvalMessage().blocks().toString();
        assertThat(approval).contains("readonly", "&lt;!channel&gt; new hire").doesNotContain("<!channel>");
    }

    @Test
    void groupThatStaysMissingInIamFailsTheRequestAfterBoundedRetriesAndLeavesNoHalfMadeUser() {
        // Right after CreateUser a NoSuchEntity may be lag, so it is retried; one that never ends is a missing group.
        t.iam.failNext("AddUserToGroup", 1000, "NoSuchEntity", 404);
        String id = t.requestSampleUser();
        t.approve(APPROVER, id);
        Request failed = t.awaitStatus(id, Status.FAILED);
        assertThat(TestBot.why(failed)).contains("AddUserToGroup", "NoSuchEntity");
        int tries = t.iam.callCount("AddUserToGroup");
        assertThat(tries).isBetween(3, 20);
        assertThat(t.pauses.get()).isLessThanOrEqualTo(30_000 + 5_000);
        awaitRequesterTold("failed");
        assertThat(t.iam.user("sampleUser")).isEmpty();
        assertThat(t.approvalMessage().blocks().toString()).contains("Failed");
    }

    @Test
    void personWhoCannotBeMessagedFailsTheRequestAndEverythingIsCleanedUp() {
        t.slack.failNext("files.completeUploadExternal", 1, "channel_not_found");
        String id = t.requestSampleUser();
        t.approve(APPROVER, id);
        Request failed = t.awaitStatus(id, Status.FAILED);
        assertThat(TestBot.why(failed)).contains("channel_not_found");
        awaitRequesterTold("failed");
        assertThat(t.iam.user("sampleUser")).isEmpty();
        assertThat(t.iam.virtualMfaDevices()).isEmpty();
    }

    @Test
    void restartLosesNoRequestAndResumesProvisioningFromTheLastFinishedStep() {
        String waiting = t.requestSampleUser();
        // A second request whose provisioning "crashed" after its user and groups were done.
        String crashed = t.submit(REQUESTER, "bob <@UBOB000001|bob>");
        Request r = t.request(crashed);
        t.preexistingIamUser("bob", Map.of("aws-onboard:request-id", crashed));
        String arn = t.iam.user("bob").orElseThrow().arn();
        t.bot.store().replace(r, r.withApprover(APPROVER, r.updatedAt()).withStatus(Status.PROVISIONING, r.updatedAt())
                .withUser(arn, "https://123456789012.signin.aws.amazon.com/console", r.updatedAt())
                .withStep(Step.GROUPS_ADDED, r.updatedAt())).orElseThrow();

        t.restart();

        Request resumed = t.awaitStatus(crashed, Status.AWAITING_MFA);
        assertThat(t.iam.callCount("CreateUser")).isEqualTo(1); // only the one made before the "crash"
        assertThat(t.iam.user("bob").orElseThrow().loginProfile()).isTrue();
        assertThat(resumed.mfaSerial()).endsWith(":mfa/bob");
        assertThat(t.qrFileFor("UBOB000001")).isNotNull();

        assertThat(t.request(waiting).status()).isEqualTo(Status.REQUESTED);
        t.approve(APPROVER, waiting);
        t.awaitStatus(waiting, Status.AWAITING_MFA);
    }

    @Test
    void aSecondShowPasswordDuringTheSetupWaitsAMinuteAndIsAudited() {
        String id = t.requestSampleUser();
        t.approve(APPROVER, id);
        t.awaitStatus(id, Status.AWAITING_MFA);
        t.click(ALICE, "onboard_show_password", id, dm(ALICE));
        // The reveal counts once it is in the audit trail, a moment after IAM took the password.
        await().atMost(Duration.ofSeconds(10)).until(() -> t.bot.store().auditTrail(id).stream()
                .anyMatch(e -> e.action().equals("iam:UpdateLoginProfile") && e.actor().equals(ALICE) && e.outcome().equals("ok")));
        t.click(ALICE, "onboard_show_password", id, dm(ALICE));
        awaitEphemeral(ALICE, "Wait ");
        assertThat(t.iam.callCount("UpdateLoginProfile")).isEqualTo(1);
        assertThat(t.bot.store().auditTrail(id)).anyMatch(e -> e.action().equals("reveal-password") && e.outcome().equals("rate-limited"));

        t.clock.advance(Duration.ofSeconds(61));
        t.click(ALICE, "onboard_show_password", id, dm(ALICE));
        await().atMost(Duration.ofSeconds(10)).until(() -> t.iam.callCount("UpdateLoginProfile") == 2);
    }
}
