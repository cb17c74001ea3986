package dev.awsonboard.e2e;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalDouble;

import static dev.awsonboard.e2e.TestBot.APPROVER;
import static dev.awsonboard.e2e.TestBot.MALLORY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** After the happy path, GET /metrics shows what happened; GET /readyz follows the database and Slack. */
class MetricsEndToEndTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
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

    @Test
    void metricsExposeIamCallsRequestsByStatusAckLatencyAndSlackErrorsAfterAnOnboarding() {
        String id = t.requestSampleUser();
        assertThat(t.approve(APPROVER, id).statusCode()).isEqualTo(200);
        t.finishSetup(id);
        t.awaitStatus(id, dev.awsonboard.lifecycle.model.Status.DONE);

        // A second request, refused to a non-approver whose ephemeral answer Slack rejects.
        String second = request("otherUser");
        t.slack.failNext("chat.postEphemeral", 1, "channel_not_found");
        assertThat(t.approve(MALLORY, second).statusCode()).isEqualTo(200);
        // The refusal goes out after the ack (in mallory's language, looked up first): wait for its failure to count.
        await().atMost(Duration.ofSeconds(10)).until(() -> get("/metrics").body().lines().anyMatch(l -> l.startsWith(
                "aws_onboard_slack_api_errors_total{error=\"channel_not_found\",method=\"chat.postEphemeral\"} ")));

        HttpResponse<String> scraped = get("/metrics");
        assertThat(scraped.statusCode()).isEqualTo(200);
        assertThat(scraped.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        String m = scraped.body();

        assertThat(value(m, "aws_onboard_iam_call_seconds_count{action=\"CreateUser\",outcome=\"ok\"}")).isEqualTo(1.0);
        assertThat(value(m, "aws_onboard_iam_call_seconds_count{action=\"EnableMFADevice\",outcome=\"ok\"}")).isEqualTo(1.0);
        assertThat(value(m, "aws_onboard_iam_call_seconds_sum{action=\"CreateUser\",outcome=\"ok\"}")).isGreaterThan(0.0);
        assertThat(value(m, "aws_onboard_requests{status=\"DONE\"}")).isEqualTo(1.0);
        assertThat(value(m, "aws_onboard_requests{status=\"REQUESTED\"}")).isEqualTo(1.0);
        assertThat(value(m, "aws_onboard_requests{status=\"FAILED\"}")).isEqualTo(0.0);
        assertThat(value(m, "aws_onboard_pending_requests")).isEqualTo(1.0);
        assertThat(value(m, "aws_onboard_slack_ack_seconds_count{type=\"Command\"}")).isEqualTo(2.0);
        assertThat(value(m, "aws_onboard_slack_ack_seconds_count{type=\"BlockAction\"}")).isEqualTo(2.0);
        assertThat(value(m, "aws_onboard_slack_ack_seconds_count{type=\"ViewSubmission\"}")).isEqualTo(1.0);
        assertThat(value(m, "aws_onboard_slack_api_errors_total{error=\"channel_not_found\",method=\"chat.postEphemeral\"}"))
                .isEqualTo(1.0);
        assertThat(m).doesNotContain(t.slack.botToken(), TestBot.SIGNING_SECRET, "sampleUser", "otherUser");

        // Deny the second one: nothing is pending any more.
        assertThat(t.click(APPROVER, "onboard_deny", second, TestBot.APPROVAL_CHANNEL).statusCode()).isEqualTo(200);
        t.awaitStatus(second, dev.awsonboard.lifecycle.model.Status.DENIED);
        String after = get("/metrics").body();
        assertThat(value(after, "aws_onboard_pending_requests")).isEqualTo(0.0);
        assertThat(value(after, "aws_onboard_requests{status=\"DENIED\"}")).isEqualTo(1.0);
    }

    @Test
    void iamErrorsAreCountedByActionAndCode() {
        String id = request("sampleUser");
        t.iam.failNext("CreateUser", 1, "LimitExceeded", 409);
        t.approve(APPROVER, id);
        t.awaitStatus(id, dev.awsonboard.lifecycle.model.Status.FAILED);
        String m = get("/metrics").body();
        assertThat(value(m, "aws_onboard_iam_errors_total{action=\"CreateUser\",code=\"LimitExceeded\"}")).isEqualTo(1.0);
        assertThat(value(m, "aws_onboard_iam_call_seconds_count{action=\"CreateUser\",outcome=\"error\"}")).isEqualTo(1.0);
        assertThat(value(m, "aws_onboard_requests{status=\"FAILED\"}")).isEqualTo(1.0);
    }

    @Test
    void readyWhileTheDatabaseAndSlackAnswerNotWhenSlackRefusesTheTokenOrIsGone() {
        HttpResponse<String> ready = get("/readyz");
        print("/readyz", ready);
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).isEqualTo("ready");
        assertThat(get("/healthz").statusCode()).isEqualTo(200);

        // auth.test is cached: a refusal shows once the cached pass is older than 30 s.
        t.slack.failNext("auth.test", 100, "invalid_auth");
        assertThat(get("/readyz").statusCode()).isEqualTo(200);
        t.clock.advance(Duration.ofSeconds(31));
        HttpResponse<String> refused = get("/readyz");
        print("/readyz", refused);
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.body()).contains("slack: auth.test invalid_auth").doesNotContain("database")
                .doesNotContain(t.slack.botToken());

        t.slack.close();
        t.clock.advance(Duration.ofSeconds(31));
        HttpResponse<String> gone = get("/readyz");
        print("/readyz", gone);
        assertThat(gone.statusCode()).isEqualTo(503);
        assertThat(gone.body()).contains("slack: auth.test");
        assertThat(get("/healthz").statusCode()).isEqualTo(200);
    }

    /** A request for {@code iamUserName} for alice; returns its id from the approval message. */
    private String request(String iamUserName) {
        return t.submit(TestBot.REQUESTER, iamUserName + " <@" + TestBot.ALICE + "|alice> groups=developers needs it");
    }

    private HttpResponse<String> get(String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + t.bot.port() + path))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static void print(String what, HttpResponse<String> r) {
        System.out.println("GET " + what + " -> " + r.statusCode() + " " + r.body().replace("\n", " | "));
    }

    /** The sample's value for a series written exactly as scraped (labels in Prometheus' sorted order). */
    private static double value(String metrics, String series) {
        List<String> lines = metrics.lines().filter(l -> l.startsWith(series + " ")).toList();
        System.out.println("scraped: " + (lines.isEmpty() ? series + " (absent)" : String.join(" / ", lines)));
        OptionalDouble v = lines.stream().mapToDouble(l -> Double.parseDouble(l.substring(series.length() + 1).trim().split(" ")[0]))
                .findFirst();
        assertThat(v).as("series %s in /metrics", series).isPresent();
        return v.getAsDouble();
    }
}
