package dev.awsonboard.e2e;

import dev.awsonboard.lifecycle.model.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.awsonboard.e2e.TestBot.ALICE;
import static dev.awsonboard.e2e.TestBot.APPROVER;
import static dev.awsonboard.e2e.TestBot.dm;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Slack re-delivers an event it got no acknowledgement for. Codes sent by DM reply while the bot
 * was restarting must not be lost, and codes already handled must not reach IAM twice.
 */
class EventRedeliveryTest {
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

    private HttpResponse<String> deliver(String body, int retry) {
        Map<String, String> headers = retry == 0 ? Map.of()
                : Map.of("X-Slack-Retry-Num", String.valueOf(retry), "X-Slack-Retry-Reason", "http_timeout");
        return t.send.raw(body, "application/json", headers, t.send.now(), true);
    }

    @Test
    void codesWhoseFirstDeliveryDiedWithTheBotAreHandledFromSlacksRetry() {
        String id = t.requestSampleUser();
        t.approve(APPROVER, id);
        t.awaitStatus(id, Status.AWAITING_MFA);
        List<String> codes = t.codesFromQr(ALICE);
        String body = t.send.messageEventBody(ALICE, dm(ALICE), codes.get(0) + " " + codes.get(1));

        // The first delivery never reached the bot (it was restarting); Slack retries.
        t.restart();
        assertThat(deliver(body, 1).statusCode()).isEqualTo(200);
        t.awaitStatus(id, Status.DONE);
        assertThat(t.iam.callCount("EnableMFADevice")).isEqualTo(1);
    }

    @Test
    void aRetryOfAnEventAlreadyHandledIsAcknowledgedAndDropped() {
        String id = t.requestSampleUser();
        t.approve(APPROVER, id);
        t.awaitStatus(id, Status.AWAITING_MFA);
        List<String> codes = t.codesFromQr(ALICE);
        String body = t.send.messageEventBody(ALICE, dm(ALICE), codes.get(0) + " " + codes.get(1));

        assertThat(deliver(body, 0).statusCode()).isEqualTo(200);
        t.awaitStatus(id, Status.DONE);
        await().atMost(Duration.ofSeconds(10)).until(() -> t.slack.messages(dm(ALICE)).toString().contains("MFA is enabled"));
        int dmsAfterFirst = t.slack.messages(dm(ALICE)).size();
        // Slack did not see our ack in time and sends the same event twice more, across a restart too.
        assertThat(deliver(body, 1).statusCode()).isEqualTo(200);
        t.restart();
        assertThat(deliver(body, 2).statusCode()).isEqualTo(200);

        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5))
                .until(() -> t.iam.callCount("EnableMFADevice") == 1 && t.slack.messages(dm(ALICE)).size() == dmsAfterFirst);
    }
}
