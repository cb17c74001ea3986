package dev.awsonboard.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.awsonboard.fakes.FakeIam;
import dev.awsonboard.fakes.Totp;
import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.lifecycle.model.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;

import static dev.awsonboard.e2e.TestBot.ALICE;
import static dev.awsonboard.e2e.TestBot.APPROVER;
import static dev.awsonboard.e2e.TestBot.APPROVER_2;
import static dev.awsonboard.e2e.TestBot.dm;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The rest of an IAM user's life after onboarding, driven the way Slack and the people drive it:
 * signed slash commands and clicks, the QR scanned from the uploaded PNG, codes from it.
 */
class LifecycleEndToEndTest {
    private static final String ALICE_MENTION = "<@" + ALICE + "|alice>";

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

    // ---- reset-mfa ----

    @Test
    void resetMfaAskedByThePersonReplacesHerVirtualDeviceKeepsHerHardwareTokenAndEndsWithCodesFromTheNewQr() {
        String onboarding = t.onboardAlice();
        Request onboarded = t.request(onboarding);
        String oldSerial = onboarded.mfaSerial();
        String oldSeed = t.iam.seedOf(oldSerial);
        String hardware = t.iam.giveHardwareMfaDevice("sampleUser");
        String password = t.iam.lastPasswordSetFor("sampleUser");
        FakeIam.User before = t.iam.user("sampleUser").orElseThrow();
        String oldQr = t.qrFileFor(ALICE).id();

        // alice asks for herself (the default rule: anyone for themselves); the checks only read IAM.
        int mark = t.iamMark();
        String id = t.submit(ALICE, "reset-mfa " + ALICE_MENTION + " lost phone");
        assertThat(t.iamWritesSince(mark)).isEmpty();
        Request asked = t.request(id);
        assertThat(asked.iamUserName()).isEqualTo("sampleUser");
        assertThat(asked.requesterUserId()).isEqualTo(ALICE);

        // The approvers read which virtual devices go and which other devices stay, by serial.
        String approval = t.approvalMessageOf(id).blocks().toString();
        assertThat(approval).contains("MFA reset request", "lost phone", "<@" + ALICE + ">",
                "Removes the virtual MFA devices of `sampleUser` (virtual MFA device `" + oldSerial + "`)",
                "These stay", "MFA device `" + hardware + "` (hardware or security key)");

        t.approve(APPROVER, id);
        Request waiting = t.awaitStatus(id, Status.AWAITING_MFA);
        // The old device was deactivated and deleted; a new one, named like the user, has a new seed.
        assertThat(t.iam.callCount("DeactivateMFADevice")).isEqualTo(1);
        assertThat(t.iam.callCount("DeleteVirtualMFADevice")).isEqualTo(1);
        assertThat(t.iam.callCount("CreateVirtualMFADevice")).isEqualTo(2);
        assertThat(waiting.mfaSerial()).isEqualTo("arn:aws:iam::" + t.iam.accountId() + ":mfa/sampleUser");
        assertThat(t.iam.seedOf(waiting.mfaSerial())).isNotEqualTo(oldSeed);
        assertThat(t.iam.user("sampleUser").orElseThrow().mfaDevices()).containsExactly(hardware);
        assertThat(waiting.removed()).extracting(h -> h.type() + ":" + h.id()).containsExactly("VIRTUAL_MFA_DEVICE:" + oldSerial);

        // Her DM has a new QR: it decodes to the new device's seed.
        var qr = t.qrFileFor(ALICE);
        assertThat(qr.id()).isNotEqualTo(oldQr);
        String seed = TestBot.scanSeed(qr.bytes());
        assertThat(seed).isEqualTo(t.iam.seedOf(waiting.mfaSerial()));
        assertThat(t.slack.messages(dm(ALICE)).toString()).contains("Set up your new MFA device", "onboard_enter_codes")
                .doesNotContain(seed);

        // The onboarding's old buttons are out of date and change nothing.
        int iamBefore = t.iamMark();
        t.click(ALICE, "onboard_enter_codes", onboarding, dm(ALICE));
        t.awaitToldPrivately(ALICE, "out of date");
        assertThat(t.iamWritesSince(iamBefore)).isEmpty();

        // The codes form of the new setup enables the new device.
        int views = t.slack.callCount("views.open");
        t.click(ALICE, "onboard_enter_codes", id, dm(ALICE));
        assertThat(t.awaitOpenedView(views).path("private_metadata").asText()).isEqualTo(id);
        List<String> codes = Totp.twoConsecutiveCodes(seed, TestBot.NOW);
        HttpResponse<String> submitted = t.submitCodes(ALICE, id, codes.get(0), codes.get(1));
        assertThat(t.json(submitted).path("response_action").asText()).isEqualTo("update");

        Request done = t.request(id);
        assertThat(done.status()).isEqualTo(Status.DONE);
        FakeIam.User after = t.iam.user("sampleUser").orElseThrow();
        assertThat(after.mfaDevices()).containsExactlyInAnyOrder(hardware, waiting.mfaSerial());
        assertThat(t.slack.isDeleted(qr.id())).isTrue();
        assertThat(done.qrFileId()).isNull();
        // The user, its password and its groups are untouched.
        assertThat(after.userId()).isEqualTo(before.userId());
        assertThat(after.groups()).isEqualTo(before.groups());
        assertThat(after.loginProfile()).isTrue();
        assertThat(t.iam.lastPasswordSetFor("sampleUser")).isEqualTo(password);
        assertThat(t.iam.callCount("UpdateLoginProfile") + t.iam.callCount("DeleteLoginProfile")).isZero();
        assertThat(t.iam.callCount("RemoveUserFromGroup")).isZero();
        // She signs in with her password and a code from the new device.
        assertThat(t.iam.signIn("sampleUser", password, Totp.code(seed, TestBot.NOW))).isEqualTo(FakeIam.SignIn.OK);
        assertThat(t.slack.messages(dm(ALICE)).toString()).contains("Your new MFA device is enabled");
        assertThat(t.approvalMessageOf(id).blocks().toString()).contains("has a new MFA device").doesNotContain("onboard_approve");

        // Now the reset's own buttons are out of date as well.
        int outOfDate = occurrences(t.toldPrivately(ALICE), "out of date");
        t.click(ALICE, "onboard_enter_codes", id, dm(ALICE));
        await().atMost(Duration.ofSeconds(10)).until(() -> occurrences(t.toldPrivately(ALICE), "out of date") > outOfDate);
        assertThat(logs.all()).doesNotContain(seed);
        assertThat(t.databaseBytes()).doesNotContain(seed);
    }

