package dev.awsonboard.e2e;

import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.lifecycle.model.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static dev.awsonboard.e2e.TestBot.ALICE;
import static dev.awsonboard.e2e.TestBot.APPROVER;
import static dev.awsonboard.e2e.TestBot.APPROVER_2;
import static dev.awsonboard.e2e.TestBot.REQUESTER;
import static dev.awsonboard.e2e.TestBot.dm;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Without an approval channel each approver is asked in their own DM, each on their own. */
class ApproverDmsTest {
    @TempDir
    Path dir;

    @Test
    void anApproverWhoCannotBeReachedKeepsNoOneElseFromBeingAskedAndTheirMessageIsUpdated() {
        try (TestBot t = TestBot.start(dir, Map.of("ONBOARD_APPROVAL_CHANNEL", ""))) {
            t.slack.deactivateUser(APPROVER); // conversations.open answers user_disabled
            t.command(REQUESTER, "sampleUser <@" + ALICE + "|alice> groups=developers");
            assertThat(t.awaitFollowUp()).contains("waiting for approval");

            Request waiting = t.bot.store().findByIamUserName("sampleUser").get(0);
            assertThat(waiting.status()).isEqualTo(Status.REQUESTED);
            assertThat(waiting.approvalMessages()).extracting(ref -> ref.channel()).containsExactly(dm(APPROVER_2));
            String ts = t.slack.messages(dm(APPROVER_2)).get(0).ts();

            t.click(APPROVER_2, "onboard_approve", waiting.id(), dm(APPROVER_2));
            t.awaitStatus(waiting.id(), Status.AWAITING_MFA);
            await().atMost(Duration.ofSeconds(20)).until(() -> t.slack.message(dm(APPROVER_2), ts).orElseThrow().blocks().toString()
                    .contains("set up MFA"));
        }
    }
}
