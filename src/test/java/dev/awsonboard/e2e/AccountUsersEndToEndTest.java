package dev.awsonboard.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.awsonboard.config.Secret;
import dev.awsonboard.fakes.FakeIam;
import dev.awsonboard.fakes.FakeSlack;
import dev.awsonboard.iam.IamClients;
import dev.awsonboard.iam.SdkIamGateway;
import dev.awsonboard.lifecycle.model.Kind;
import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.lifecycle.model.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import static dev.awsonboard.e2e.TestBot.ALICE;
import static dev.awsonboard.e2e.TestBot.APPROVAL_CHANNEL;
import static dev.awsonboard.e2e.TestBot.APPROVER;
import static dev.awsonboard.e2e.TestBot.BOB;
import static dev.awsonboard.e2e.TestBot.GENERAL;
import static dev.awsonboard.e2e.TestBot.MALLORY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code /aws-onboard users} and the approvers' App Home through signed requests: the account's IAM
 * users from IAM's credential report (one report for the whole account, at most one new one every
 * four hours), their links, suggested links by e-mail and MFA coverage, in English and Japanese.
 */
class AccountUsersEndToEndTest {
    private static final Pattern JAPANESE = Pattern.compile("[\\p{IsHiragana}\\p{IsKatakana}\\p{IsHan}]");
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;
    TestBot t;

    @AfterEach
    void stop() {
        if (t != null) {
            t.close();
        }
    }

    /** An IAM user an admin made in the console before the bot came, with a console password and no MFA. */
    private void legacyConsoleUser(String name, Map<String, String> tags) {
        try (var client = IamClients.create(Optional.of(t.iam.endpoint()), FakeIam.credentials(), 0)) {
            SdkIamGateway admin = new SdkIamGateway(client);
            admin.createUser(name, "/", tags);
            admin.createLoginProfile(name, Secret.of("Legacy-Console-Pa55!"), false);
        }
    }

    /** What the bot answered through the last command's response URL: its blocks and text, as JSON. */
    private String answer() {
        await().atMost(WAIT).until(() -> !t.followUps().isEmpty());
        String id = t.lastCommandResponseId;
        List<JsonNode> bodies = t.slack.responses().stream().filter(r -> r.id().equals(id)).map(FakeSlack.ResponseCall::body).toList();
        return bodies.get(bodies.size() - 1).toString();
    }

    private String users(String who) {
        HttpResponse<String> ack = t.command(who, "users");
        assertThat(ack.statusCode()).isEqualTo(200);
        return answer();
    }

    @Test
    void anApproverSeesEveryIamUserWithItsLinkFromOneReportAndNoCallPerUser() {
        t = TestBot.start(dir);
        t.onboardAlice();
        legacyConsoleUser("legacy.admin", Map.of());
        int mark = t.iamMark();

        HttpResponse<String> ack = t.command(APPROVER, "users");
        String answer = answer();

        assertThat(t.json(ack).path("text").asText()).contains("Reading IAM's credential report");
        assertThat(answer).contains("IAM users under `/`*: 2", "`sampleUser` → <@" + ALICE + ">: MFA on",
                "`legacy.admin` → _nobody_: *no MFA*, console password set, never signed in",
                "*1* with a console password and no MFA", "0 linked to a person, 1 not linked");
        // One report (IAM answers ReportInProgress once while it makes it), and tags only of the unlinked user.
        assertThat(t.iam.calls().subList(mark, t.iam.calls().size())).containsExactly("GenerateCredentialReport",
                "GetCredentialReport", "GetCredentialReport", "ListUserTags");
        assertThat(t.iamWritesSince(mark)).isEmpty();
    }

    @Test
    void theReportIsKeptFourHoursAndThenANewOneShowsWhatChanged() {
        t = TestBot.start(dir);
        legacyConsoleUser("legacy.admin", Map.of());
        users(APPROVER);
        legacyConsoleUser("late.user", Map.of());

        String again = users(APPROVER);
        assertThat(again).doesNotContain("late.user");
        assertThat(t.iam.credentialReportsGenerated()).isEqualTo(1);
        assertThat(t.iam.callCount("GenerateCredentialReport")).isEqualTo(1);

        t.clock.advance(Duration.ofHours(4));
        t.iamClock.advance(Duration.ofHours(4));
        String later = users(APPROVER);

        assertThat(later).contains("`late.user`", "*2* with a console password and no MFA");
        assertThat(t.iam.credentialReportsGenerated()).isEqualTo(2);
    }