    @Test
    void resetMfaAskedByAnApproverIsFinishedByCodesRepliedInTheDm() {
        String onboarding = t.onboardAlice();
        String oldQr = t.qrFileFor(ALICE).id();

        String id = t.submit(APPROVER, "reset-mfa sampleUser new phone");
        Request asked = t.request(id);
        assertThat(asked.targetUserId()).as("the person is read from the user's tag").isEqualTo(ALICE);
        // The approver who asked may not approve it too.
        t.approve(APPROVER, id);
        t.awaitToldPrivately(APPROVER, "another approver has to approve it");
        assertThat(t.request(id).status()).isEqualTo(Status.REQUESTED);
        t.approve(APPROVER_2, id);
        Request waiting = t.awaitStatus(id, Status.AWAITING_MFA);

        var qr = t.qrFileFor(ALICE);
        assertThat(qr.id()).isNotEqualTo(oldQr);
        List<String> codes = Totp.twoConsecutiveCodes(TestBot.scanSeed(qr.bytes()), TestBot.NOW);
        assertThat(t.replyInDm(ALICE, "here you go " + codes.get(0) + " " + codes.get(1)).statusCode()).isEqualTo(200);
        t.awaitStatus(id, Status.DONE);
        assertThat(t.iam.user("sampleUser").orElseThrow().mfaDevices()).containsExactly(waiting.mfaSerial());
        await().atMost(Duration.ofSeconds(10)).until(() -> t.slack.isDeleted(qr.id()));
        assertThat(t.request(onboarding).status()).isEqualTo(Status.DONE);
        // The requester (the approver) hears it is done.
        t.awaitToldPrivately(APPROVER, "has a new MFA device");
    }

    // ---- reset-password ----

