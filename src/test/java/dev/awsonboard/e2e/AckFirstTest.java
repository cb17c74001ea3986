package dev.awsonboard.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.awsonboard.fakes.FakeSlack;
import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.lifecycle.model.Status;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static dev.awsonboard.e2e.TestBot.ALICE;
import static dev.awsonboard.e2e.TestBot.APPROVAL_CHANNEL;
import static dev.awsonboard.e2e.TestBot.APPROVER;
import static dev.awsonboard.e2e.TestBot.BOB;
import static dev.awsonboard.e2e.TestBot.REQUESTER;
import static dev.awsonboard.e2e.TestBot.dm;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Slack hears back before any remote call: every acknowledgement here is answered while the IAM
 * fake (and, for clicks, the Slack fake too) parks every request it gets, so an ack that waited
 * for either would time out. What the ack promised happens once they answer, or reaches the
 * requester when they fail; a stop between the ack and the work loses nothing.
 */
class AckFirstTest {
    private static final String SAMPLE = "sampleUser <@" + ALICE + "|alice> groups=developers needs the console";

    @TempDir
    Path dir;
    TestBot t;

    // The stop test leaves a worker of the stopped bot parked in IAM; once let go it fails on its
    // closed database, which is what a stopped process does. Awaitility would rethrow that here.
    @BeforeAll
    static void letStoppedWorkersFail() {
        Awaitility.doNotCatchUncaughtExceptionsByDefault();
    }

    // Only what this class changed: reset() would also put back the 100 ms polling that TestBot
    // turns off, and the suites after this one (HostileInputTest: 1,200 tries) would crawl.
    @AfterAll
    static void catchUncaughtExceptionsAgain() {
        Awaitility.catchUncaughtExceptionsByDefault();
    }

    @BeforeEach
    void start() {
        t = TestBot.start(dir);
    }

    @AfterEach
    void stop() {
        t.iam.releaseAll();
        t.slack.releaseAll();
        t.close();
    }

    @Test
    void aSlashCommandIsAckedWhileIamIsHeldAndTheFollowUpComesOnlyAfterRelease() {
        t.iam.holdAll();

        HttpResponse<String> ack = t.command(REQUESTER, SAMPLE);

        assertThat(ack.statusCode()).isEqualTo(200);
        assertThat(ack.body()).contains("Got it", "sampleUser");
        await().atMost(Duration.ofSeconds(20)).until(() -> t.iam.held() > 0);
        Request stored = only(Status.SUBMITTED);
        assertThat(stored.iamUserName()).isEqualTo("sampleUser");
        assertThat(t.followUps()).isEmpty();
        assertThat(t.slack.messages(APPROVAL_CHANNEL)).isEmpty();

        t.iam.releaseAll();

        assertThat(t.awaitFollowUp()).contains("waiting for approval", stored.id());
        assertThat(t.request(stored.id()).status()).isEqualTo(Status.REQUESTED);
        await().atMost(Duration.ofSeconds(20)).until(() -> t.slack.messages(APPROVAL_CHANNEL).size() == 1);
    }

    @Test
    void theChecksRunOnLowestPriorityThreadsAndTheAcknowledgementsDoNot() {
        t.iam.holdAll();

        assertThat(t.command(REQUESTER, SAMPLE).body()).contains("Got it");
        await().atMost(Duration.ofSeconds(20)).until(() -> t.iam.held() > 0);

        // bin/aws-onboard maps the lowest priority to the nicest OS priority: under a burst the
        // cores go to acknowledgements first, and the checks catch up after it.
        Map<String, List<Integer>> priorities = Thread.getAllStackTraces().keySet().stream()
                .filter(th -> th.getName().matches("(onboard-(worker|home|sweeper|interactive)|JettyServerThreadPool)-.*"))
                .collect(Collectors.groupingBy(th -> th.getName().replaceAll("-[0-9].*", ""),
                        Collectors.mapping(Thread::getPriority, Collectors.toList())));
        assertThat(priorities.get("onboard-worker")).isNotEmpty().containsOnly(Thread.MIN_PRIORITY);
        assertThat(priorities.get("onboard-home")).isNotEmpty().containsOnly(Thread.MIN_PRIORITY);
        assertThat(priorities.get("onboard-sweeper")).isNotEmpty().containsOnly(Thread.MIN_PRIORITY);
        assertThat(priorities.get("JettyServerThreadPool")).isNotEmpty().doesNotContain(Thread.MIN_PRIORITY);
        t.iam.releaseAll();
    }

