package dev.awsonboard.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.awsonboard.fakes.FakeIam;
import dev.awsonboard.fakes.FakeSlack;
import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.lifecycle.model.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static dev.awsonboard.e2e.TestBot.ALICE;
import static dev.awsonboard.e2e.TestBot.APPROVAL_CHANNEL;
import static dev.awsonboard.e2e.TestBot.APPROVER;
import static dev.awsonboard.e2e.TestBot.REQUESTER;
import static dev.awsonboard.e2e.TestBot.dm;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole flow the way Slack and the people drive it: a signed slash command, a signed
 * Approve click, the QR scanned from the uploaded PNG, two codes through the modal.
 */
class OnboardingEndToEndTest {
    @TempDir
    Path dir;
    TestBot t;
    CapturedLogs logs;

    @BeforeEach
    void start() {
        logs = CapturedLogs.attach();
        t = TestBot.start(dir);
    }

    @AfterEach
    void stop() {
        t.close();
        logs.close();
    }

    @Test
    void aNewRequestAndItsDecisionAreOneInfoLineEach() {
        String id = t.requestSampleUser();
        t.approve(APPROVER, id);
        t.awaitStatus(id, Status.AWAITING_MFA);

        List<String> info = logs.lines().stream().filter(l -> l.startsWith("INFO ") && l.contains(id)).toList();
        assertThat(info).filteredOn(l -> l.contains("submitted by")).hasSize(1);
        assertThat(info).filteredOn(l -> l.contains(APPROVER)).singleElement().asString().containsIgnoringCase("approved by " + APPROVER);
    }

