package dev.awsonboard.e2e;

import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.lifecycle.model.Status;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.awsonboard.e2e.TestBot.ALICE;
import static dev.awsonboard.e2e.TestBot.APPROVAL_CHANNEL;
import static dev.awsonboard.e2e.TestBot.APPROVER;
import static dev.awsonboard.e2e.TestBot.REQUESTER;
import static dev.awsonboard.e2e.TestBot.dm;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Faults injected into the IAM and Slack fakes on chosen calls: transient ones are
 * survived, permanent ones stop the request, tell people, and clean up.
 */
class FaultInjectionTest {
    private static final AtomicInteger INJECTED = new AtomicInteger();
    private static final AtomicInteger SURVIVED = new AtomicInteger();
    private static final AtomicInteger CLEANED = new AtomicInteger();

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

    @AfterAll
    static void report() {
        System.out.printf("faults: %d faults injected -> %d transient ones survived, %d permanent ones stopped and cleaned up%n",
                INJECTED.get(), SURVIVED.get(), CLEANED.get());
    }

    private void iamFault(String action, int times, String code, int status) {
        t.iam.failNext(action, times, code, status);
        INJECTED.addAndGet(times);
    }

    private void slackFault(String method, int times, String error) {
        t.slack.failNext(method, times, error);
        INJECTED.addAndGet(times);
    }

    private String approveSampleUser() {
        String id = t.requestSampleUser();
        t.approve(APPROVER, id);
        return id;
    }

    private void survives(String id) {
        t.finishSetup(id);
        assertThat(t.request(id).status()).isEqualTo(Status.DONE);
        // However many tries it took, exactly one CreateUser succeeded, and the user is this request's.
        assertThat(t.bot.store().auditTrail(id)).filteredOn(e -> e.action().equals("iam:CreateUser") && e.outcome().equals("ok")).hasSize(1);
        assertThat(t.iam.user("sampleUser").orElseThrow().tags()).containsEntry("aws-onboard:request-id", id);
        assertThat(t.orphanDevices()).isEmpty();
        SURVIVED.incrementAndGet();
    }

    private Request failsAndCleansUp(String id, String reasonPart) {
        Request failed = t.awaitStatus(id, Status.FAILED);
        await().atMost(Duration.ofSeconds(10)).until(() -> t.slack.messages(dm(REQUESTER)).toString().contains("failed"));
        assertThat(TestBot.why(failed)).contains(reasonPart);
        assertThat(t.iam.user("sampleUser")).isEmpty();
        assertThat(t.orphanDevices()).isEmpty();
        assertThat(t.slack.messages(APPROVAL_CHANNEL).get(0).blocks().toString()).contains("Failed");
        CLEANED.incrementAndGet();
        return failed;
    }

    @Test
    void throttlingOnEveryIamStepIsRetriedWithBackoffAndTheFlowCompletes() {
        for (String action : new String[] {"CreateUser", "AddUserToGroup", "GetAccountPasswordPolicy", "CreateLoginProfile", "CreateVirtualMFADevice"}) {
            iamFault(action, 3, "Throttling", 400); // more than the SDK's own retry in tests, so ours is exercised too
        }
        String id = approveSampleUser();
        survives(id);
        assertThat(t.pauses.get()).as("backoff between tries").isPositive();
    }

    @Test
    void iamServerErrorsAreRetriedAndTheFlowCompletes() {
        iamFault("CreateUser", 2, "ServiceFailure", 500);
        iamFault("CreateVirtualMFADevice", 3, "ServiceFailure", 503);
        survives(approveSampleUser());
    }

    @Test
    void approveIsAcknowledgedWhileIamHoldsEveryCall() {
        String id = t.requestSampleUser();
        t.iam.holdAll();
        INJECTED.incrementAndGet();
        assertThat(t.approve(APPROVER, id).statusCode()).isEqualTo(200);
        // The ack came back while IAM answered nothing: CreateUser is parked in the fake, not done.
        await().atMost(Duration.ofSeconds(10)).until(() -> t.iam.held() >= 1);
        assertThat(t.iam.user("sampleUser")).isEmpty();
        assertThat(t.request(id).status()).isIn(Status.APPROVED, Status.PROVISIONING);
        t.iam.releaseAll();
        survives(id);
    }

    @Test
    void limitExceededStopsTheRequestAndRemovesWhatItCreated() {
        iamFault("CreateVirtualMFADevice", 1, "LimitExceeded", 409);
        failsAndCleansUp(approveSampleUser(), "limit");
    }

    @Test
    void accessDeniedStopsTheRequestAndRemovesWhatItCreated() {
        iamFault("CreateLoginProfile", 1, "AccessDenied", 403);
        failsAndCleansUp(approveSampleUser(), "not allowed to call CreateLoginProfile");
    }

    @Test
    void iamNotShowingTheNewUserYetIsWaitedOutAndTheFlowCompletes() {
        // Eventual consistency: right after CreateUser other calls may not see the user for a while.
        t.iam.hideNewEntities(3);
        INJECTED.addAndGet(3);
        survives(approveSampleUser());
        assertThat(t.pauses.get()).as("backoff while IAM caught up").isPositive();
    }

    @Test
    void enablingMfaOnADeviceIamDoesNotShowYetIsWaitedOut() {
        String id = approveSampleUser();
        t.awaitStatus(id, Status.AWAITING_MFA);
        // As if alice were quick: IAM answers EntityTemporarilyUnmodifiable for the new device a few times.
        t.iam.failNext("EnableMFADevice", 2, "EntityTemporarilyUnmodifiable", 409);
        INJECTED.addAndGet(2);
        survives(id);
        assertThat(t.iam.callCount("EnableMFADevice")).isEqualTo(3);
    }

