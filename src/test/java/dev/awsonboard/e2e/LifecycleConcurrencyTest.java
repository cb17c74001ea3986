package dev.awsonboard.e2e;

import dev.awsonboard.Bot;
import dev.awsonboard.fakes.FakeIam;
import dev.awsonboard.fakes.SlackRequests;
import dev.awsonboard.lifecycle.model.Holding;
import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.lifecycle.model.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.awsonboard.e2e.TestBot.ALICE;
import static dev.awsonboard.e2e.TestBot.APPROVAL_CHANNEL;
import static dev.awsonboard.e2e.TestBot.APPROVER;
import static dev.awsonboard.e2e.TestBot.APPROVER_2;
import static dev.awsonboard.e2e.TestBot.BOB;
import static dev.awsonboard.e2e.TestBot.REQUESTER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Offboarding under the same storms as onboarding: two approvers at once on two replicas with
 * Slack re-deliveries, and requests for one IAM user racing into the store.
 */
class LifecycleConcurrencyTest {
    private static final int CLICKS = 40;
    private static final int REDELIVERIES = 10;
    private static final int SUBMITTERS = 24;

    @TempDir
    Path dir;

    /** Runs every call at once (released together by one latch) and returns their answers. */
    private static List<HttpResponse<String>> allAtOnce(List<Callable<HttpResponse<String>>> calls) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<HttpResponse<String>>> futures = new ArrayList<>();
            for (Callable<HttpResponse<String>> c : calls) {
                futures.add(pool.submit(() -> {
                    go.await();
                    return c.call();
                }));
            }
            go.countDown();
            List<HttpResponse<String>> answers = new ArrayList<>();
            for (Future<HttpResponse<String>> f : futures) {
                answers.add(f.get());
            }
            return answers;
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void twoApproversOnTwoReplicasWithRedeliveriesDeleteTheUserOnce() throws Exception {
        try (TestBot t = TestBot.start(dir); Bot second = t.replica()) {
            List<Holding> plan = OffboardingCrashRecoveryTest.givenAUserHoldingEverything(t, "sampleUser");
            // alice asks to be offboarded herself, so both approvers may approve.
            String id = t.submit(ALICE, "offboard sampleUser leaving today");
            SlackRequests toSecond = t.sendTo(second);
            String ts = t.approvalMessage().ts();
            String body = t.send.blockActionBody(APPROVER, "onboard_approve", id, APPROVAL_CHANNEL, ts, "trigger-dup");
            int before = t.iam.answered().size();

            List<Callable<HttpResponse<String>>> calls = new ArrayList<>();
            for (int i = 0; i < CLICKS; i++) {
                String approver = i % 2 == 0 ? APPROVER : APPROVER_2;
                SlackRequests target = i % 3 == 0 ? toSecond : t.send;
                calls.add(() -> target.blockAction(approver, "onboard_approve", id, APPROVAL_CHANNEL, ts, "trigger-" + approver));
            }
            for (int i = 0; i < REDELIVERIES; i++) {
                int retry = i % 3 + 1;
                SlackRequests target = i % 2 == 0 ? toSecond : t.send;
                calls.add(() -> target.raw(body, "application/x-www-form-urlencoded",
                        Map.of("X-Slack-Retry-Num", String.valueOf(retry), "X-Slack-Retry-Reason", "http_timeout"), target.now(), true));
            }
            long ok = allAtOnce(calls).stream().filter(r -> r.statusCode() == 200).count();

            Request done = t.awaitStatus(id, Status.DONE);
            List<FakeIam.Answered> answered = t.iam.answered();
            var removals = OffboardingCrashRecoveryTest.successfulRemovals(answered.subList(before, answered.size()));
            int deleteUser = t.iam.callCount("DeleteUser");
            long approvals = t.bot.store().auditTrail(id).stream()
                    .filter(e -> e.action().equals("approve") && e.outcome().equals("ok")).count();
            System.out.printf("offboarding concurrency: %d approve clicks by 2 approvers + %d Slack re-deliveries over 2 replicas"
                            + " -> %d answered 200; approvals recorded=%d DeleteUser=%d removals=%d (each item once: %s)%n",
                    CLICKS, REDELIVERIES, ok, approvals, deleteUser, removals.values().stream().mapToLong(Long::longValue).sum(),
                    removals.values().stream().allMatch(n -> n == 1));

            assertThat(ok).isEqualTo(CLICKS + REDELIVERIES);
            assertThat(approvals).isEqualTo(1);
            assertThat(deleteUser).isEqualTo(1);
            assertThat(removals).hasSize(OffboardingCrashRecoveryTest.EXPECTED_REMOVALS).allSatisfy((item, n) -> assertThat(n).as(item).isEqualTo(1));
            assertThat(done.removed()).containsExactlyInAnyOrderElementsOf(plan);
            assertThat(t.iam.user("sampleUser")).isEmpty();
        }
    }

