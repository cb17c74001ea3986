package dev.awsonboard.e2e;

import dev.awsonboard.lifecycle.model.Status;
import dev.awsonboard.lifecycle.model.Tags;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static dev.awsonboard.e2e.TestBot.ALICE;
import static dev.awsonboard.e2e.TestBot.APPROVER;
import static dev.awsonboard.e2e.TestBot.APPROVER_2;
import static dev.awsonboard.e2e.TestBot.MALLORY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An AWS account with IAM users from before the bot: an approver links one to its person (the
 * approvers read what IAM says of it first), who can then reset it; unlinking takes that back.
 * Through signed requests, in English and in Japanese.
 */
class LinkEndToEndTest {
    @TempDir
    Path dir;

    @Test
    void anApproverLinksAnExistingUserItsPersonResetsItAndAnUnlinkTakesThatBack() {
        try (TestBot t = TestBot.start(dir)) {
            t.preexistingIamUser("alice.old", Map.of());
            String key = t.iam.giveAccessKey("alice.old");
            t.iam.useAccessKey(key, Instant.parse("2026-10-01T08:00:00Z"));

            // Before the link the user is nobody's: alice cannot reset it.
            t.command(ALICE, "reset-password alice.old");
            assertThat(t.awaitFollowUp()).contains("I don't know whose IAM user `alice.old` is", "/aws-onboard link alice.old @person");

            int mark = t.iamMark();
            String id = t.submit(APPROVER, "link alice.old <@" + ALICE + "|alice> her user from before the bot");
            assertThat(t.iamWritesSince(mark)).isEmpty();
            assertThat(t.approvalMessageOf(id).blocks().toString()).contains("Link request", "`alice.old`",
                    "access key `" + key + "` (last used 2026-10-01)", "<@" + ALICE + ">");
            t.approve(APPROVER_2, id);
            t.awaitStatus(id, Status.DONE);
            assertThat(t.iam.user("alice.old").orElseThrow().tags()).containsEntry(Tags.SLACK_USER, ALICE);
            // The approval message is brought up to date once DONE is stored (an effect it owes).
            await().atMost(Duration.ofSeconds(20)).until(() ->
                    t.approvalMessageOf(id).blocks().toString().contains("is linked to <@" + ALICE + ">"));

            String reset = t.submit(ALICE, "reset-password alice.old forgot it");
            assertThat(t.request(reset).targetUserId()).isEqualTo(ALICE);
            t.command(ALICE, "cancel " + reset);
            t.awaitStatus(reset, Status.CANCELLED);

            // mallory cannot take it: asking for herself names the owner.
            t.command(MALLORY, "reset-mfa alice.old <@" + MALLORY + "|me>");
            assertThat(t.awaitFollowUp()).contains("belongs to <@" + ALICE + ">");

            String unlink = t.submit(ALICE, "unlink alice.old not mine any more");
            t.approve(APPROVER, unlink);
            t.awaitStatus(unlink, Status.DONE);
            assertThat(t.iam.user("alice.old").orElseThrow().tags()).doesNotContainKey(Tags.SLACK_USER);
            t.command(ALICE, "reset-password alice.old");
            assertThat(t.awaitFollowUp()).contains("I don't know whose IAM user `alice.old` is");
        }
    }

    @Test
    void theLinkRequestReadsInJapaneseWhereJapaneseIsTheDefault() throws java.io.IOException {
        Path config = java.nio.file.Files.createDirectories(dir.resolve("config")).resolve("onboard.yml");
        java.nio.file.Files.writeString(config, "groups: [developers]\ndefaultLanguage: ja\n");
        try (TestBot t = TestBot.start(dir, Map.of("ONBOARD_CONFIG", config.toString()))) {
            t.preexistingIamUser("alice.old", Map.of());
            t.slack.setLocale(APPROVER, "ja-JP");
            t.command(APPROVER, "link alice.old <@" + ALICE + "|alice>");
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
                    .until(() -> !t.slack.messages(TestBot.APPROVAL_CHANNEL).isEmpty());
            assertThat(t.approvalMessage().blocks().toString()).contains("リンク申請", "`alice.old`", "にリンクします");
        }
    }
}