    @Test
    void someoneWhoIsNoApproverIsRefusedInTheAckAndIamIsNotAsked() {
        t = TestBot.start(dir);
        int mark = t.iamMark();

        HttpResponse<String> ack = t.command(MALLORY, "users");

        assertThat(t.json(ack).path("text").asText()).contains("Only approvers can see the account's IAM users");
        assertThat(t.iam.calls().subList(mark, t.iam.calls().size())).isEmpty();
        assertThat(t.followUps()).isEmpty();
    }

    @Test
    void aJapaneseSpeakingApproverReadsTheListAndItsSuggestionsInJapanese() {
        t = TestBot.start(dir);
        t.slack.setLocale(APPROVER, "ja-JP");
        legacyConsoleUser("legacy.admin", Map.of());
        legacyConsoleUser("bob@example.com", Map.of());

        String answer = users(APPROVER);

        assertThat(answer).contains("`/` 配下の IAM ユーザー", "`legacy.admin` → _紐付けなし_", "*MFA 無効*",
                "コンソールパスワードがあり MFA のない IAM ユーザーが *2* 人います", "*紐付けの候補:*",
                "`bob@example.com` は <@" + BOB + "> のものかもしれません", "紐付けを依頼");
        assertThat(answer).containsPattern(JAPANESE);
    }

    @Test
    void theListAndItsButtonsFromAnotherWorkspaceChangeNothing() {
        t = TestBot.start(dir);
        aliceWithoutMfa();
        legacyConsoleUser("bob.legacy", Map.of("email", "bob@example.com"));
        var stranger = t.send.fromTeam("T0OTHERTEAM");
        int mark = t.iamMark();

        HttpResponse<String> command = stranger.slashCommand(APPROVER, TestBot.COMMAND, "users", t.trigger(),
                t.slack.responseUrl("other-team"));
        stranger.homeButton(APPROVER, "users_enrol_mfa", "sampleUser", t.trigger());
        stranger.homeButton(APPROVER, "users_link_suggestion", "bob.legacy|" + BOB, t.trigger());

        assertThat(t.json(command).path("text").asText()).contains("another Slack workspace");
        await().atMost(Duration.ofSeconds(2)).during(Duration.ofMillis(500)).until(() ->
                t.bot.store().findByIamUserName("sampleUser").stream().noneMatch(r -> r.kind() == Kind.ENROL_MFA)
                        && t.bot.store().findByIamUserName("bob.legacy").isEmpty());
        assertThat(t.iam.calls().subList(mark, t.iam.calls().size())).isEmpty();
    }

    @Test
    void anUnlinkedUserTaggedWithAMembersAddressIsSuggestedAndOneCheckedClickFilesALinkRequestForAnotherApprover() {
        t = TestBot.start(dir);
        t.slack.setEmail(BOB, "bob.jones@example.com");
        legacyConsoleUser("bob.legacy", Map.of("email", "bob.jones@example.com"));
        legacyConsoleUser("carol@example.com", Map.of()); // nobody in Slack has it

        String answer = users(APPROVER);
        assertThat(answer).contains("`bob.legacy` may be <@" + BOB + ">'s: `bob.jones@example.com` (its IAM tag `email`)",
                "\"value\":\"bob.legacy|" + BOB + "\"").doesNotContain("carol@example.com|");
        assertThat(t.slack.calls("users.lookupByEmail")).hasSize(2);

        // Someone who is no approver, and a forged pairing, file nothing.
        t.send.blockAction(MALLORY, "users_link_suggestion", "bob.legacy|" + BOB, GENERAL, "1700000000.000001", t.trigger());
        t.awaitToldPrivately(MALLORY, "Only approvers can see the account's IAM users");
        t.send.blockAction(APPROVER, "users_link_suggestion", "bob.legacy|" + MALLORY, GENERAL, "1700000000.000001", t.trigger());
        t.awaitToldPrivately(APPROVER, "This suggestion is out of date");

        // The approver's click, checked again in IAM and Slack, files a link request: nothing is linked yet.
        int mark = t.iamMark();
        int posted = t.slack.messages(TestBot.APPROVAL_CHANNEL).size();
        t.send.blockAction(APPROVER, "users_link_suggestion", "bob.legacy|" + BOB, GENERAL, "1700000000.000001", t.trigger());
        t.awaitToldPrivately(APPROVER, "Got it: request");
        await().atMost(WAIT).until(() -> t.slack.messages(TestBot.APPROVAL_CHANNEL).size() > posted);
        String linkRequest = t.latestApprovalRequestId();
        assertThat(t.request(linkRequest).kind()).isEqualTo(Kind.LINK);
        assertThat(t.request(linkRequest).targetUserId()).isEqualTo(BOB);
        assertThat(t.iamWritesSince(mark)).isEmpty();
        assertThat(users(APPROVER)).as("still nobody's").contains("`bob.legacy` → _nobody_");

        // Another approver approves it, as any link request.
        t.approve(TestBot.APPROVER_2, linkRequest);
        t.awaitStatus(linkRequest, Status.DONE);
        assertThat(users(APPROVER)).contains("`bob.legacy` → <@" + BOB + ">").doesNotContain("bob.legacy|");
    }

