package dev.awsonboard.e2e;

import dev.awsonboard.Bot;
import dev.awsonboard.lifecycle.CrashProbe;
import dev.awsonboard.lifecycle.Sweeper;
import dev.awsonboard.lifecycle.model.Status;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import static dev.awsonboard.e2e.TestBot.APPROVER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A run the sweep resumes goes to a worker: however long its IAM calls take, the sweep itself is over at once. */
class SweepIsolationTest {
    @TempDir
    Path dir;

    // A simulated crash is an uncaught Error on a worker thread, on purpose (see CrashRecoveryTest).
    @BeforeAll
    static void letWorkersDie() {
        Awaitility.doNotCatchUncaughtExceptionsByDefault();
    }

    @AfterAll
    static void catchThemAgain() {
        Awaitility.catchUncaughtExceptionsByDefault();
    }

    @Test
    void aResumedRunWaitingOnIamDoesNotHoldTheSweep() {
        try (TestBot t = TestBot.start(dir)) {
            AtomicBoolean crashed = new AtomicBoolean();
            t.probe = p -> {
                if (p.equals("saved PROVISIONING/USER_CREATED") && crashed.compareAndSet(false, true)) {
                    throw new CrashRecoveryTest.SimulatedCrash(p);
                }
            };
            t.restart();
            String id = t.requestSampleUser();
            t.approve(APPROVER, id);
            await().atMost(Duration.ofSeconds(20)).untilTrue(crashed);
            t.probe = CrashProbe.NONE;
            t.restart();
            t.clock.advance(Duration.ofMinutes(6)); // the dead worker's lease ran out
            t.iam.holdNext("AddUserToGroup", 1);    // and the resumed run's next IAM call takes its time

            Bot bot = t.bot;
            CompletableFuture<Sweeper.Report> sweep = CompletableFuture.supplyAsync(bot::sweepNow);
            await().atMost(Duration.ofSeconds(20)).until(() -> t.iam.held() == 1);
            await().atMost(Duration.ofSeconds(20)).until(sweep::isDone);

            assertThat(t.iam.held()).as("the resumed run is still at its call").isEqualTo(1);
            assertThat(sweep.join().resumed()).isEqualTo(1);
            t.iam.releaseAll();
            t.awaitStatus(id, Status.AWAITING_MFA);
        }
    }
}
