package dev.awsonboard.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.awsonboard.Bot;
import dev.awsonboard.config.ConfigLoader;
import dev.awsonboard.fakes.FakeIam;
import dev.awsonboard.fakes.FakeSlack;
import dev.awsonboard.fakes.FakeSocketMode;
import dev.awsonboard.fakes.SlackRequests;
import dev.awsonboard.fakes.Totp;
import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.lifecycle.CrashProbe;
import dev.awsonboard.lifecycle.model.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.awsonboard.e2e.TestBot.ALICE;
import static dev.awsonboard.e2e.TestBot.APPROVAL_CHANNEL;
import static dev.awsonboard.e2e.TestBot.APPROVER;
import static dev.awsonboard.e2e.TestBot.NOW;
import static dev.awsonboard.e2e.TestBot.REQUESTER;
import static dev.awsonboard.e2e.TestBot.dm;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The whole flow in Socket Mode (SLACK_APP_TOKEN set): the bot asks the fake Slack's
 * {@code apps.connections.open} for a websocket URL with the app-level token, connects to the fake
 * Socket Mode server, gets its hello, and then the command, the Approve click and the codes modal
 * arrive as envelopes; the answers Slack shows come back in the acks. No HTTP request reaches
 * {@code /slack/events}; {@code /healthz} still answers.
 */
class SocketModeEndToEndTest {
    static final String APP_TOKEN = "xapp-1-A0001-test-token";

    @TempDir
    Path dir;
    FakeIam iam;
    FakeSlack slack;
    FakeSocketMode socket;
    SlackRequests bodies;
    Map<String, String> env;
    Bot bot;
    CapturedLogs logs;
    private final AtomicInteger ids = new AtomicInteger();

    @BeforeEach
    void start() {
        logs = CapturedLogs.attach();
        iam = FakeIam.start(Clock.fixed(NOW, ZoneOffset.UTC), 42);
        iam.createGroup("developers");
        slack = FakeSlack.start();
        TestBot.workspace(slack);
        socket = FakeSocketMode.start();
        slack.socketMode(APP_TOKEN, socket::newUrl);
        // Only the body builders are used: nothing is POSTed in Socket Mode, so the address and secret are never used.
        bodies = new SlackRequests(URI.create("http://127.0.0.1:9"), "unused-in-socket-mode", Clock.systemUTC(), slack);
        env = new HashMap<>();
        env.put("SLACK_BOT_TOKEN", slack.botToken());
        env.put("SLACK_SIGNING_SECRET", TestBot.SIGNING_SECRET);
        env.put("SLACK_APP_TOKEN", APP_TOKEN);
        env.put("SLACK_API_URL", slack.apiUrl());
        env.put("PORT", "0");
        env.put("DATABASE_URL", "jdbc:sqlite:" + dir.resolve("onboard.db"));
        env.put("ONBOARD_APPROVERS", APPROVER + "," + TestBot.APPROVER_2);
        env.put("ONBOARD_APPROVAL_CHANNEL", APPROVAL_CHANNEL);
        env.put("AWS_ENDPOINT_URL_IAM", iam.endpoint().toString());
        env.put("ONBOARD_CONFIG", TestBot.writeConfig(dir, "groups: [developers, readonly]\n").toString());
        bot = startBot();
    }

