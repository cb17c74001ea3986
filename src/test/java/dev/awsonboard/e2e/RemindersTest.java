package dev.awsonboard.e2e;

import dev.awsonboard.Bot;
import dev.awsonboard.fakes.FakeSlack;
import dev.awsonboard.lifecycle.model.AuditEntry;
import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.lifecycle.model.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.awsonboard.e2e.TestBot.ALICE;
import static dev.awsonboard.e2e.TestBot.APPROVAL_CHANNEL;
import static dev.awsonboard.e2e.TestBot.APPROVER;
import static dev.awsonboard.e2e.TestBot.APPROVER_2;
import static dev.awsonboard.e2e.TestBot.REQUESTER;
import static dev.awsonboard.e2e.TestBot.dm;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Reminders, driven by the bot's clock and its sweep: approvers in the approval message's thread every
 * four hours at most twice, never while all of them are in their quiet hours; the person at two and
 * twenty hours of their setup. Each goes out once, across replicas and restarts.
 */
class RemindersTest {
    private static final ZoneId LONDON = ZoneId.of("Europe/London");
    private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    private static final String CONFIG = "groups: [developers]\nsetupExpiry: 24h\n"
            + "reminders: {approvalEvery: 4h, approvalMax: 2, quietHours: \"20:00-08:00\", setupAfter: [2h, 20h]}\n";

    @TempDir
    Path dir;
    TestBot t;

