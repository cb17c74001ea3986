package dev.awsonboard.e2e;

import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.lifecycle.model.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;

import static dev.awsonboard.e2e.TestBot.ALICE;
import static dev.awsonboard.e2e.TestBot.APPROVAL_CHANNEL;
import static dev.awsonboard.e2e.TestBot.APPROVER;
import static dev.awsonboard.e2e.TestBot.MALLORY;
import static dev.awsonboard.e2e.TestBot.REQUESTER;
import static dev.awsonboard.e2e.TestBot.dm;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A reset or an offboarding acts for the person the IAM user belongs to, never for whoever the
 * command names: naming oneself for someone else's IAM user is refused before the approvers are
 * asked, and nothing of that user (a password button, a QR) reaches the one who asked.
 */
class OwnershipTest {
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

    @ParameterizedTest(name = "{0} by {1}")
    @CsvSource({
            "reset-password, " + REQUESTER,
            "reset-mfa, " + REQUESTER,
            "offboard, " + REQUESTER,
            "reset-password, " + APPROVER,
            "reset-mfa, " + APPROVER,
            "offboard, " + APPROVER,
    })
    void namingOneselfForSomeoneElsesIamUserIsRefusedBeforeApproversAreAskedAndNothingReachesTheAsker(String verb, String asker) {
        String onboarding = t.onboardAlice();
        int approvals = t.slack.messages(APPROVAL_CHANNEL).size();
        int dms = t.slack.messages(dm(asker)).size();
        int mark = t.iamMark();

        HttpResponse<String> ack = t.command(asker, verb + " sampleUser <@" + asker + "|me> my own user, honest");
        assertThat(ack.body()).contains("Got it");
        String followUp = t.awaitFollowUp();

        assertThat(followUp).contains("`sampleUser` belongs to <@" + ALICE + ">, not to <@" + asker + ">", "Ask for <@" + ALICE + ">");
        Request refused = t.bot.store().findByIamUserName("sampleUser").stream()
                .filter(r -> !r.id().equals(onboarding)).reduce((a, b) -> b).orElseThrow();
        assertThat(refused.status()).isEqualTo(Status.REJECTED);
        assertThat(t.slack.messages(APPROVAL_CHANNEL)).hasSize(approvals);
        assertThat(t.slack.messages(dm(asker))).hasSize(dms);
        assertThat(t.slack.messages(dm(asker)).toString()).doesNotContain("onboard_show_password", "onboard_enter_codes");
        assertThat(t.iamWritesSince(mark)).isEmpty();
        assertThat(t.iam.user("sampleUser")).isPresent();
    }