    private Bot startBot() {
        return Bot.start(ConfigLoader.load(env), new Bot.Overrides(Clock.systemUTC(), () -> "req-" + ids.incrementAndGet(),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "test-secret-key")), 1, "127.0.0.1",
                millis -> { }, CrashProbe.NONE, Duration.ofHours(1)));
    }

    @AfterEach
    void stop() {
        if (bot != null) {
            bot.close();
        }
        socket.close();
        slack.close();
        iam.close();
        logs.close();
    }

    @Test
    void slashCommandApprovalAndCodesOverTheWebsocketLeaveAnActiveUserWithTheAnswersInTheAcks() throws Exception {
        // Connected with the app-level token to a URL apps.connections.open handed out, and greeted.
        awaitConnected();
        List<FakeSlack.Call> opens = slack.calls("apps.connections.open");
        assertThat(opens).isNotEmpty().allSatisfy(c -> assertThat(c.token()).isEqualTo(APP_TOKEN));
        assertThat(socket.acceptedConnections()).hasSize(1).allSatisfy(p -> assertThat(p).startsWith("/link?ticket="));
        assertThat(healthz()).isEqualTo(200);

        // 1. The command: the ack's payload is the ephemeral answer Slack shows the requester.
        FakeSocketMode.Ack asked = ack(socket.sendSlashCommand(bodies.slashCommandBody(REQUESTER, SlackRequests.DEFAULT_CHANNEL_ID,
                TestBot.COMMAND, "sampleUser <@" + ALICE + "|alice> groups=developers needs the console", trigger(),
                slack.responseUrl("cmd-1"))));
        assertThat(asked.payload().path("text").asText()).contains("Got it");
        assertThat(asked.payload().path("response_type").asText("ephemeral")).isEqualTo("ephemeral");
        // The checks ran after the ack; their outcome came through the command's response URL.
        await().atMost(Duration.ofSeconds(20)).until(() -> slack.responses().toString().contains("waiting for approval"));
        String id = latestApprovalRequestId();
        assertThat(slack.messages(APPROVAL_CHANNEL).get(0).blocks().toString()).contains("<@" + REQUESTER + ">", "sampleUser");

        // 2. Approve, as an interactive envelope: a bare ack, then provisioning in the background.
        String ts = slack.messages(APPROVAL_CHANNEL).get(0).ts();
        FakeSocketMode.Ack approved = ack(socket.sendInteractive(FakeSocketMode.interactivePayload(
                bodies.blockActionBody(APPROVER, "onboard_approve", id, APPROVAL_CHANNEL, ts, trigger()))));
        assertThat(approved.envelopeId()).isNotBlank();
        assertThat(approved.hasPayload()).isFalse();
        Request waiting = awaitStatus(id, Status.AWAITING_MFA);
        assertThat(iam.user("sampleUser").orElseThrow().groups()).containsExactly("developers");

        // 3. alice scans the QR from her DM and submits two codes in the modal; the ack updates the modal.
        byte[] qr = qrBytes();
        String seed = TestBot.scanSeed(qr);
        assertThat(seed).isEqualTo(iam.seedOf(waiting.mfaSerial()));
        List<String> codes = Totp.twoConsecutiveCodes(seed, NOW);
        FakeSocketMode.Ack submitted = ack(socket.sendInteractive(FakeSocketMode.interactivePayload(
                bodies.viewSubmissionBody(ALICE, "onboard_codes_modal", id, Map.of(
                        "code_1", Map.of("code_1_input", SlackRequests.plainTextInput(codes.get(0))),
                        "code_2", Map.of("code_2_input", SlackRequests.plainTextInput(codes.get(1)))), "VCODES1"))));
        assertThat(submitted.payload().path("response_action").asText()).isEqualTo("update");
        assertThat(submitted.payload().path("view").toString()).contains("MFA is on");
        assertThat(bot.store().find(id).orElseThrow().status()).isEqualTo(Status.DONE);
        assertThat(iam.user("sampleUser").orElseThrow().mfaDevices()).containsExactly(waiting.mfaSerial());

        // Socket Mode acks are timed like HTTP ones.
        String metrics = get("/metrics");
        assertThat(metrics).contains("aws_onboard_slack_ack_seconds_count{type=\"Command\"} 1\n",
                "aws_onboard_slack_ack_seconds_count{type=\"ViewSubmission\"} 1\n");

        // Every envelope was acked exactly once, nothing else came back, and no secret was logged.
        assertThat(socket.strayMessages()).isEmpty();
        assertThat(logs.all()).doesNotContain(APP_TOKEN, slack.botToken(), seed);
    }

    @Test
    void codesRepliedInTheDmArriveAsAFirstDeliveryEventAndEnableMfa() throws Exception {
        awaitConnected();
        String id = requestAndApprove();
        awaitStatus(id, Status.AWAITING_MFA);
        List<String> codes = Totp.twoConsecutiveCodes(TestBot.scanSeed(qrBytes()), NOW);

        // Slack marks a first delivery retry_attempt 0: it must be handled, not taken for a redelivery.
        FakeSocketMode.Ack acked = ack(socket.sendEvent(bodies.messageEventBody(ALICE, dm(ALICE), codes.get(0) + " " + codes.get(1))));
        assertThat(acked.hasPayload()).isFalse();
        awaitStatus(id, Status.DONE);
        await().atMost(Duration.ofSeconds(10)).until(() -> slack.messages(dm(ALICE)).toString().contains("MFA is enabled"));
    }

    @Test
    void aRedeliveryOfAnEventNeverHandledIsHandledOnceAndLaterCopiesAreDropped() throws Exception {
        awaitConnected();
        String id = requestAndApprove();
        awaitStatus(id, Status.AWAITING_MFA);
        List<String> codes = Totp.twoConsecutiveCodes(TestBot.scanSeed(qrBytes()), NOW);
        String body = bodies.messageEventBody(ALICE, dm(ALICE), codes.get(0) + " " + codes.get(1));

        // The first delivery died with the bot (never arrived here): Slack's retry is the one to handle.
        FakeSocketMode.Ack acked = ack(socket.sendEvent(body, 1, "timeout"));
        assertThat(acked.hasPayload()).isFalse();
        awaitStatus(id, Status.DONE);
        // Slack's next retry of the same event (same event_id) is acked and dropped: IAM sees the codes once.
        ack(socket.sendEvent(body, 2, "timeout"));
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
                .until(() -> iam.callCount("EnableMFADevice") == 1);
    }

    @Test
    void slacksRefreshRequestMakesTheBotReconnectToAFreshUrlAndKeepServing() throws Exception {
        awaitConnected();
        int opensBefore = slack.callCount("apps.connections.open");

        socket.requestRefresh();
        await().atMost(Duration.ofSeconds(15)).until(() -> socket.acceptedConnections().size() == 2 && socket.openConnections() == 1);
        assertThat(slack.callCount("apps.connections.open")).isGreaterThan(opensBefore);
        assertThat(socket.rejectedConnections()).isZero();

        FakeSocketMode.Ack asked = ack(socket.sendSlashCommand(bodies.slashCommandBody(REQUESTER, SlackRequests.DEFAULT_CHANNEL_ID,
                TestBot.COMMAND, "help", trigger(), slack.responseUrl("cmd-help"))));
        assertThat(asked.payload().path("text").asText()).contains("/aws-onboard");
    }

    @Test
    void anAppTokenSlackRefusesStopsTheStartWithSlacksErrorAndWithoutTheToken() {
        bot.close();
        bot = null;
        env.put("SLACK_APP_TOKEN", "xapp-1-A0001-revoked-token");

        assertThatThrownBy(this::startBot)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("apps.connections.open")
                .hasMessageContaining("invalid_auth")
                .hasMessageContaining("SLACK_APP_TOKEN")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("revoked-token"));
    }

    // ------------------------------------------------------------------ helpers

    private void awaitConnected() {
        await().atMost(Duration.ofSeconds(15)).until(() -> socket.openConnections() == 1);
    }

    private static FakeSocketMode.Ack ack(CompletableFuture<FakeSocketMode.Ack> future) throws Exception {
        // Slack waits 3 seconds for an ack; the fakes are local, so anything close to that is a failure.
        return future.get(10, TimeUnit.SECONDS);
    }

    private String requestAndApprove() throws Exception {
        FakeSocketMode.Ack asked = ack(socket.sendSlashCommand(bodies.slashCommandBody(REQUESTER, SlackRequests.DEFAULT_CHANNEL_ID,
                TestBot.COMMAND, "sampleUser <@" + ALICE + "|alice> groups=developers", trigger(), slack.responseUrl("cmd-1"))));
        assertThat(asked.payload().path("text").asText()).contains("Got it");
        await().atMost(Duration.ofSeconds(20)).until(() -> !slack.messages(APPROVAL_CHANNEL).isEmpty());
        String id = latestApprovalRequestId();
        String ts = slack.messages(APPROVAL_CHANNEL).get(0).ts();
        ack(socket.sendInteractive(FakeSocketMode.interactivePayload(
                bodies.blockActionBody(APPROVER, "onboard_approve", id, APPROVAL_CHANNEL, ts, trigger()))));
        return id;
    }

    private String latestApprovalRequestId() {
        List<FakeSlack.Message> posted = slack.messages(APPROVAL_CHANNEL);
        assertThat(posted).isNotEmpty();
        for (JsonNode block : posted.get(posted.size() - 1).blocks()) {
            if ("actions".equals(block.path("type").asText())) {
                return block.path("elements").get(0).path("value").asText();
            }
        }
        throw new AssertionError("no Approve button in the approval message");
    }

    private Request awaitStatus(String id, Status status) {
        await().atMost(Duration.ofSeconds(20)).until(() -> bot.store().find(id).map(r -> r.status() == status).orElse(false));
        return bot.store().find(id).orElseThrow();
    }

    private byte[] qrBytes() {
        return slack.uploadedFiles().stream().filter(f -> f.channels().contains(dm(ALICE))).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("no QR shared to alice")).bytes();
    }

    private String get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + bot.port() + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private int healthz() throws Exception {
        HttpResponse<Void> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + bot.port() + "/healthz")).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.discarding());
        return r.statusCode();
    }

    private String trigger() {
        return slack.trigger();
    }
}