    @Test
    void resetPasswordShowsAFreshOneTimePasswordOnlyInThePersonsModalAndIsDoneAfterTheFirstReveal() {
        String onboarding = t.onboardAlice();
        String seed = t.iam.seedOf(t.request(onboarding).mfaSerial());
        String initial = t.iam.lastPasswordSetFor("sampleUser");

        String id = t.submit(ALICE, "reset-password " + ALICE_MENTION + " forgot it");
        assertThat(t.approvalMessageOf(id).blocks().toString()).contains("Password reset request", "forgot it",
                "sets a new one-time password for `sampleUser` and shows it only to them");
        t.approve(APPROVER, id);
        t.awaitStatus(id, Status.AWAITING_PASSWORD);
        // Nothing is set in IAM before she clicks; her DM has the button.
        assertThat(t.iam.callCount("UpdateLoginProfile") + t.iam.callCount("CreateLoginProfile")).isEqualTo(1);
        assertThat(t.slack.messages(dm(ALICE)).toString()).contains("reset the console password of IAM user", "onboard_show_password");
        t.awaitToldPrivately(ALICE, "a button in a DM to take their new password");

        int views = t.slack.callCount("views.open");
        t.click(ALICE, "onboard_show_password", id, dm(ALICE));
        t.awaitOpenedView(views);
        await().atMost(Duration.ofSeconds(10)).until(() -> t.request(id).status() == Status.DONE);
        String revealed = t.iam.lastPasswordSetFor("sampleUser");
        assertThat(revealed).isNotEqualTo(initial);
        JsonNode shown = t.slack.lastView().orElseThrow();
        assertThat(shown.path("callback_id").asText()).isEqualTo("onboard_password_modal");
        assertThat(passwordIn(shown)).isEqualTo(revealed);
        assertThat(t.iam.callCount("UpdateLoginProfile")).isEqualTo(1);
        assertThat(t.iam.user("sampleUser").orElseThrow().passwordResetRequired()).isTrue();

        // The password is in her modal only: no message, DM, ephemeral, log line or database row has it.
        assertThat(t.everythingPostedInSlack()).doesNotContain(revealed);
        assertThat(logs.all()).doesNotContain(revealed);
        assertThat(t.databaseBytes()).doesNotContain(revealed);
        // The audit entry of the reveal follows the status change: under load it may be a moment behind it.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(t.bot.store().auditTrail(id)).extracting(e -> e.actor() + ":" + e.action() + ":" + e.outcome())
                        .contains(ALICE + ":iam:UpdateLoginProfile:ok", ALICE + ":password-shown:ok"));

        // Done after the first reveal: the button is out of date and sets nothing.
        t.click(ALICE, "onboard_show_password", id, dm(ALICE));
        t.awaitToldPrivately(ALICE, "out of date");
        assertThat(t.iam.callCount("UpdateLoginProfile")).isEqualTo(1);
        t.awaitToldPrivately(ALICE, "has taken their new one-time password");
        assertThat(t.approvalMessageOf(id).blocks().toString()).contains("has a new one-time password");