    @Test
    void concurrentModificationOnCleanUpDeletesIsRetriedAndNothingIsLeftBehind() {
        t.slack.failNext("files.completeUploadExternal", 1, "channel_not_found"); // the request fails after the device exists
        t.iam.concurrentModificationOnDeletes(3);
        INJECTED.addAndGet(4);
        failsAndCleansUp(approveSampleUser(), "channel_not_found");
    }

    @Test
    void groupThatStaysMissingStopsTheRequestAndRemovesWhatItCreated() {
        iamFault("AddUserToGroup", 1000, "NoSuchEntity", 404);
        failsAndCleansUp(approveSampleUser(), "NoSuchEntity");
    }

    @Test
    void userCreatedMeanwhileBySomeoneElseIsNeverTouched() {
        String id = t.requestSampleUser();
        t.preexistingIamUser("sampleUser", Map.of("owner", "someone-else"));
        INJECTED.incrementAndGet();
        t.approve(APPROVER, id);
        Request failed = t.awaitStatus(id, Status.FAILED);
        await().atMost(Duration.ofSeconds(10)).until(() -> t.slack.messages(dm(REQUESTER)).toString().contains("failed"));
        assertThat(TestBot.why(failed)).contains("IAM user `sampleUser` already exists");
        assertThat(t.iam.user("sampleUser").orElseThrow().tags()).containsEntry("owner", "someone-else");
        assertThat(t.iam.callCount("DeleteUser")).isZero();
        CLEANED.incrementAndGet();
    }

    @Test
    void slackRateLimitsAndServerErrorsAreRetried() {
        t.slack.rateLimitNext("conversations.open", 2, 3);
        t.slack.serverErrorNext("chat.postMessage", 2, 503);
        t.slack.rateLimitNext("files.getUploadURLExternal", 1, 1);
        INJECTED.addAndGet(5);
        String id = approveSampleUser();
        survives(id);
        assertThat(t.pauses.get()).as("waited Retry-After at least").isGreaterThanOrEqualTo(3000);
    }

    @Test
    void approvalChannelMissingIsReportedToTheRequesterAndNothingIsLeftOpen() {
        slackFault("chat.postMessage", 1, "channel_not_found");
        var r = t.command(REQUESTER, "sampleUser <@" + ALICE + "|alice>");
        assertThat(r.body()).contains("Got it");
        assertThat(t.awaitFollowUp()).contains("could not ask the approvers", "channel_not_found");
        assertThat(t.bot.store().findOpenByIamUserName("sampleUser")).isEmpty();
        assertThat(t.iam.callCount("CreateUser")).isZero();
        CLEANED.incrementAndGet();
    }

    @Test
    void personWhoCannotBeDmedStopsTheRequestAndRemovesWhatItCreated() {
        // The first DM opened is the requester's "approved" note (told, not fatal); the second is alice's setup.
        // user_not_visible is what conversations.open answers for a person the bot may not reach ("The calling
        // user is restricted from seeing the requested user", docs.slack.dev/reference/methods/conversations.open);
        // cannot_dm_bot is only ever said about bot users.
        slackFault("conversations.open", 2, "user_not_visible");
        String id = approveSampleUser();
        failsAndCleansUp(id, "user_not_visible");
        // The requester who could not be told is on the record, not silently dropped.
        assertThat(t.bot.store().auditTrail(id))
                .anyMatch(e -> e.action().equals("slack:notify-decision") && e.outcome().equals("user_not_visible"));
    }

    @Test
    void qrDeleteFailureDoesNotUndoAnEnabledMfa() {
        String id = approveSampleUser();
        t.awaitStatus(id, Status.AWAITING_MFA);
        slackFault("files.delete", 4, "internal_error");
        t.finishSetup(id);
        Request done = t.request(id);
        assertThat(done.status()).isEqualTo(Status.DONE);
        assertThat(t.bot.store().auditTrail(id)).anyMatch(e -> e.action().equals("slack:delete-qr") && e.outcome().equals("internal_error"));
        SURVIVED.incrementAndGet();
    }

    @Test
    void aQrDeletionSlackRefusesStaysOwedAndIsRetriedUntilConfirmedEvenAcrossARestart() {
        String id = approveSampleUser();
        t.awaitStatus(id, Status.AWAITING_MFA);
        String qr = t.qrFileFor(ALICE).id();
        // Slack refuses the deletion when MFA goes on, and again at the first sweep after a restart.
        slackFault("files.delete", 2, "internal_error");
        t.finishSetup(id);
        assertThat(t.slack.isDeleted(qr)).isFalse();
        assertThat(metric("aws_onboard_qr_files_alive")).isEqualTo(1.0);

        t.restart();
        assertThat(t.bot.sweepNow().filesDeleted()).isZero(); // Slack still refuses
        assertThat(t.slack.isDeleted(qr)).isFalse();
        assertThat(t.bot.sweepNow().filesDeleted()).isEqualTo(1);
        assertThat(t.slack.isDeleted(qr)).isTrue();
        assertThat(metric("aws_onboard_qr_files_alive")).isZero();
        assertThat(t.bot.sweepNow().filesDeleted()).isZero(); // settled: not tried again
        SURVIVED.incrementAndGet();
    }

    private double metric(String name) {
        try {
            String text = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + t.bot.port() + "/metrics")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            return text.lines().filter(l -> l.startsWith(name + " ")).mapToDouble(l -> Double.parseDouble(l.substring(name.length() + 1)))
                    .findFirst().orElseThrow(() -> new AssertionError(name + " not in /metrics"));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
