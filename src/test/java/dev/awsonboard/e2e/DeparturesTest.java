package dev.awsonboard.e2e;

import dev.awsonboard.fakes.FakeSlack;
import dev.awsonboard.lifecycle.model.Kind;
import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.lifecycle.model.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import static dev.awsonboard.e2e.TestBot.ALICE;
import static dev.awsonboard.e2e.TestBot.APPROVAL_CHANNEL;
import static dev.awsonboard.e2e.TestBot.APPROVER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * People who leave: Slack's user_change with {@code deleted: true} makes the bot ask the approvers to
 * offboard the person's IAM users. It never removes anything without an approver.
 */
class DeparturesTest {
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

    private void start(String extraConfig) {
        try {
            Path yaml = Files.writeString(dir.resolve("departures.yml"), "groups: [developers]\n" + extraConfig);
            t = TestBot.start(dir, Map.of("ONBOARD_CONFIG", yaml.toString()));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** alice onboarded with MFA on, as the bot made her. */
    private String onboardAlice() {
        String id = t.requestSampleUser();
        t.approve(APPROVER, id);
        t.finishSetup(id);
        return id;
    }

    private List<Request> offboardings() {
        return t.bot.store().findByStatus(EnumSet.allOf(Status.class)).stream().filter(r -> r.kind() == Kind.OFFBOARD).toList();
    }

    private void aliceLeaves() {
        t.slack.deactivateUser(ALICE);
        assertThat(t.send.userChange(ALICE, "Alice Example", true).statusCode()).isEqualTo(200);
    }

    @Test
    void aDeactivatedPersonGetsOneOffboardingRequestFiledByTheBotForApproval() {
        start("");
        onboardAlice();
        int asked = t.slack.messages(APPROVAL_CHANNEL).size();

        aliceLeaves();

        await().atMost(WAIT).until(() -> t.slack.messages(APPROVAL_CHANNEL).size() > asked);
        assertThat(offboardings()).hasSize(1);
        Request r = offboardings().get(0);
        assertThat(r.requesterUserId()).isEqualTo(FakeSlack.BOT_USER_ID);
        assertThat(r.targetUserId()).isEqualTo(ALICE);
        assertThat(r.iamUserName()).isEqualTo("sampleUser");
        assertThat(r.status()).isEqualTo(Status.REQUESTED);
        String approval = t.approvalMessage().blocks().toString();
        assertThat(approval).contains("Offboarding request", "<@" + FakeSlack.BOT_USER_ID + ">",
                "Alice Example was deactivated in Slack", "nothing is removed until an approver approves", "onboard_approve");
        assertThat(t.iam.user("sampleUser")).isPresent();
        assertThat(t.bot.store().auditTrail(r.id())).anyMatch(e -> e.action().equals("person-left"));

        // An approver decides, as for any offboarding; the bot, its requester, is never sent a DM.
        t.approve(APPROVER, r.id());
        t.awaitStatus(r.id(), Status.DONE);
        assertThat(t.iam.user("sampleUser")).isEmpty();
        assertThat(t.slack.calls("conversations.open")).noneMatch(c -> FakeSlack.BOT_USER_ID.equals(c.param("users")));
    }

    @Test
    void aRepeatedDeactivationEventFilesNothingNew() {
        start("");
        onboardAlice();
        aliceLeaves();
        await().atMost(WAIT).until(() -> offboardings().size() == 1);

        for (int i = 0; i < 3; i++) {
            assertThat(t.send.userChange(ALICE, "Alice Example", true).statusCode()).isEqualTo(200);
        }

        await().atMost(WAIT).during(Duration.ofSeconds(2)).until(() -> offboardings().size() == 1);
        assertThat(t.slack.messages(APPROVAL_CHANNEL).stream().filter(m -> m.blocks() != null
                && m.blocks().toString().contains("Offboarding request"))).hasSize(1);
    }

    @Test
    void withOffboardWhenDeactivatedOffNothingIsFiled() {
        start("offboardWhenDeactivated: false\n");
        onboardAlice();

        aliceLeaves();

        await().atMost(WAIT).during(Duration.ofSeconds(2)).until(() -> offboardings().isEmpty());
        assertThat(t.iam.user("sampleUser")).isPresent();
    }

    @Test
    void aProfileChangeThatIsNotADeactivationIsIgnored() {
        start("");
        onboardAlice();

        assertThat(t.send.userChange(ALICE, "Alice New-Name", false).statusCode()).isEqualTo(200);

        await().atMost(WAIT).during(Duration.ofSeconds(2)).until(() -> offboardings().isEmpty());
    }

    @Test
    void aPersonWhoLeavesBeforeFinishingTheirSetupGetsAnOffboardingRequestToo() {
        start("");
        String setup = t.requestSampleUser();
        t.approve(APPROVER, setup);
        t.awaitStatus(setup, Status.AWAITING_MFA);

        aliceLeaves();

        await().atMost(WAIT).until(() -> offboardings().size() == 1 && offboardings().get(0).status() == Status.REQUESTED);
        // Until an approver says yes, her user and her setup stay as they are.
        assertThat(t.iam.user("sampleUser")).isPresent();
        assertThat(t.request(setup).status()).isEqualTo(Status.AWAITING_MFA);
    }
}