    @Test
    void anIamFailureAfterTheAckReachesTheRequesterThroughTheResponseUrl() {
        t.iam.throttleEverything(true);

        HttpResponse<String> ack = t.command(REQUESTER, SAMPLE);

        assertThat(ack.body()).contains("Got it");
        String followUp = t.awaitFollowUp();
        assertThat(followUp).contains("could not check IAM", "Throttling");
        Request rejected = only(Status.REJECTED);
        assertThat(TestBot.why(rejected)).contains("Throttling");
        // Retried until the budget ran out (the test's pauses only count), then given up.
        assertThat(t.iam.callCount("GetUser")).isGreaterThan(1);
        assertThat(t.pauses.get()).isPositive().isLessThanOrEqualTo(30_000);
        assertThat(t.slack.messages(APPROVAL_CHANNEL)).isEmpty();
    }

    @Test
    void aRequestAckedBeforeAStopIsCheckedAfterTheRestartAndPutBeforeTheApproversOnce() {
        t.iam.holdAll();
        assertThat(t.command(REQUESTER, SAMPLE).body()).contains("Got it");
        await().atMost(Duration.ofSeconds(20)).until(() -> t.iam.held() > 0);
        String id = only(Status.SUBMITTED).id();

        // A stop while the check waits on IAM (the stopped bot's worker stays parked there), then a new bot.
        t.restart();
        assertThat(t.request(id).status()).isEqualTo(Status.SUBMITTED);
        t.iam.releaseAll();
        // The stopped worker's claim has to run out before the new bot may take the check over.
        t.clock.advance(Duration.ofMinutes(6));
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            t.bot.sweepNow();
            return t.request(id).status() == Status.REQUESTED;
        });

        await().atMost(Duration.ofSeconds(20)).until(() -> t.slack.messages(dm(REQUESTER)).toString().contains("waiting for approval"));
        List<FakeSlack.Message> asked = t.slack.messages(APPROVAL_CHANNEL);
        assertThat(asked).hasSize(1);
        assertThat(t.latestApprovalRequestId()).isEqualTo(id);
        assertThat(t.slack.calls("chat.postMessage")).filteredOn(c -> APPROVAL_CHANNEL.equals(c.param("channel"))).hasSize(1);
        assertThat(t.request(id).approvalMessages()).hasSize(1);
    }

    @Test
    void buttonClicksAreAckedWhileIamAndSlackAreHeld() {
        String awaiting = t.requestSampleUser();
        t.approve(APPROVER, awaiting);
        t.awaitStatus(awaiting, Status.AWAITING_MFA);
        String requested = t.submit(REQUESTER, "bobUser <@" + BOB + "|bob> needs the console");
        int viewsBefore = t.slack.callCount("views.open");
        t.iam.holdAll();
        t.slack.holdAll();

        HttpResponse<String> approve = t.approve(APPROVER, requested);
        HttpResponse<String> enterCodes = t.click(ALICE, "onboard_enter_codes", awaiting, dm(ALICE));
        HttpResponse<String> showPassword = t.click(ALICE, "onboard_show_password", awaiting, dm(ALICE));

        for (HttpResponse<String> ack : List.of(approve, enterCodes, showPassword)) {
            assertThat(ack.statusCode()).isEqualTo(200);
            assertThat(ack.body()).isEmpty();
        }
        // Decided before the ack (a compare-and-set in the store); nothing reached IAM or Slack yet.
        assertThat(t.request(requested).status()).isIn(Status.APPROVED, Status.PROVISIONING);
        assertThat(t.iam.user("bobUser")).isEmpty();
        assertThat(t.slack.callCount("views.open")).isEqualTo(viewsBefore);

        t.slack.releaseAll();
        t.iam.releaseAll();

        t.awaitStatus(requested, Status.AWAITING_MFA);
        assertThat(t.iam.user("bobUser")).isPresent();
        await().atMost(Duration.ofSeconds(20)).until(() -> t.slack.views().stream()
                .anyMatch(v -> v.path("callback_id").asText().equals("onboard_codes_modal")));
        // The reveal modal opened at once ("loading") and got the password by views.update once IAM set it.
        await().atMost(Duration.ofSeconds(20)).until(() -> t.slack.views().stream()
                .anyMatch(v -> v.path("blocks").toString().contains("\"password\"")));
        assertThat(t.iam.callCount("UpdateLoginProfile")).isEqualTo(1);
    }

    @Test
    void codesTypedInTheDmAreAckedWhileIamAndSlackAreHeld() {
        String id = t.requestSampleUser();
        t.approve(APPROVER, id);
        t.awaitStatus(id, Status.AWAITING_MFA);
        List<String> codes = t.codesFromQr(ALICE);
        t.iam.holdAll();
        t.slack.holdAll();

        HttpResponse<String> ack = t.send.messageEvent(ALICE, dm(ALICE), codes.get(0) + " " + codes.get(1));

        assertThat(ack.statusCode()).isEqualTo(200);
        assertThat(t.request(id).status()).isEqualTo(Status.AWAITING_MFA);
        assertThat(t.iam.user("sampleUser").orElseThrow().mfaDevices()).isEmpty();

        t.slack.releaseAll();
        t.iam.releaseAll();

        t.awaitStatus(id, Status.DONE);
        assertThat(t.iam.user("sampleUser").orElseThrow().mfaDevices()).containsExactly(t.request(id).mfaSerial());
    }

    @Test
    void theCodesModalSaysCheckingWhenIamIsSlowAndFinishesWithViewsUpdate() {
        t.codesWait = Duration.ofMillis(50);
        t.restart();
        String id = t.requestSampleUser();
        t.approve(APPROVER, id);
        t.awaitStatus(id, Status.AWAITING_MFA);
        int views = t.slack.callCount("views.open");
        t.click(ALICE, "onboard_enter_codes", id, dm(ALICE));
        String viewId = t.awaitOpenedView(views).path("id").asText();
        List<String> codes = t.codesFromQr(ALICE);
        t.iam.holdAll();

        HttpResponse<String> ack = t.send.viewSubmission(ALICE, "onboard_codes_modal", id, java.util.Map.of(
                "code_1", java.util.Map.of("code_1_input", dev.awsonboard.fakes.SlackRequests.plainTextInput(codes.get(0))),
                "code_2", java.util.Map.of("code_2_input", dev.awsonboard.fakes.SlackRequests.plainTextInput(codes.get(1)))), viewId);

        JsonNode answer = t.json(ack);
        assertThat(answer.path("response_action").asText()).isEqualTo("update");
        assertThat(answer.path("view").toString()).contains("Checking your codes with AWS");
        await().atMost(Duration.ofSeconds(20)).until(() -> t.iam.held() > 0);
        assertThat(t.request(id).status()).isEqualTo(Status.AWAITING_MFA);
        assertThat(t.slack.callCount("views.update")).isZero();

        t.iam.releaseAll();

        t.awaitStatus(id, Status.DONE);
        await().atMost(Duration.ofSeconds(20)).until(() -> t.slack.callCount("views.update") == 1);
        assertThat(t.slack.lastCall("views.update").orElseThrow().param("view_id")).isEqualTo(viewId);
        assertThat(t.slack.view(viewId).orElseThrow().toString()).contains("MFA is on");
    }

    @Test
    void provisioningDoesNotWaitForTheApprovalNoticesAndTheApprovalMessageEndsInOrder() {
        String id = t.requestSampleUser();
        FakeSlack.Message approval = t.approvalMessage();
        t.slack.hold("chat.update");

        t.approve(APPROVER, id);

        // Alice has her QR and the request waits for her, while the approvers' message is still being updated.
        t.awaitStatusStored(id, Status.AWAITING_MFA);
        assertThat(t.qrFileFor(ALICE).bytes()).isNotNull();
        await().atMost(Duration.ofSeconds(20)).until(() -> t.slack.held() == 1);
        assertThat(t.slack.callCount("chat.update")).isZero();

        t.slack.releaseAll();

        // First "in progress", then how it ended: never the other way round.
        await().atMost(Duration.ofSeconds(20)).until(() -> t.slack.callCount("chat.update") == 2);
        assertThat(t.slack.calls("chat.update")).extracting(c -> c.param("text") + c.param("blocks"))
                .satisfiesExactly(first -> assertThat(first).contains("Creating the IAM user"),
                        last -> assertThat(last).contains("waiting for"));
        assertThat(t.slack.message(APPROVAL_CHANNEL, approval.ts()).orElseThrow().blocks().toString())
                .contains("set up MFA").doesNotContain("Creating the IAM user");
        // The requester heard it started, then that it is ready.
        await().atMost(Duration.ofSeconds(20)).until(() -> t.slack.messages(dm(REQUESTER)).toString().contains("they have their setup"));
        assertThat(t.slack.messages(dm(REQUESTER)).toString()).contains("being carried out");
    }

    /** The one request in this status; fails when there is none or more. */
    private Request only(Status status) {
        List<Request> found = t.bot.store().findByStatus(EnumSet.of(status));
        assertThat(found).as("requests in " + status).hasSize(1);
        return found.get(0);
    }
}