    @Test
    void anApproverWhoNamesTheOwnerOrNoOneActsForTheOwner() {
        t.onboardAlice();
        String named = t.submit(APPROVER, "reset-password sampleUser <@" + ALICE + "|alice> she asked in person");
        assertThat(t.request(named).targetUserId()).isEqualTo(ALICE);
        t.command(APPROVER, "cancel " + named);
        t.awaitStatus(named, Status.CANCELLED);

        String unnamed = t.submit(APPROVER, "reset-mfa sampleUser lost phone");
        assertThat(t.request(unnamed).targetUserId()).isEqualTo(ALICE);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"reset-password", "reset-mfa"})
    void anIamUserWithNoKnownOwnerCannotBeResetForWhoeverIsNamedNorForNoOne(String verb) {
        t.preexistingIamUser("legacy.admin", Map.of());
        int mark = t.iamMark();
        int approvals = t.slack.messages(APPROVAL_CHANNEL).size();

        for (String asker : new String[] {MALLORY, APPROVER}) {
            t.command(asker, verb + " legacy.admin <@" + asker + "|me>");
            assertThat(t.awaitFollowUp()).as(asker).contains("I don't know whose IAM user `legacy.admin` is");
        }
        t.command(APPROVER, verb + " legacy.admin");
        assertThat(t.awaitFollowUp()).contains("I don't know whose IAM user `legacy.admin` is");

        assertThat(t.slack.messages(APPROVAL_CHANNEL)).hasSize(approvals);
        assertThat(t.iamWritesSince(mark)).isEmpty();
    }

    @Test
    void anOffboardingOfAnIamUserWithNoKnownOwnerIsForApproversOnlyAndNamesNoOne() {
        TestBot.writeConfig(dir, "groups: [developers, readonly]\noffboardAnyUser: true\n");
        t.restart();
        t.preexistingIamUser("legacy.admin", Map.of());

        t.command(MALLORY, "offboard legacy.admin");
        assertThat(t.awaitFollowUp()).contains("only for yourself");
        t.command(MALLORY, "offboard legacy.admin <@" + MALLORY + "|mallory>");
        assertThat(t.awaitFollowUp()).contains("I don't know whose IAM user `legacy.admin` is");

        String id = t.submit(APPROVER, "offboard legacy.admin left long ago");
        assertThat(t.request(id).targetUserId()).isNull();
    }

    @Test
    void aNameOffboardedAndMadeAgainForSomeoneElseMakesTheFirstPersonsOldButtonsOutOfDate() {
        String alices = t.onboardAlice(); // she never took her first password: her done message still offers it
        String offboarding = t.submit(APPROVER, "offboard sampleUser she left");
        t.approve(TestBot.APPROVER_2, offboarding);
        t.awaitStatus(offboarding, Status.DONE);
        String bobs = t.submit(REQUESTER, "sampleUser <@" + TestBot.BOB + "|bob> same name, new person");
        t.approve(APPROVER, bobs);
        t.awaitStatus(bobs, Status.AWAITING_MFA);
        String bobsUserId = t.iam.user("sampleUser").orElseThrow().userId();
        assertThat(bobsUserId).isNotEqualTo(t.request(alices).iamUserId());

        int mark = t.iamMark();
        int updates = t.slack.callCount("views.update");
        t.click(ALICE, "onboard_first_password", alices, dm(ALICE));
        // The modal opens (the cheap check passes: her own request, never revealed), then IAM says the user is not hers.
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
                .until(() -> t.slack.callCount("views.update") > updates);
        assertThat(t.slack.lastView().orElseThrow().toString()).contains("out of date");
        t.click(ALICE, "onboard_show_password", alices, dm(ALICE));
        t.awaitToldPrivately(ALICE, "out of date");
        assertThat(t.iamWritesSince(mark)).isEmpty();
        assertThat(t.iam.user("sampleUser").orElseThrow().userId()).isEqualTo(bobsUserId);
        assertThat(t.bot.store().auditTrail(alices)).anyMatch(e -> e.action().equals("reveal-password")
                && e.outcome().equals("out-of-date"));
    }

    @Test
    void codesRepliedInSomeoneElsesDmReachNoOnesSetup() {
        String id = t.requestSampleUser();
        t.approve(APPROVER, id);
        t.awaitStatus(id, Status.AWAITING_MFA);
        java.util.List<String> alicesCodes = t.codesFromQr(ALICE);
        int mark = t.iamMark();

        t.replyInDm(MALLORY, alicesCodes.get(0) + " " + alicesCodes.get(1));
        t.awaitToldPrivately(MALLORY, "no AWS MFA setup waiting");
        assertThat(t.iamWritesSince(mark)).isEmpty();
        assertThat(t.request(id).status()).isEqualTo(Status.AWAITING_MFA);
    }

    @Test
    void aDatabaseFromBeforeLinksIsBackfilledSoPeopleKeepTheirIamUsers() throws Exception {
        t.onboardAlice();
        // As a database the upgrade finds: requests, and no links yet.
        try (var c = java.sql.DriverManager.getConnection(t.env.get("DATABASE_URL")); var st = c.createStatement()) {
            st.executeUpdate("DELETE FROM iam_user_link");
            st.executeUpdate("DELETE FROM one_time_step");
        }
        t.restart();

        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).until(() ->
                t.command(ALICE, "reset-mfa <@" + ALICE + "|alice> lost phone").body().contains("Got it"));
        assertThat(t.awaitFollowUp()).contains("waiting for approval");
    }

    @Test
    void aRequestFromAnotherWorkspaceChangesNothingAndACommandSaysWhy() {
        String onboarding = t.onboardAlice();
        String pending = t.submit(ALICE, "reset-password <@" + ALICE + "|alice> forgot it");
        var elsewhere = t.send.fromTeam("T0ELSEWHERE");
        int mark = t.iam.calls().size();
        int stored = t.bot.store().findByIamUserName("sampleUser").size();
        int approvals = t.slack.messages(APPROVAL_CHANNEL).size();

        HttpResponse<String> command = elsewhere.slashCommand(MALLORY, TestBot.COMMAND, "reset-mfa sampleUser <@" + MALLORY + "|me>",
                t.trigger(), t.slack.responseUrl("elsewhere-1"));
        assertThat(command.statusCode()).isEqualTo(200);
        assertThat(t.json(command).path("text").asText()).contains("another Slack workspace");
        assertThat(elsewhere.blockAction(APPROVER, "onboard_approve", pending, APPROVAL_CHANNEL, "1700000000.000001", t.trigger())
                .statusCode()).isEqualTo(200);
        assertThat(elsewhere.userChange(ALICE, "alice", true).statusCode()).isEqualTo(200);
        elsewhere.messageEvent(ALICE, dm(ALICE), "123456 654321");

        // The same requests from the bot's own workspace are answered: nothing above was lost in transit.
        t.command(APPROVER, "status sampleUser");
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).until(() -> !t.followUps().isEmpty());
        assertThat(t.iam.calls().subList(mark, t.iam.calls().size())).doesNotContain("UpdateLoginProfile", "CreateVirtualMFADevice",
                "DeactivateMFADevice", "DeleteUser");
        assertThat(t.bot.store().findByIamUserName("sampleUser")).hasSize(stored);
        assertThat(t.request(pending).status()).isEqualTo(Status.REQUESTED);
        assertThat(t.request(onboarding).status()).isEqualTo(Status.DONE);
        assertThat(t.slack.messages(APPROVAL_CHANNEL)).hasSize(approvals);
    }
}