    @Test
    void anApprovalOnAnotherReplicaRunsAtOnceWhileTheChecksStillTellTheRequester() throws Exception {
        try (TestBot t = TestBot.start(dir); Bot second = t.replica()) {
            // The checks end by telling the requester through the response URL: it hangs here,
            // after the request is before the approvers.
            t.slack.hold("response");
            t.command(REQUESTER, "sampleUser <@" + ALICE + "|alice> groups=developers");
            // REQUESTED is stored before the approvers are asked: wait for the stored approval message too
            await().atMost(Duration.ofSeconds(20)).until(() -> t.bot.store().findByStatus(EnumSet.of(Status.REQUESTED)).stream()
                    .anyMatch(r -> !r.approvalMessages().isEmpty()));
            String id = t.bot.store().findByStatus(EnumSet.of(Status.REQUESTED)).get(0).id();
            String ts = t.approvalMessage().ts();

            t.sendTo(second).blockAction(APPROVER, "onboard_approve", id, APPROVAL_CHANNEL, ts, t.trigger());

            t.awaitStatus(id, Status.AWAITING_MFA);
            assertThat(t.slack.held()).as("the requester's reply is still on its way").isEqualTo(1);
            t.slack.releaseAll();
        }
    }

    @Test
    void anOnboardingAndAnOffboardingOfOneIamUserCannotBothGetIn() throws Exception {
        try (TestBot t = TestBot.start(dir); Bot second = t.replica()) {
            OffboardingCrashRecoveryTest.givenAUserHoldingEverything(t, "sampleUser");
            SlackRequests toSecond = t.sendTo(second);
            // The checks after the ack wait at IAM, so no request is rejected (and out of the way) while others arrive.
            t.iam.holdAll();
            List<Callable<HttpResponse<String>>> calls = new ArrayList<>();
            for (int i = 0; i < SUBMITTERS; i++) {
                SlackRequests target = i % 2 == 0 ? toSecond : t.send;
                boolean onboarding = i % 2 == 0;
                String user = onboarding ? REQUESTER : APPROVER;
                String text = onboarding ? "SampleUser <@" + BOB + "|bob> groups=developers" : "offboard sampleuser left";
                String responseId = "race-" + i;
                calls.add(() -> target.slashCommand(user, TestBot.COMMAND, text, t.trigger(), t.slack.responseUrl(responseId)));
            }
            List<HttpResponse<String>> answers = allAtOnce(calls);
            long taken = answers.stream().filter(r -> r.body().contains("Got it")).count();
            long refused = answers.stream().filter(r -> r.body().contains("already an open request")).count();
            List<Request> stored = t.bot.store().findByIamUserName("sampleUser");
            t.iam.releaseAll();
            await().atMost(Duration.ofSeconds(20)).until(() ->
                    t.bot.store().findByStatus(EnumSet.of(Status.SUBMITTED)).isEmpty());
            System.out.printf("pending-request race: %d onboarding and offboarding commands for one IAM user at once over 2 replicas"
                            + " -> %d taken, %d refused as an open request exists, %d stored (%s)%n",
                    SUBMITTERS, taken, refused, stored.size(), stored.stream().map(r -> r.kind().name()).toList());

            assertThat(answers).allMatch(r -> r.statusCode() == 200);
            assertThat(taken).isEqualTo(1);
            assertThat(refused).isEqualTo(SUBMITTERS - 1);
            assertThat(stored).hasSize(1);
        }
    }
}
