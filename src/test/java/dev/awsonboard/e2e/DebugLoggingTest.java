package dev.awsonboard.e2e;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.awsonboard.lifecycle.model.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static dev.awsonboard.e2e.TestBot.ALICE;
import static dev.awsonboard.e2e.TestBot.APPROVER;
import static dev.awsonboard.e2e.TestBot.dm;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An operator who turns the Slack and AWS SDKs up to DEBUG to chase a problem must still not get
 * a password, a seed or a token in the logs: the calls that carry them do not go through a
 * logging path, whatever the level.
 */
class DebugLoggingTest {
    private static final List<String> NOISY = List.of("com.slack.api", "software.amazon.awssdk", "org.apache.http", "okhttp3");

    @TempDir
    Path dir;
    TestBot t;
    CapturedLogs logs;

    @BeforeEach
    void start() {
        NOISY.forEach(name -> ((Logger) LoggerFactory.getLogger(name)).setLevel(Level.TRACE));
        logs = CapturedLogs.attach();
        t = TestBot.start(dir);
    }

    @AfterEach
    void stop() {
        t.close();
        logs.close();
        NOISY.forEach(name -> ((Logger) LoggerFactory.getLogger(name)).setLevel(null));
    }

    @Test
    void withTheSdksAtDebugTheOnboardingLogsNoPasswordSeedOrToken() {
        String id = t.requestSampleUser();
        t.approve(APPROVER, id);
        t.awaitStatus(id, Status.AWAITING_MFA);
        String seed = TestBot.scanSeed(t.qrFileFor(ALICE).bytes());
        t.click(ALICE, "onboard_show_password", id, dm(ALICE));
        await().atMost(Duration.ofSeconds(10)).until(() -> t.iam.lastPasswordSetFor("sampleUser") != null
                && t.slack.views().toString().contains(t.iam.lastPasswordSetFor("sampleUser")));
        String password = t.iam.lastPasswordSetFor("sampleUser");
        t.finishSetup(id);

        assertThat(logs.lines()).as("the SDKs did log at DEBUG").anyMatch(l -> l.startsWith("DEBUG com.slack.api")
                || l.startsWith("TRACE com.slack.api") || l.startsWith("DEBUG software.amazon.awssdk"));
        assertThat(logs.all()).doesNotContain(password, seed, t.slack.botToken(), TestBot.SIGNING_SECRET,
                "verification-token", "token=", "Authorization: Bearer");
    }
}
