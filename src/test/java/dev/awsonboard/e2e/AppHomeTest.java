package dev.awsonboard.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.awsonboard.lifecycle.model.Kind;
import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.lifecycle.model.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.awsonboard.e2e.TestBot.ALICE;
import static dev.awsonboard.e2e.TestBot.APPROVAL_CHANNEL;
import static dev.awsonboard.e2e.TestBot.APPROVER;
import static dev.awsonboard.e2e.TestBot.APPROVER_2;
import static dev.awsonboard.e2e.TestBot.MALLORY;
import static dev.awsonboard.e2e.TestBot.REQUESTER;
import static dev.awsonboard.e2e.TestBot.dm;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The App Home tab through signed Slack requests: what each person sees, its buttons behaving as the
 * messages' own, redraws when something of theirs changes, and what it costs Slack.
 */
class AppHomeTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

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

    /** Waits until nothing more is published for {@code user} for two seconds, and returns how many were. */
    private int settledPublishes(String user) {
        AtomicInteger last = new AtomicInteger(-1);
        await().atMost(WAIT).during(Duration.ofSeconds(2)).until(() -> {
            int n = t.homePublishes(user);
            return last.getAndSet(n) == n;
        });
        return t.homePublishes(user);
    }

    @Test
    void personSeesTheirSetupWithItsNextStepsAndItsButtonsWorkAsInTheirDm() {
        String id = t.requestSampleUser();
        t.approve(APPROVER, id);
        t.awaitStatus(id, Status.AWAITING_MFA);

        String home = t.openHome(ALICE).toString();

        assertThat(home).contains("sampleUser", "MFA off", "waiting for MFA codes", "onboard_enter_codes",
                "onboard_show_password", id).doesNotContain("onboard_approve", "home_reset_mfa");
        int views = t.slack.callCount("views.open");
        t.homeClick(ALICE, "onboard_enter_codes", id);
        assertThat(t.awaitOpenedView(views).path("callback_id").asText()).isEqualTo("onboard_codes_modal");

        // MFA on: her Home is redrawn without her opening it again, and now offers the resets.
        t.finishSetup(id);
        await().atMost(WAIT).until(() -> t.homeText(ALICE).contains("MFA on"));
        assertThat(t.homeText(ALICE)).contains("home_reset_mfa", "home_reset_password", "Nothing open")
                .doesNotContain("onboard_enter_codes");
    }

    @Test
    void theMessagesTabDrawsNothing() {
        t.send.appHomeOpened(ALICE, "messages");
        // Publishes run one after another on one thread: once bob's is out, alice's would have been too.
        t.openHome(TestBot.BOB);

        assertThat(t.homePublishes(ALICE)).isZero();
    }

    @Test
    void approverSeesTheQueueAndDecidesFromTheirHome() {
        String id = t.requestSampleUser();

        String home = t.openHome(APPROVER).toString();

        assertThat(home).contains("Approvals", "Waiting for approval: *1*", "Waiting for a decision", "needs the console",
                "onboard_approve", "onboard_deny", id);
        t.homeClick(APPROVER, "onboard_approve", id);
        t.awaitStatus(id, Status.AWAITING_MFA);
        assertThat(t.iam.callCount("CreateUser")).isEqualTo(1);
        assertThat(t.approvalMessage().blocks().toString()).contains("Approved by <@" + APPROVER + ">");
        await().atMost(WAIT).until(() -> t.homeText(APPROVER).contains("Waiting for MFA: *1*"));
        assertThat(t.homeText(APPROVER)).contains("Nothing waits for approval", "Latest decisions", "`sampleUser` (onboarding)");
    }

    @Test
    void requesterCancelsFromTheirHomeAndHearsItByDm() {
        String id = t.requestSampleUser();
        assertThat(t.openHome(REQUESTER).toString()).contains("onboard_cancel", id);

        t.homeClick(REQUESTER, "onboard_cancel", id);

        t.awaitStatus(id, Status.CANCELLED);
        // A Home click has no channel to answer in: the confirmation comes by DM.
        await().atMost(WAIT).until(() -> t.slack.messages(dm(REQUESTER)).toString().contains("is cancelled"));
        // The approval message is updated on its own, not before the DM: wait for it too.
        await().atMost(WAIT).until(() -> t.approvalMessage().blocks().toString().contains("Cancelled"));
        assertThat(t.approvalMessage().blocks().toString()).doesNotContain("onboard_approve");
    }

    @Test
    void approvalFromTheHomeRacingApprovalFromTheChannelMakesOneDecision() throws Exception {
        String id = t.requestSampleUser();
        String ts = t.approvalMessage().ts();
        List<Callable<HttpResponse<String>>> clicks = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            clicks.add(() -> t.send.homeButton(APPROVER, "onboard_approve", id, "trigger-home"));
            clicks.add(() -> t.send.blockAction(APPROVER_2, "onboard_approve", id, APPROVAL_CHANNEL, ts, "trigger-channel"));
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<HttpResponse<String>>> answers = new ArrayList<>();
        for (Callable<HttpResponse<String>> click : clicks) {
            answers.add(pool.submit(() -> {
                go.await();
                return click.call();
            }));
        }
        go.countDown();
        for (Future<HttpResponse<String>> a : answers) {
            assertThat(a.get().statusCode()).isEqualTo(200);
        }
        pool.shutdown();

        t.awaitStatus(id, Status.AWAITING_MFA);
        long approvals = t.bot.store().auditTrail(id).stream()
                .filter(e -> e.action().equals("approve") && e.outcome().equals("ok")).count();
        assertThat(approvals).isEqualTo(1);
        assertThat(t.iam.callCount("CreateUser")).isEqualTo(1);
        assertThat(t.request(id).approverUserId()).isIn(APPROVER, APPROVER_2);
    }

    @Test
    void lostPhoneResetAskedFromTheHomeGoesToTheApproversAndTheAnswerComesByDm() {
        String id = t.requestSampleUser();
        t.approve(APPROVER, id);
        t.finishSetup(id);
        assertThat(t.openHome(ALICE).toString()).contains("home_reset_mfa");
        int asked = t.slack.messages(APPROVAL_CHANNEL).size();

        t.homeClick(ALICE, "home_reset_mfa", "sampleUser");

        await().atMost(WAIT).until(() -> t.slack.messages(APPROVAL_CHANNEL).size() > asked);
        Request reset = t.request(t.latestApprovalRequestId());
        assertThat(reset.kind()).isEqualTo(Kind.RESET_MFA);
        assertThat(reset.requesterUserId()).isEqualTo(ALICE);
        assertThat(reset.targetUserId()).isEqualTo(ALICE);
        assertThat(reset.iamUserName()).isEqualTo("sampleUser");
        await().atMost(WAIT).until(() -> t.slack.messages(dm(ALICE)).toString().contains("is waiting for approval"));
        await().atMost(WAIT).until(() -> t.homeText(ALICE).contains("MFA reset request"));
        assertThat(t.homeText(ALICE)).doesNotContain("home_reset_mfa");
    }

    @Test
    void aForgedHomeButtonNamingSomeoneElsesIamUserFilesNothing() {
        String id = t.requestSampleUser();
        t.approve(APPROVER, id);
        t.finishSetup(id);

        t.homeClick(MALLORY, "home_reset_password", "sampleUser");

        await().atMost(WAIT).until(() -> t.slack.messages(dm(MALLORY)).toString().contains("only for yourself"));
        assertThat(t.bot.store().findByIamUserName("sampleUser")).hasSize(1);
    }

    @Test
    void aBurstOfTwentyChangesForOnePersonGivesAtMostTwoPublishes() {
        String id = t.requestSampleUser();
        int before = settledPublishes(ALICE);

        Request r = t.request(id);
        for (int i = 0; i < 20; i++) {
            r = t.bot.store().replace(r, r.withApprovalMessages(r.approvalMessages(), t.clock.instant())).orElseThrow();
        }

        await().atMost(WAIT).until(() -> t.homePublishes(ALICE) > before);
        int burst = settledPublishes(ALICE) - before;
        System.out.printf("App Home: 20 stored changes of one request -> %d views.publish for its person%n", burst);
        assertThat(burst).isBetween(1, 2);
    }

    @Test
    void redrawsNobodyAskedForNameTheUsersFromRecordsAndAskIamNothing() {
        String id = t.requestSampleUser();
        t.approve(APPROVER, id);
        t.finishSetup(id);
        settledPublishes(ALICE);
        int iamCalls = t.iam.calls().size();

        Request r = t.request(id);
        t.bot.store().replace(r, r.withApprovalMessages(r.approvalMessages(), t.clock.instant())).orElseThrow();
        int before = t.homePublishes(ALICE);
        await().atMost(WAIT).until(() -> t.homePublishes(ALICE) > before);
        settledPublishes(ALICE);

        assertThat(t.iam.calls()).hasSize(iamCalls);
        assertThat(t.homeText(ALICE)).contains("`sampleUser`", "open this tab again").doesNotContain("MFA on");
        // Opening the tab asks IAM.
        assertThat(t.openHome(ALICE).toString()).contains("MFA on").doesNotContain("open this tab again");
        assertThat(t.iam.calls().size()).isGreaterThan(iamCalls);
    }

    @Test
    void aRateLimitedPublishWaitsRetryAfterAndStillDrawsTheHome() {
        t.slack.rateLimitNext("views.publish", 1, 7);
        long paused = t.pauses.get();

        assertThat(t.openHome(ALICE).toString()).contains("AWS access");

        assertThat(t.pauses.get() - paused).isGreaterThanOrEqualTo(7_000);
    }
}