    private TestBot start(Map<String, String> env) {
        Map<String, String> all = new java.util.HashMap<>(env);
        try {
            all.put("ONBOARD_CONFIG", java.nio.file.Files.writeString(dir.resolve("reminders.yml"), CONFIG).toString());
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        t = TestBot.start(dir, all);
        return t;
    }

    private TestBot start() {
        return start(Map.of());
    }

    @AfterEach
    void stop() {
        if (t != null) {
            t.close();
        }
    }

    /** Moves the bot's clock forward to the next {@code time} of day in {@code zone}. */
    private void advanceTo(LocalTime time, ZoneId zone) {
        ZonedDateTime now = t.clock.instant().atZone(zone);
        ZonedDateTime next = now.with(time);
        if (!next.isAfter(now)) {
            next = next.plusDays(1);
        }
        t.clock.advance(Duration.between(now, next));
    }

    /** Replies in the thread of the approval message (the channel's one top-level message). */
    private List<FakeSlack.Message> threadOfApproval() {
        String ts = t.slack.messages(APPROVAL_CHANNEL).stream().filter(m -> !m.isReply()).reduce((a, b) -> b).orElseThrow().ts();
        return t.slack.replies(APPROVAL_CHANNEL, ts);
    }

    private List<AuditEntry> trail(String id, String action) {
        return t.bot.store().auditTrail(id).stream().filter(e -> e.action().equals(action)).toList();
    }

    @Test
    void approversAreRemindedInTheThreadEveryFourHoursAtMostTwice() {
        start();
        advanceTo(LocalTime.of(9, 0), LONDON);
        String id = t.requestSampleUser();
        int topLevel = t.slack.messages(APPROVAL_CHANNEL).size();

        t.clock.advance(Duration.ofHours(3).plusMinutes(59));
        t.bot.sweepNow();
        assertThat(threadOfApproval()).isEmpty();

        t.clock.advance(Duration.ofMinutes(2));
        t.bot.sweepNow();
        t.bot.sweepNow();
        assertThat(threadOfApproval()).hasSize(1);
        assertThat(threadOfApproval().get(0).text()).contains("<@" + APPROVER + ">", "<@" + APPROVER_2 + ">",
                "waiting for approval for 4 hours");

        t.clock.advance(Duration.ofHours(4));
        t.bot.sweepNow();
        assertThat(threadOfApproval()).hasSize(2);

        t.clock.advance(Duration.ofHours(16)); // 09:01 the next morning: a third would be due, but approvalMax is 2
        t.bot.sweepNow();
        assertThat(threadOfApproval()).hasSize(2);
        assertThat(t.slack.messages(APPROVAL_CHANNEL).stream().filter(m -> !m.isReply())).hasSize(topLevel);
        assertThat(trail(id, "remind-approvers")).extracting(AuditEntry::outcome).containsExactly("ok", "ok");
        assertThat(trail(id, "remind-approvers").get(0).detail()).contains("reminder 1 of 2");
    }

    @Test
    void noReminderWhileEveryApproverIsInQuietHoursThenItGoesOutWhenTheyWake() {
        start();
        t.slack.setTimeZone(APPROVER, TOKYO).setTimeZone(APPROVER_2, TOKYO);
        advanceTo(LocalTime.of(15, 0), TOKYO);
        t.requestSampleUser();

        t.clock.advance(Duration.ofHours(5).plusMinutes(1)); // 20:01 in Tokyo
        t.bot.sweepNow();
        t.clock.advance(Duration.ofHours(6)); // 02:01
        t.bot.sweepNow();
        assertThat(threadOfApproval()).isEmpty();

        t.clock.advance(Duration.ofHours(6)); // 08:01
        t.bot.sweepNow();
        assertThat(threadOfApproval()).hasSize(1);
        assertThat(threadOfApproval().get(0).text()).contains("waiting for approval for 17 hours");
    }

    @Test
    void whenSomeApproversSleepTheReminderNamesTheOnesAwake() {
        start();
        t.slack.setTimeZone(APPROVER, TOKYO).setTimeZone(APPROVER_2, LONDON);
        advanceTo(LocalTime.of(18, 0), TOKYO);
        t.requestSampleUser();

        t.clock.advance(Duration.ofHours(4).plusMinutes(1)); // 22:01 in Tokyo, 13:01 in London
        t.bot.sweepNow();

        assertThat(threadOfApproval()).hasSize(1);
        assertThat(threadOfApproval().get(0).text()).contains("<@" + APPROVER_2 + ">").doesNotContain("<@" + APPROVER + ">");
    }

    @Test
    void withoutAnApprovalChannelEachAwakeApproverIsRemindedInTheThreadOfTheirOwnDm() {
        start(Map.of("ONBOARD_APPROVAL_CHANNEL", ""));
        t.slack.setTimeZone(APPROVER, TOKYO).setTimeZone(APPROVER_2, LONDON);
        advanceTo(LocalTime.of(18, 0), TOKYO);
        t.command(REQUESTER, "sampleUser <@" + ALICE + "|alice> groups=developers");
        assertThat(t.awaitFollowUp()).contains("waiting for approval");
        String firstTs = t.slack.messages(dm(APPROVER)).get(0).ts();
        String secondTs = t.slack.messages(dm(APPROVER_2)).get(0).ts();

        t.clock.advance(Duration.ofHours(4).plusMinutes(1));
        t.bot.sweepNow();

        assertThat(t.slack.replies(dm(APPROVER_2), secondTs)).hasSize(1);
        assertThat(t.slack.replies(dm(APPROVER), firstTs)).isEmpty();
    }

    @Test
    void twoReplicasSweepingAtOnceSendEachReminderOnce() throws Exception {
        start();
        advanceTo(LocalTime.of(9, 0), LONDON);
        String id = t.requestSampleUser();
        t.clock.advance(Duration.ofHours(4).plusMinutes(1));

        try (Bot second = t.replica()) {
            ExecutorService pool = Executors.newFixedThreadPool(4);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> sweeps = List.of(
                    pool.submit(() -> { go.await(); return t.bot.sweepNow(); }),
                    pool.submit(() -> { go.await(); return second.sweepNow(); }),
                    pool.submit(() -> { go.await(); return t.bot.sweepNow(); }),
                    pool.submit(() -> { go.await(); return second.sweepNow(); }));
            go.countDown();
            for (Future<?> f : sweeps) {
                f.get();
            }
            pool.shutdown();
        }

        assertThat(threadOfApproval()).hasSize(1);
        assertThat(trail(id, "remind-approvers")).hasSize(1);
    }

    @Test
    void aDecidedRequestIsNoLongerReminded() {
        start();
        advanceTo(LocalTime.of(9, 0), LONDON);
        String id = t.requestSampleUser();
        t.approve(APPROVER, id);
        t.awaitStatus(id, Status.AWAITING_MFA);

        t.clock.advance(Duration.ofHours(4).plusMinutes(1));
        t.bot.sweepNow();

        assertThat(threadOfApproval()).isEmpty();
        assertThat(trail(id, "remind-approvers")).isEmpty();
    }

    @Test
    void aReminderSentBeforeARestartIsNotSentAgainAndOneThatFailedIsNotRetried() {
        start();
        advanceTo(LocalTime.of(9, 0), LONDON);
        String id = t.requestSampleUser();
        t.clock.advance(Duration.ofHours(4).plusMinutes(1));
        t.bot.sweepNow();
        assertThat(threadOfApproval()).hasSize(1);

        t.restart();
        t.bot.sweepNow();
        assertThat(threadOfApproval()).hasSize(1);

        // The second is recorded before it is sent; Slack refusing it is audited, not retried (a nudge lost, never two).
        t.clock.advance(Duration.ofHours(4));
        t.slack.failNext("chat.postMessage", 1, "fatal_error");
        t.bot.sweepNow();
        t.bot.sweepNow();
        assertThat(threadOfApproval()).hasSize(1);
        assertThat(trail(id, "remind-approvers")).extracting(AuditEntry::outcome).containsExactly("ok", "fatal_error");
    }

    @Test
    void aSetupWaitingForThePersonRemindsThemAtTwoAndTwentyHoursSayingHowLongIsLeft() {
        start();
        String id = t.requestSampleUser();
        t.approve(APPROVER, id);
        t.awaitStatus(id, Status.AWAITING_MFA);
        int before = t.slack.messages(dm(ALICE)).size();

        t.clock.advance(Duration.ofHours(1).plusMinutes(59));
        t.bot.sweepNow();
        assertThat(t.slack.messages(dm(ALICE))).hasSize(before);

        t.clock.advance(Duration.ofMinutes(2));
        t.bot.sweepNow();
        t.bot.sweepNow();
        assertThat(t.slack.messages(dm(ALICE))).hasSize(before + 1);
        assertThat(last(dm(ALICE))).contains("Reminder", "`sampleUser`", "expires in 21 hours");

        t.clock.advance(Duration.ofHours(18));
        t.bot.sweepNow();
        assertThat(t.slack.messages(dm(ALICE))).hasSize(before + 2);
        assertThat(last(dm(ALICE))).contains("expires in 3 hours");

        t.clock.advance(Duration.ofHours(3));
        t.bot.sweepNow();
        assertThat(t.slack.messages(dm(ALICE))).hasSize(before + 2);
        assertThat(trail(id, "remind-person")).hasSize(2);
    }

    @Test
    void aSetupFinishedBeforeItsReminderGetsNone() {
        start();
        String id = t.requestSampleUser();
        t.approve(APPROVER, id);
        t.finishSetup(id);
        await().atMost(Duration.ofSeconds(20)).until(() -> t.request(id).status() == Status.DONE);
        int before = t.slack.messages(dm(ALICE)).size();

        t.clock.advance(Duration.ofHours(21));
        t.bot.sweepNow();

        assertThat(t.slack.messages(dm(ALICE))).hasSize(before);
        Request done = t.request(id);
        assertThat(trail(done.id(), "remind-person")).isEmpty();
    }

    private String last(String channel) {
        List<FakeSlack.Message> messages = t.slack.messages(channel);
        return messages.get(messages.size() - 1).text();
    }
}