        // First sign-in: the password, a code from her device, then a new password of her own.
        assertThat(t.iam.signIn("sampleUser", revealed, Totp.code(seed, TestBot.NOW))).isEqualTo(FakeIam.SignIn.OK);
        assertThat(t.iam.changePassword("sampleUser", revealed, "An0ther-Passw0rd!")).isEqualTo(FakeIam.PasswordChange.CHANGED);
    }

    @Test
    void resetPasswordOfAUserWithoutConsolePasswordCreatesOneAndTheAccountPolicyLetsHimChangeIt() {
        // The account lets users change their own password, so nothing needs attaching.
        t.iam.setPasswordPolicy(new dev.awsonboard.lifecycle.model.PasswordPolicy(10, true, true, true, true, true));
        t.preexistingIamUser("legacy.bob", java.util.Map.of("aws-onboard:slack-user", TestBot.BOB));
        assertThat(t.iam.user("legacy.bob").orElseThrow().loginProfile()).isFalse();

        String id = t.submit(APPROVER, "reset-password legacy.bob needs the console");
        assertThat(t.request(id).targetUserId()).isEqualTo(TestBot.BOB);
        t.approve(APPROVER_2, id);
        t.awaitStatus(id, Status.AWAITING_PASSWORD);
        assertThat(t.iam.callCount("AttachUserPolicy")).isZero();

        int views = t.slack.callCount("views.open");
        t.click(TestBot.BOB, "onboard_show_password", id, dm(TestBot.BOB));
        t.awaitOpenedView(views);
        t.awaitStatus(id, Status.DONE);
        assertThat(t.iam.callCount("CreateLoginProfile")).isEqualTo(1);
        String revealed = t.iam.lastPasswordSetFor("legacy.bob");
        assertThat(passwordIn(t.slack.lastView().orElseThrow())).isEqualTo(revealed);
        FakeIam.User bob = t.iam.user("legacy.bob").orElseThrow();
        assertThat(bob.loginProfile()).isTrue();
        assertThat(bob.passwordResetRequired()).isTrue();
        assertThat(t.everythingPostedInSlack()).doesNotContain(revealed);
        assertThat(logs.all()).doesNotContain(revealed);
        assertThat(t.databaseBytes()).doesNotContain(revealed);

        assertThat(t.iam.signIn("legacy.bob", revealed, null)).isEqualTo(FakeIam.SignIn.OK);
        assertThat(t.iam.changePassword("legacy.bob", revealed, "Bobs-0wn-Passw0rd")).isEqualTo(FakeIam.PasswordChange.CHANGED);
    }

    @Test
    void resetPasswordAttachesIamUserChangePasswordWhenTheAccountDoesNotLetUsersChangeTheirOwn() {
        t.preexistingIamUser("legacy.bob", java.util.Map.of("aws-onboard:slack-user", TestBot.BOB));
        // Bob names his IAM user himself (the bot knows no request of his; the user's tag says it is his).
        String id = t.submit(TestBot.BOB, "reset-password legacy.bob");
        t.approve(APPROVER, id);
        t.awaitStatus(id, Status.AWAITING_PASSWORD);
        assertThat(t.iam.holdings("legacy.bob").orElseThrow().attachedPolicies()).containsExactly(FakeIam.CHANGE_PASSWORD_POLICY_ARN);
        // Somebody else's click shows nothing and sets nothing.
        t.click(TestBot.MALLORY, "onboard_show_password", id, dm(TestBot.BOB));
        t.awaitToldPrivately(TestBot.MALLORY, "Only <@" + TestBot.BOB + "> can see this password");
        assertThat(t.iam.callCount("CreateLoginProfile")).isZero();

        int views = t.slack.callCount("views.open");
        t.click(TestBot.BOB, "onboard_show_password", id, dm(TestBot.BOB));
        t.awaitOpenedView(views);
        t.awaitStatus(id, Status.DONE);
        String revealed = t.iam.lastPasswordSetFor("legacy.bob");
        assertThat(t.iam.signIn("legacy.bob", revealed, null)).isEqualTo(FakeIam.SignIn.OK);
        assertThat(t.iam.changePassword("legacy.bob", revealed, "Bobs-0wn-Passw0rd")).isEqualTo(FakeIam.PasswordChange.CHANGED);
    }

    // ---- offboard ----

    // ---- status ----

    @Test
    void statusShowsThePersonTheirOwnIamUserAndAnApproverAnyonesWithLastSignInAndOpenRequests() {
        String onboarding = t.onboardAlice();
        String seed = t.iam.seedOf(t.request(onboarding).mfaSerial());

        HttpResponse<String> own = t.command(ALICE, "status");
        assertThat(own.body()).contains("Looking it up");
        assertThat(t.awaitFollowUp()).contains("AWS status of <@" + ALICE + ">", "`sampleUser`", "groups developers",
                "MFA on (virtual)", "console password set", "never signed in with the password");

        // She signs in once; then she asks for a password reset, still open when the approver looks.
        String password = t.iam.lastPasswordSetFor("sampleUser");
        assertThat(t.iam.signIn("sampleUser", password, Totp.code(seed, TestBot.NOW))).isEqualTo(FakeIam.SignIn.OK);
        String reset = t.submit(ALICE, "reset-password " + ALICE_MENTION);

        t.command(APPROVER, "status " + ALICE_MENTION);
        assertThat(t.awaitFollowUp()).contains("AWS status of <@" + ALICE + ">", "`sampleUser`", "groups developers",
                "MFA on (virtual)", "console password set", "last sign-in 2026-11-24 10:00 UTC",
                "Open: password reset `" + reset + "`, waiting for approval");
        t.command(APPROVER, "status sampleUser");
        assertThat(t.awaitFollowUp()).contains("AWS status of IAM user `sampleUser`", "MFA on (virtual)",
                "Open: password reset `" + reset + "`");
    }

    @Test
    void statusOfSomeoneElseIsRefusedToANonApproverWithoutAskingIam() {
        t.onboardAlice();
        for (String text : List.of("status " + ALICE_MENTION, "status sampleUser", "status SAMPLEUSER")) {
            int mark = t.iamMark();
            t.command(TestBot.MALLORY, text);
            assertThat(t.awaitFollowUp()).as(text).contains("You can look up only your own status");
            assertThat(t.iam.calls().subList(mark, t.iam.calls().size())).as(text).isEmpty();
        }
        // Mallory's own status: she has no IAM user here.
        t.command(TestBot.MALLORY, "status");
        assertThat(t.awaitFollowUp()).contains("I know no IAM user of <@" + TestBot.MALLORY + "> and no open request");
    }

    @Test
    void statusOfAnAtNameSlackMadeNoMentionOfIsRefusedSayingHowToNameSomeoneInEitherLanguage() {
        t.onboardAlice();

        HttpResponse<String> r = t.command(ALICE, "status @nosuchperson");

        // Not her own status: no lookup starts ("Looking it up"), and she learns how to name a person or an IAM user.
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(ackText(r)).contains("`@nosuchperson`", "pick from the list", "`/aws-onboard status @person`",
                "`/aws-onboard status <iam-user-name>`").doesNotContain("Looking it up", "AWS status of");

        t.close();
        Path other = dir.resolve("japanese");
        t = TestBot.start(mkdirs(other), java.util.Map.of("ONBOARD_CONFIG",
                config(other, "groups: [developers, readonly]\ndefaultLanguage: ja\n")));
        assertThat(ackText(t.command(ALICE, "status @nosuchperson"))).contains("`@nosuchperson`", "一覧から選んだメンバー",
                "`/aws-onboard status <IAMユーザー名>`").doesNotContain("確認しています");
    }

    /** The text of a slash command's acknowledgement, as Slack shows it. */
    private static String ackText(HttpResponse<String> r) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body()).path("text").asText();
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + r.body(), e);
        }
    }

    // ---- cancel ----

    @Test
    void theRequesterCancelsWithTheCommandBeforeAnyDecisionAndNothingHappensInIam() {
        t.onboardAlice();
        int mark = t.iamMark();
        String id = t.submit(ALICE, "reset-mfa " + ALICE_MENTION + " lost phone");

        // Someone else may not.
        HttpResponse<String> byMallory = t.command(TestBot.MALLORY, "cancel " + id);
        assertThat(byMallory.body()).contains("Only the requester or an approver can cancel this request");
        assertThat(t.request(id).status()).isEqualTo(Status.REQUESTED);

        HttpResponse<String> cancelled = t.command(ALICE, "cancel " + id);
        assertThat(cancelled.body()).contains("Request `" + id + "` is cancelled");
        assertThat(t.request(id).status()).isEqualTo(Status.CANCELLED);
        await().atMost(Duration.ofSeconds(10)).until(() -> t.approvalMessageOf(id).blocks().toString()
                .contains("Cancelled: cancelled by <@" + ALICE + ">"));
        assertThat(t.approvalMessageOf(id).blocks().toString()).doesNotContain("onboard_approve", "onboard_deny");
        // The approve button of an old copy of the message does nothing now.
        t.approve(APPROVER, id);
        t.awaitToldPrivately(APPROVER, "already cancelled");
        assertThat(t.iamWritesSince(mark)).isEmpty();
        assertThat(t.request(id).status()).isEqualTo(Status.CANCELLED);
    }

    @Test
    void theRequesterCancelsWithTheButtonOnTheirMessageBeforeAnyDecision() {
        t.onboardAlice();
        int mark = t.iamMark();
        String id = t.submit(APPROVER, "offboard " + ALICE_MENTION);
        // The requester's answer through the response URL carries the Cancel button.
        JsonNode answer = t.slack.responses().stream().filter(r -> r.id().equals(t.lastCommandResponseId))
                .reduce((a, b) -> b).orElseThrow().body();
        assertThat(answer.path("blocks").toString()).contains("onboard_cancel", id);

        t.click(TestBot.MALLORY, "onboard_cancel", id, TestBot.GENERAL);
        t.awaitToldPrivately(TestBot.MALLORY, "Only the requester or an approver can cancel this request");
        t.click(APPROVER, "onboard_cancel", id, TestBot.GENERAL);
        t.awaitToldPrivately(APPROVER, "Request `" + id + "` is cancelled");
        assertThat(t.request(id).status()).isEqualTo(Status.CANCELLED);
        await().atMost(Duration.ofSeconds(10)).until(() -> t.approvalMessageOf(id).blocks().toString().contains("Cancelled"));
        assertThat(t.iamWritesSince(mark)).isEmpty();
        assertThat(t.iam.user("sampleUser")).isPresent();
        assertThat(t.iam.holdings("sampleUser").orElseThrow().isEmpty()).isFalse();
    }

    @Test
    void cancellingAfterApprovalIsTooLate() {
        t.onboardAlice();
        String id = t.submit(ALICE, "reset-password " + ALICE_MENTION);
        t.approve(APPROVER, id);
        t.awaitStatus(id, Status.AWAITING_PASSWORD);
        HttpResponse<String> late = t.command(ALICE, "cancel " + id);
        assertThat(t.json(late).path("text").asText()).contains("already waiting for the person, so it can't be cancelled any more");
        t.click(ALICE, "onboard_cancel", id, TestBot.GENERAL);
        t.awaitToldPrivately(ALICE, "can't be cancelled any more");
        assertThat(t.request(id).status()).isEqualTo(Status.AWAITING_PASSWORD);
    }

    // ---- deny ----

    @Test
    void denyingAResetOrAnOffboardingChangesNothingInIamAndTellsTheRequester() {
        String onboarding = t.onboardAlice();
        FakeIam.Holdings before = t.iam.holdings("sampleUser").orElseThrow();
        for (String verb : List.of("reset-mfa", "reset-password", "offboard")) {
            int mark = t.iamMark();
            String id = t.submit(APPROVER, verb + " " + ALICE_MENTION + " because");
            t.deny(APPROVER_2, id);
            t.awaitStatus(id, Status.DENIED);
            await(verb).atMost(Duration.ofSeconds(10)).until(() -> t.approvalMessageOf(id).blocks().toString()
                    .contains("Denied by <@" + APPROVER_2 + ">"));
            assertThat(t.approvalMessageOf(id).blocks().toString()).as(verb).doesNotContain("onboard_approve");
            t.awaitToldPrivately(APPROVER, "request for <@" + ALICE + "> (IAM user `sampleUser`) was denied by <@" + APPROVER_2 + ">");
            // A late approval of the denied request does nothing.
            t.approve(APPROVER_2, id);
            assertThat(t.iamWritesSince(mark)).as(verb).isEmpty();
            assertThat(t.request(id).status()).as(verb).isEqualTo(Status.DENIED);
        }
        assertThat(t.iam.holdings("sampleUser").orElseThrow()).isEqualTo(before);
        assertThat(t.request(onboarding).status()).isEqualTo(Status.DONE);
    }

    /** Gives sampleUser one of everything offboarding must remove, beside what onboarding gave it. */
    private Holdings giveEverything() {
        Holdings h = new Holdings(t.iam.giveAccessKey("sampleUser"), t.iam.giveSigningCertificate("sampleUser"),
                t.iam.giveSshPublicKey("sampleUser"), t.iam.giveServiceSpecificCredential("sampleUser", "codecommit.amazonaws.com"),
                t.iam.createManagedPolicy("team-read", READ_POLICY));
        t.iam.putUserPolicy("sampleUser", "s3-read", READ_POLICY);
        t.iam.attachUserPolicy("sampleUser", h.managedPolicy());
        return h;
    }

    record Holdings(String accessKey, String certificate, String sshKey, String credential, String managedPolicy) {
    }

    static final String READ_POLICY = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}""";

    @Test
    void offboardingRemovesEverythingTheUserHoldsThenTheUserAndTellsRequesterAndApproversWhatWent() {
        String onboarding = t.onboardAlice();
        String mfa = t.request(onboarding).mfaSerial();
        Holdings h = giveEverything();

        int mark = t.iamMark();
        String id = t.submit(APPROVER, "offboard " + ALICE_MENTION + " left the company");
        assertThat(t.iamWritesSince(mark)).as("the checks only read").isEmpty();
        // What will go, read from IAM when the request was checked.
        String approval = t.approvalMessageOf(id).blocks().toString();
        List<String> items = List.of("console password", "access key `" + h.accessKey() + "`",
                "signing certificate `" + h.certificate() + "`", "SSH public key `" + h.sshKey() + "`",
                "service-specific credential `" + h.credential() + "`", "virtual MFA device `" + mfa + "`",
                "inline policy `s3-read`", "managed policy `" + h.managedPolicy() + "` (detached; the policy stays)",
                "managed policy `" + FakeIam.CHANGE_PASSWORD_POLICY_ARN + "`", "membership of group `developers` (the group stays)");
        assertThat(approval).contains("Offboarding request", "left the company", "Then deletes the user").contains(items);
        assertThat(t.request(id).plan()).hasSize(10);

        t.approve(APPROVER_2, id);
        Request done = t.awaitStatus(id, Status.DONE);
        assertThat(t.iam.user("sampleUser")).isEmpty();
        assertThat(t.iam.virtualMfaDevices()).extracting(FakeIam.VirtualDevice::serial).doesNotContain(mfa);
        // The group and the managed policies themselves stay (attaching the one to the other needs both).
        t.iam.attachGroupPolicy("developers", h.managedPolicy());
        t.iam.attachGroupPolicy("developers", FakeIam.CHANGE_PASSWORD_POLICY_ARN);
        assertThat(done.removed()).containsExactlyInAnyOrderElementsOf(done.plan());
        assertThat(t.iam.callCount("DeleteUser")).isEqualTo(1);

        // Approvers and the requester get the summary of what was removed.
        String updated = t.approvalMessageOf(id).blocks().toString();
        assertThat(updated).contains("Removed:", "IAM user `sampleUser` is deleted").contains(items).doesNotContain("onboard_approve");
        t.awaitToldPrivately(APPROVER, "is offboarded");
        String toldRequester = t.slack.messages(dm(APPROVER)).toString();
        assertThat(toldRequester).contains("Removed:").contains(items);
        // alice's IAM user is no longer hers: status says so.
        assertThat(t.bot.store().auditTrail(id)).extracting(e -> e.actor() + ":" + e.action() + ":" + e.outcome())
                .contains("bot:iam:DeleteLoginProfile:ok", "bot:iam:DeleteAccessKey:ok", "bot:iam:DeleteSigningCertificate:ok",
                        "bot:iam:DeleteSSHPublicKey:ok", "bot:iam:DeleteServiceSpecificCredential:ok", "bot:iam:DeactivateMFADevice:ok",
                        "bot:iam:DeleteVirtualMFADevice:ok", "bot:iam:DeleteUserPolicy:ok", "bot:iam:DetachUserPolicy:ok",
                        "bot:iam:RemoveUserFromGroup:ok", "bot:iam:DeleteUser:ok");
    }

    @Test
    void offboardingAUserTheBotDidNotCreateIsRefusedWithoutAnyIamWrite() {
        t.preexistingIamUser("legacy", java.util.Map.of("team", "platform"));
        t.iam.giveAccessKey("legacy");
        int mark = t.iamMark();
        HttpResponse<String> asked = t.command(APPROVER, "offboard legacy left");
        assertThat(asked.body()).contains("Got it");
        assertThat(t.awaitFollowUp()).contains("IAM user `legacy` was not created by this bot, so I won't offboard it",
                "offboardAnyUser: true");
        assertThat(t.iamWritesSince(mark)).isEmpty();
        assertThat(t.slack.messages(TestBot.APPROVAL_CHANNEL)).isEmpty();
        assertThat(t.request("req-1").status()).isEqualTo(Status.REJECTED);
        assertThat(t.iam.holdings("legacy").orElseThrow().accessKeys()).hasSize(1);
    }

    @Test
    void offboardingAnyUserWhenConfiguredRemovesAUserTheBotDidNotCreate() {
        t.close();
        Path other = dir.resolve("any-user");
        t = TestBot.start(mkdirs(other), java.util.Map.of("ONBOARD_CONFIG",
                config(other, "groups: [developers, readonly]\noffboardAnyUser: true\n")));
        t.preexistingIamUser("legacy", java.util.Map.of("team", "platform"));
        String key = t.iam.giveAccessKey("legacy");

        String id = t.submit(APPROVER, "offboard legacy left");
        assertThat(t.approvalMessageOf(id).blocks().toString()).contains("access key `" + key + "`", "_not known_");
        t.approve(APPROVER_2, id);
        t.awaitStatus(id, Status.DONE);
        assertThat(t.iam.user("legacy")).isEmpty();
        assertThat(t.iam.callCount("DeleteAccessKey")).isEqualTo(1);
    }

    @Test
    void offboardingSupersedesAnOpenOnboardingSetupOfThatUser() {
        String onboarding = t.requestSampleUser();
        t.approve(APPROVER, onboarding);
        Request setup = t.awaitStatus(onboarding, Status.AWAITING_MFA);
        var qr = t.qrFileFor(ALICE);
        List<String> codes = t.codesFromQr(ALICE);

        String id = t.submit(APPROVER, "offboard " + ALICE_MENTION + " wrong person");
        t.approve(APPROVER_2, id);
        t.awaitStatus(id, Status.DONE);
        Request superseded = t.awaitStatus(onboarding, Status.CANCELLED);
        assertThat(TestBot.why(superseded)).contains("replaced by request `" + id + "` (offboarding)");
        assertThat(t.slack.isDeleted(qr.id())).isTrue();
        assertThat(t.iam.virtualMfaDevices()).isEmpty();
        assertThat(t.iam.user("sampleUser")).isEmpty();
        // Her setup message lost its buttons; an old copy's buttons and her codes are out of date.
        assertThat(t.slack.message(dm(ALICE), setup.setupMessage().ts()).orElseThrow().blocks().toString())
                .doesNotContain("onboard_enter_codes", "onboard_show_password");
        assertThat(t.slack.messages(dm(ALICE)).toString()).contains("was closed: replaced by request");
        t.click(ALICE, "onboard_enter_codes", onboarding, dm(ALICE));
        t.awaitToldPrivately(ALICE, "out of date");
        t.click(ALICE, "onboard_show_password", onboarding, dm(ALICE));
        await().atMost(Duration.ofSeconds(10)).until(() -> occurrences(t.toldPrivately(ALICE), "out of date") >= 2);
        HttpResponse<String> late = t.submitCodes(ALICE, onboarding, codes.get(0), codes.get(1));
        assertThat(late.body()).contains("out of date");
        assertThat(t.iam.callCount("EnableMFADevice")).isZero();
        assertThat(t.iam.callCount("UpdateLoginProfile")).isZero();
        assertThat(t.approvalMessageOf(onboarding).blocks().toString()).contains("Cancelled: replaced by request");
    }

    @Test
    void aResetWhileTheOnboardingSetupStillWaitsForThePersonIsRefusedNamingThatSetupAndStoresNothing() {
        String onboarding = t.requestSampleUser();
        t.approve(APPROVER, onboarding);
        t.awaitStatus(onboarding, Status.AWAITING_MFA);
        int requests = t.bot.store().findByStatus(EnumSet.allOf(Status.class)).size();

        HttpResponse<String> r = t.command(ALICE, "reset-password " + ALICE_MENTION + " forgot it");

        assertThat(r.body()).contains("has a setup waiting for its person", onboarding).doesNotContain("Got it");
        assertThat(t.bot.store().findByStatus(EnumSet.allOf(Status.class))).hasSize(requests);
        assertThat(t.iam.callCount("UpdateLoginProfile")).isZero();
    }

    /** A configuration file of its own (TestBot writes its default one as onboard.yml in the same directory). */
    static String config(Path dir, String yaml) {
        try {
            return java.nio.file.Files.writeString(mkdirs(dir).resolve("lifecycle.yml"), yaml).toString();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    static Path mkdirs(Path p) {
        try {
            return java.nio.file.Files.createDirectories(p);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String passwordIn(JsonNode view) {
        for (JsonNode block : view.path("blocks")) {
            if ("password".equals(block.path("block_id").asText())) {
                return block.path("text").path("text").asText();
            }
        }
        throw new AssertionError("no password block in " + view);
    }

    static int occurrences(String text, String words) {
        return text.split(java.util.regex.Pattern.quote(words), -1).length - 1;
    }
}