    /** alice onboarded by the bot, then an admin removed her MFA device in the console: linked, console password, no MFA. */
    private void aliceWithoutMfa() {
        t.onboardAlice();
        String serial = t.iam.user("sampleUser").orElseThrow().mfaDevices().get(0);
        try (var client = IamClients.create(Optional.of(t.iam.endpoint()), FakeIam.credentials(), 0)) {
            client.deactivateMFADevice(b -> b.userName("sampleUser").serialNumber(serial));
            client.deleteVirtualMFADevice(b -> b.serialNumber(serial));
        }
    }

    /** The MFA setup an approver asked for, once it waits for its person. */
    private Request enrolment() {
        await().atMost(WAIT).until(() -> t.bot.store().findByStatus(EnumSet.of(Status.AWAITING_MFA)).stream()
                .anyMatch(r -> r.kind() == Kind.ENROL_MFA));
        return t.bot.store().findByStatus(EnumSet.of(Status.AWAITING_MFA)).stream().filter(r -> r.kind() == Kind.ENROL_MFA)
                .findFirst().orElseThrow();
    }

    /** The approver sees alice's user without MFA in their Home and asks her to set it up; she does, with two codes. */
    private Request askAliceToSetUpMfaFromTheHome() {
        aliceWithoutMfa();
        t.openHome(APPROVER);
        await().atMost(WAIT).until(() -> t.homeText(APPROVER).contains("\"value\":\"sampleUser\""));
        assertThat(t.homeText(APPROVER)).contains("users_enrol_mfa");
        int posted = t.slack.messages(APPROVAL_CHANNEL).size();

        HttpResponse<String> ack = t.homeClick(APPROVER, "users_enrol_mfa", "sampleUser");

        assertThat(ack.statusCode()).isEqualTo(200);
        Request r = enrolment();
        assertThat(r.targetUserId()).isEqualTo(ALICE);
        assertThat(r.requesterUserId()).isEqualTo(APPROVER);
        assertThat(r.approverUserId()).as("the click that asked decided it").isEqualTo(APPROVER);
        assertThat(t.slack.messages(APPROVAL_CHANNEL)).as("no approval message").hasSize(posted);
        assertThat(t.bot.store().auditTrail(r.id())).extracting(e -> e.action() + " by " + e.actor())
                .contains("request by " + APPROVER, "approve by " + APPROVER);
        return r;
    }

    @Test
    void askToSetUpMfaFromTheHomeSendsThePersonTheSetupAndTheirCodesTurnMfaOnWithNothingRemoved() {
        t = TestBot.start(dir);
        int mark = t.iamMark();
        Request r = askAliceToSetUpMfaFromTheHome();
        int setupMark = t.iamMark();
        t.awaitToldPrivately(ALICE, "An approver asked you to turn on MFA");
        String qr = t.qrFileFor(ALICE).id();

        List<String> codes = t.codesFromQr(ALICE);
        HttpResponse<String> done = t.submitCodes(ALICE, r.id(), codes.get(0), codes.get(1));

        assertThat(done.body()).contains("\"update\"");
        assertThat(t.awaitStatus(r.id(), Status.DONE).step()).isEqualTo(dev.awsonboard.lifecycle.model.Step.MFA_ENABLED);
        assertThat(t.iam.user("sampleUser").orElseThrow().mfaDevices()).singleElement().asString().endsWith(":mfa/sampleUser");
        assertThat(t.iam.user("sampleUser").orElseThrow().loginProfile()).as("the password stays").isTrue();
        assertThat(t.iamWritesSince(setupMark)).containsExactly("EnableMFADevice");
        assertThat(t.iamWritesSince(mark)).doesNotContain("UpdateLoginProfile", "DeleteLoginProfile", "DeleteUser");
        await().atMost(WAIT).until(() -> t.slack.isDeleted(qr));
        t.awaitToldPrivately(ALICE, "MFA is on for `sampleUser`");
    }

