package dev.awsonboard.e2e;

import dev.awsonboard.Bot;
import dev.awsonboard.fakes.SlackRequests;
import dev.awsonboard.lifecycle.model.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
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
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Double clicks, two approvers at once, Slack re-deliveries and two replicas on one
 * database: whatever arrives, one request makes one IAM user.
 */
class ConcurrentApprovalsTest {
    private static final int CLICKS = 60;
    private static final int REDELIVERIES = 20;

    @TempDir
    Path dir;

    @Test
    void manyConcurrentApproveClicksRetriesAndTwoReplicasCreateExactlyOneUser() throws Exception {
        try (TestBot t = TestBot.start(dir)) {
            clickStorm(t, "sqlite");
        }
    }

    /** 60 clicks and 20 re-deliveries at once, spread over two bot processes on t's database. */
    static void clickStorm(TestBot t, String database) throws Exception {
        try (Bot second = t.replica()) {
            String id = t.requestSampleUser();
            SlackRequests toSecond = t.sendTo(second);
            String ts = t.approvalMessage().ts();
            String body = t.send.blockActionBody(APPROVER, "onboard_approve", id, APPROVAL_CHANNEL, ts, "trigger-dup");

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

            ExecutorService pool = Executors.newFixedThreadPool(16);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<HttpResponse<String>>> results = new ArrayList<>();
            for (Callable<HttpResponse<String>> c : calls) {
                results.add(pool.submit(() -> {
                    go.await();
                    return c.call();
                }));
            }
            go.countDown();
            int ok = 0;
            for (Future<HttpResponse<String>> f : results) {
                if (f.get().statusCode() == 200) {
                    ok++;
                }
            }
            pool.shutdown();

            t.awaitStatus(id, Status.AWAITING_MFA);
            int createUser = t.iam.callCount("CreateUser");
            int loginProfiles = t.iam.callCount("CreateLoginProfile");
            int devices = t.iam.callCount("CreateVirtualMFADevice");
            int approveDecisions = (int) t.bot.store().auditTrail(id).stream()
                    .filter(e -> e.action().equals("approve") && e.outcome().equals("ok")).count();
            System.out.printf("concurrency (%s): %d approve clicks + %d Slack re-deliveries over 2 replicas -> %d answered 200;"
                            + " CreateUser=%d CreateLoginProfile=%d CreateVirtualMFADevice=%d approvals recorded=%d%n",
                    database, CLICKS, REDELIVERIES, ok, createUser, loginProfiles, devices, approveDecisions);

            assertThat(ok).isEqualTo(CLICKS + REDELIVERIES);
            assertThat(createUser).isEqualTo(1);
            assertThat(loginProfiles).isEqualTo(1);
            assertThat(devices).isEqualTo(1);
            assertThat(approveDecisions).isEqualTo(1);
            assertThat(t.slack.uploadedFiles().stream().filter(f -> f.channels().contains(TestBot.dm(ALICE)))).hasSize(1);

            t.finishSetup(id);
            assertThat(t.request(id).status()).isEqualTo(Status.DONE);
        }
    }

    @Test
    void sweepsOnTwoReplicasAtOnceResumeAnApprovedRequestOnce() throws Exception {
        try (TestBot t = TestBot.start(dir); Bot second = t.replica()) {
            String id = t.requestSampleUser();
            var r = t.request(id);
            // Approved but never started, as if the approving process died right after the decision.
            t.bot.store().replace(r, r.withApprover(APPROVER, r.updatedAt()).withStatus(Status.APPROVED, r.updatedAt())).orElseThrow();

            ExecutorService pool = Executors.newFixedThreadPool(2);
            CountDownLatch go = new CountDownLatch(1);
            Future<?> a = pool.submit(() -> { go.await(); return t.bot.sweepNow(); });
            Future<?> b = pool.submit(() -> { go.await(); return second.sweepNow(); });
            go.countDown();
            a.get();
            b.get();
            pool.shutdown();

            t.awaitStatus(id, Status.AWAITING_MFA);
            System.out.printf("concurrency: 2 replicas sweeping one approved request -> CreateUser=%d CreateVirtualMFADevice=%d%n",
                    t.iam.callCount("CreateUser"), t.iam.callCount("CreateVirtualMFADevice"));
            assertThat(t.iam.callCount("CreateUser")).isEqualTo(1);
            assertThat(t.iam.callCount("CreateVirtualMFADevice")).isEqualTo(1);
        }
    }
}
