package dev.awsonboard.e2e;

import dev.awsonboard.fakes.FakeIam;
import dev.awsonboard.fakes.FakeSlack;
import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.lifecycle.CrashProbe;
import dev.awsonboard.lifecycle.model.Status;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static dev.awsonboard.e2e.TestBot.ALICE;
import static dev.awsonboard.e2e.TestBot.APPROVER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Kills provisioning at every point where a crash leaves work half done (after each IAM
 * call, after each recorded step, after the DM), starts a new bot on the same database,
 * and checks the request still completes with nothing orphaned in IAM.
 */
class CrashRecoveryTest {
    @TempDir
    Path dir;

    // A simulated crash is an uncaught Error on a worker thread, on purpose; Awaitility would
    // otherwise rethrow it in the test thread at the next wait.
    @BeforeAll
    static void letWorkersDie() {
        Awaitility.doNotCatchUncaughtExceptionsByDefault();
    }

    @AfterAll
    static void catchThemAgain() {
        // Only undo what this class changed: a reset would also drop the suite's quick polling (TestBot).
        Awaitility.catchUncaughtExceptionsByDefault();
    }

    /** What a killed process looks like to the code: it just stops, nothing catches it. */
    static final class SimulatedCrash extends Error {
        SimulatedCrash(String point) {
            super("simulated crash at " + point, null, false, false);
        }
    }

    @Test
    void requestCompletesWithNoOrphanAfterACrashAtEveryStepBoundary() throws Exception {
        List<String> points = crashPoints();
        assertThat(points).contains("after iam:CreateUser", "saved PROVISIONING/USER_CREATED", "after iam:CreateVirtualMFADevice",
                "saved PROVISIONING/MFA_DEVICE_CREATED +qr", "after slack:share-qr", "saved AWAITING_MFA/SETUP_SENT",
                "after effect:POST_SETUP", "after effect:TELL_REQUESTER");
        int recovered = 0;
        for (String point : points) {
            Path run = Files.createDirectories(dir.resolve("crash-" + recovered));
            try (TestBot t = TestBot.start(run)) {
                AtomicBoolean crashed = new AtomicBoolean();
                t.probe = p -> {
                    if (p.equals(point) && crashed.compareAndSet(false, true)) {
                        throw new SimulatedCrash(p);
                    }
                };
                t.restart(); // the bot now carries the crashing probe
                String id = t.requestSampleUser();
                t.approve(APPROVER, id);
                await().atMost(Duration.ofSeconds(20)).untilTrue(crashed);

                t.probe = CrashProbe.NONE;
                t.restart();
                // The dead worker's claim has to run out before anyone else may take over.
                t.clock.advance(Duration.ofMinutes(6));
                // The sweep that takes over may find the restart's own resume attempt still on it;
                // the scheduled sweep would simply come back, so this one does too.
                await().atMost(Duration.ofSeconds(20)).until(() -> {
                    t.bot.sweepNow();
                    return t.request(id).status() == Status.AWAITING_MFA;
                });
                t.finishSetup(id);

                Request done = t.request(id);
                FakeIam.User user = t.iam.user("sampleUser").orElseThrow(() -> new AssertionError("no user after crash at " + point));
                assertThat(done.status()).as(point).isEqualTo(Status.DONE);
                assertThat(user.loginProfile()).as(point).isTrue();
                assertThat(user.passwordResetRequired()).as(point).isTrue();
                assertThat(user.mfaDevices()).as(point).containsExactly(done.mfaSerial());
                assertThat(t.orphanDevices()).as(point).isEmpty();
                // Every QR that reached alice's DM is gone, including one whose seed died in the crash.
                assertThat(t.slack.uploadedFiles().stream().filter(f -> f.channels().contains(TestBot.dm(ALICE))))
                        .as(point).isNotEmpty().allMatch(FakeSlack.UploadedFile::deleted);
                recovered++;
            }
        }
        System.out.printf("crash: %d crash points injected (%s) -> %d requests completed, 0 orphaned MFA devices%n",
                points.size(), String.join(", ", points), recovered);
        assertThat(recovered).isEqualTo(points.size());
    }

    /** Every probe point one undisturbed provisioning run passes, in order. */
    private List<String> crashPoints() throws Exception {
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        try (TestBot t = TestBot.start(Files.createDirectories(dir.resolve("record")))) {
            t.probe = seen::add;
            t.restart();
            String id = t.requestSampleUser();
            t.approve(APPROVER, id);
            t.awaitStatus(id, Status.AWAITING_MFA);
            await().atMost(Duration.ofSeconds(10)).until(() -> seen.contains("after effect:TELL_REQUESTER"));
        }
        return List.copyOf(seen);
    }
}