    @Test
    void askToSetUpMfaInJapaneseReachesAJapaneseSpeakingPersonInJapanese() {
        t = TestBot.start(dir);
        t.slack.setLocale(ALICE, "ja-JP").setLocale(APPROVER, "ja-JP");
        Request r = askAliceToSetUpMfaFromTheHome();
        assertThat(t.homeText(APPROVER)).contains("MFA の設定を依頼");
        t.awaitToldPrivately(ALICE, "承認者から MFA の設定を依頼されました");

        List<String> codes = t.codesFromQr(ALICE);
        t.submitCodes(ALICE, r.id(), codes.get(0), codes.get(1));

        t.awaitStatus(r.id(), Status.DONE);
        t.awaitToldPrivately(ALICE, "MFA を有効にしました");
    }

    @Test
    void theOldPersonsCodesAsADmReplyMeetNoEnableMfaDeviceOnceTheNameWasMadeAgainForSomeoneElse() {
        t = TestBot.start(dir);
        Request r = askAliceToSetUpMfaFromTheHome();
        t.awaitToldPrivately(ALICE, "An approver asked you to turn on MFA");
        List<String> codes = t.codesFromQr(ALICE);
        // An admin deletes sampleUser in the console and makes the name again for someone else.
        FakeIam.Holdings held = t.iam.holdings("sampleUser").orElseThrow();
        try (var client = IamClients.create(Optional.of(t.iam.endpoint()), FakeIam.credentials(), 0)) {
            client.deleteLoginProfile(b -> b.userName("sampleUser"));
            held.attachedPolicies().forEach(arn -> client.detachUserPolicy(b -> b.userName("sampleUser").policyArn(arn)));
            held.groups().forEach(g -> client.removeUserFromGroup(b -> b.userName("sampleUser").groupName(g)));
            client.deleteUser(b -> b.userName("sampleUser"));
            client.createUser(b -> b.userName("sampleUser"));
        }
        int mark = t.iamMark();

        t.replyInDm(ALICE, codes.get(0) + " " + codes.get(1));

        t.awaitToldPrivately(ALICE, "This button is out of date");
        assertThat(t.iam.calls().subList(mark, t.iam.calls().size())).doesNotContain("EnableMFADevice");
        assertThat(t.iam.user("sampleUser").orElseThrow().mfaDevices()).isEmpty();
        assertThat(t.request(r.id()).status()).isNotEqualTo(Status.DONE);
    }

    @Test
    void someoneWhoIsNoApproverCannotAskForAnMfaSetupEvenWithAForgedButton() {
        t = TestBot.start(dir);
        aliceWithoutMfa();
        int mark = t.iamMark();

        t.homeClick(MALLORY, "users_enrol_mfa", "sampleUser");

        t.awaitToldPrivately(MALLORY, "You are not allowed to ask for MFA setup");
        assertThat(t.bot.store().findByIamUserName("sampleUser")).noneMatch(r -> r.kind() == Kind.ENROL_MFA);
        assertThat(t.iamWritesSince(mark)).isEmpty();
    }

    @Test
    void anApproversHomeShowsMfaCoverageOnceTheReportIsInAndAPersonsHomeDoesNot() {
        t = TestBot.start(dir);
        t.onboardAlice();
        legacyConsoleUser("legacy.admin", Map.of());

        t.openHome(APPROVER);
        await().atMost(WAIT).until(() -> t.homeText(APPROVER).contains("with a console password and no MFA"));
        t.openHome(ALICE);

        assertThat(t.homeText(APPROVER)).contains("*2* IAM users under `/`", "*1* with a console password and no MFA");
        assertThat(t.homeText(ALICE)).doesNotContain("legacy.admin", "IAM users under");
        assertThat(t.iam.callCount("GenerateCredentialReport")).isEqualTo(1);
    }
}