    @Test
    void slashCommandApprovalQrAndTwoCodesLeaveAnIamUserWithEnabledMfaAndNoSecretsBehind() {
        // 1. The requester asks in one line; the ack is ephemeral and says it was taken, before any remote call.
        HttpResponse<String> asked = t.command(REQUESTER, "sampleUser <@" + ALICE + "|alice> groups=developers needs the console");
        assertThat(asked.statusCode()).isEqualTo(200);
        assertThat(asked.body()).contains("Got it", "sampleUser");
        assertThat(t.json(asked).path("response_type").asText("ephemeral")).isEqualTo("ephemeral");
        // Then the checks (Slack person, IAM name) run and the requester hears through the response URL.
        assertThat(t.awaitFollowUp()).contains("waiting for approval");

        // 2. The approvers see who asked, for whom, the IAM user, groups, reason, and two buttons.
        FakeSlack.Message approval = t.approvalMessage();
        assertThat(approval.blocks().toString()).contains("<@" + REQUESTER + ">", "<@" + ALICE + ">", "sampleUser",
                "developers", "needs the console", "onboard_approve", "onboard_deny");
        String id = t.latestApprovalRequestId();
        assertThat(t.iam.callCount("CreateUser")).isZero();

        // 3. Approve: the bot acks at once and provisions in the background.
        assertThat(t.approve(APPROVER, id).statusCode()).isEqualTo(200);
        Request waiting = t.awaitStatus(id, Status.AWAITING_MFA);
        FakeIam.User user = t.iam.user("sampleUser").orElseThrow();
        assertThat(user.loginProfile()).isTrue();
        assertThat(user.passwordResetRequired()).isTrue();
        assertThat(user.groups()).containsExactly("developers");
        assertThat(user.tags()).containsEntry("aws-onboard:request-id", id).containsEntry("aws-onboard:slack-user", ALICE)
                .containsEntry("aws-onboard:requested-by", REQUESTER).containsEntry("aws-onboard:approved-by", APPROVER);
        assertThat(user.mfaDevices()).isEmpty();
        String initialPassword = t.iam.lastPasswordSetFor("sampleUser");

        // 4. alice's DM: the QR (upload v2), the sign-in URL, her user name, and the two buttons.
        FakeSlack.UploadedFile qr = t.qrFileFor(ALICE);
        String uri = TestBot.otpauthUri(qr.bytes());
        assertThat(uri).startsWith("otpauth://totp/Amazon%20Web%20Services:sampleUser@" + t.iam.accountId() + "?")
                .contains("issuer=Amazon%20Web%20Services");
        String seed = TestBot.scanSeed(qr.bytes());
        assertThat(seed).isEqualTo(t.iam.seedOf(waiting.mfaSerial()));
        String dmText = t.slack.messages(dm(ALICE)).toString();
        assertThat(dmText).contains("https://" + t.iam.accountId() + ".signin.aws.amazon.com/console", "sampleUser",
                "onboard_enter_codes", "onboard_show_password");
        assertThat(dmText).doesNotContain(initialPassword);

        // 5. "Enter codes" opens the modal for her request.
        int views = t.slack.callCount("views.open");
        t.click(ALICE, "onboard_enter_codes", id, dm(ALICE));
        JsonNode modal = t.awaitOpenedView(views);
        assertThat(modal.path("callback_id").asText()).isEqualTo("onboard_codes_modal");
        assertThat(modal.path("private_metadata").asText()).isEqualTo(id);

        // 6. Two consecutive codes computed from the scanned QR enable MFA.
        List<String> codes = t.codesFromQr(ALICE);
        HttpResponse<String> submitted = t.submitCodes(ALICE, id, codes.get(0), codes.get(1));
        assertThat(submitted.statusCode()).isEqualTo(200);
        assertThat(t.json(submitted).path("response_action").asText()).isEqualTo("update");
        Request done = t.request(id);
        assertThat(done.status()).isEqualTo(Status.DONE);
        assertThat(t.iam.user("sampleUser").orElseThrow().mfaDevices()).containsExactly(waiting.mfaSerial());
        assertThat(t.iam.callCount("EnableMFADevice")).isEqualTo(1);

        // 7. The QR is gone from Slack, alice is told, the approval message shows the outcome.
        assertThat(t.slack.isDeleted(qr.id())).isTrue();
        assertThat(done.qrFileId()).isNull();
        assertThat(t.slack.messages(dm(ALICE)).toString()).contains("MFA is enabled");
        assertThat(t.slack.message(APPROVAL_CHANNEL, approval.ts()).orElseThrow().blocks().toString())
                .contains("Done").contains("<@" + APPROVER + ">").doesNotContain("onboard_approve");

        // 8. The setup DM lost its buttons (the QR is gone too): an old copy's click is out of date and
        // changes nothing. She never took her password, so the completion message offers it once.
        assertThat(t.slack.message(dm(ALICE), done.setupMessage().ts()).orElseThrow().blocks().toString())
                .doesNotContain("onboard_enter_codes", "onboard_show_password").contains("closed");
        t.click(ALICE, "onboard_show_password", id, dm(ALICE));
        await().atMost(Duration.ofSeconds(10)).until(() -> t.slack.calls("chat.postEphemeral").toString().contains("out of date"));
        assertThat(t.iam.callCount("UpdateLoginProfile")).isZero();
        assertThat(t.slack.messages(dm(ALICE)).toString()).contains("onboard_first_password");
        t.click(ALICE, "onboard_first_password", id, dm(ALICE));
        // The view Slack accepted (views.update), not merely the call: a refused update shows nobody anything.
        await().atMost(Duration.ofSeconds(10)).until(() -> t.slack.lastView().map(v -> v.path("blocks").toString().contains("\"password\""))
                .orElse(false));
        String revealed = t.iam.lastPasswordSetFor("sampleUser");
        assertThat(revealed).isNotEqualTo(initialPassword);
        JsonNode shown = t.slack.lastView().orElseThrow();
        assertThat(shown.toString()).contains("onboard_password_modal");
        assertThat(passwordIn(shown)).isEqualTo(revealed);
        assertThat(t.iam.user("sampleUser").orElseThrow().passwordResetRequired()).isTrue();
        // Once taken, it is not offered again: no self-service password reset through old buttons.
        t.click(ALICE, "onboard_first_password", id, dm(ALICE));
        await().atMost(Duration.ofSeconds(10)).until(() -> t.slack.calls("chat.postEphemeral").size() >= 2);
        assertThat(t.iam.callCount("UpdateLoginProfile")).isEqualTo(1);

        // 9. First sign-in works the way the DM says: password, then a code from the new device, then
        // a new password, which the user may set because the bot attached IAMUserChangePassword.
        assertThat(t.iam.holdings("sampleUser").orElseThrow().attachedPolicies())
                .containsExactly("arn:aws:iam::aws:policy/IAMUserChangePassword");
        String code = dev.awsonboard.fakes.Totp.code(seed, TestBot.NOW);
        assertThat(t.iam.signIn("sampleUser", revealed, code)).isEqualTo(FakeIam.SignIn.OK);
        assertThat(t.iam.changePassword("sampleUser", revealed, "N3w-Passw0rd!x")).isEqualTo(FakeIam.PasswordChange.CHANGED);
        assertThat(t.slack.messages(dm(ALICE)).toString()).contains("choose a new password, then enter a code");

        // 10. The trail is complete and holds no secret; neither do logs or the database file.
        List<String> actions = t.bot.store().auditTrail(id).stream().map(e -> e.actor() + ":" + e.action()).toList();
        assertThat(actions).contains(REQUESTER + ":request", APPROVER + ":approve", "bot:iam:CreateUser",
                "bot:iam:AddUserToGroup", "bot:iam:AttachUserPolicy", "bot:iam:CreateLoginProfile", "bot:iam:CreateVirtualMFADevice",
                ALICE + ":iam:EnableMFADevice", ALICE + ":iam:UpdateLoginProfile");
        for (String secret : List.of(initialPassword, revealed, seed)) {
            assertThat(logs.all()).doesNotContain(secret);
            assertThat(t.databaseBytes()).doesNotContain(secret);
            assertThat(t.slack.messages(APPROVAL_CHANNEL).toString()).doesNotContain(secret);
            assertThat(t.slack.messages(dm(ALICE)).toString()).doesNotContain(secret);
        }
        assertThat(logs.all()).doesNotContain(t.slack.botToken(), TestBot.SIGNING_SECRET);
    }

    private static String passwordIn(JsonNode view) {
        for (JsonNode block : view.path("blocks")) {
            if ("password".equals(block.path("block_id").asText())) {
                return block.path("text").path("text").asText();
            }
        }
        throw new AssertionError("no password block in " + view.path("callback_id"));
    }
}
