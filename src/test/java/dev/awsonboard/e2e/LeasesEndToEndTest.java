package dev.awsonboard.e2e;

import dev.awsonboard.Bot;
import dev.awsonboard.lifecycle.model.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import static dev.awsonboard.e2e.TestBot.APPROVER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two replicas on one database, each with a clock of its own, a short lease and an IAM call slower
 * than it: the heartbeat keeps a working replica's lease, and a replica that lost its lease anyway (the
 * other's clock is ahead) stops without undoing anything of the one that took over.
 */
class LeasesEndToEndTest {
    @TempDir
    Path dir;
    TestBot t;

    @AfterEach
    void stop() {
        t.iam.releaseAll();
        t.close();
    }

    @Test
    void aCallSlowerThanTheLeaseKeepsItByHeartbeatAndAnotherReplicaDoesNotTakeTheRequestOver() {
        t = TestBot.start(dir);
        t.leaseTtl = Duration.ofSeconds(3);
        t.restart();
        String id = t.requestSampleUser();
        t.iam.holdNext("CreateLoginProfile", 1);
        t.approve(APPROVER, id);
        await().atMost(Duration.ofSeconds(20)).until(() -> t.iam.held() == 1);

        // The call stays on its way longer than the whole lease; the heartbeat renews it all along.
        java.time.Instant firstExpiry = t.leaseExpiry(id).orElseThrow();
        await().atMost(Duration.ofSeconds(20)).until(() ->
                t.leaseExpiry(id).map(e -> e.isAfter(firstExpiry.plus(t.leaseTtl))).orElse(false));
        assertThat(t.clock.instant()).as("the first lease has run out by now").isAfter(firstExpiry);
        try (Bot other = t.replica(t.clock, Duration.ofSeconds(3))) {
            other.sweepNow();
        }
        t.iam.releaseAll();

        t.awaitStatus(id, Status.AWAITING_MFA);
        assertThat(t.iam.callCount("CreateUser")).isEqualTo(1);
        assertThat(t.iam.callCount("CreateLoginProfile")).as("one worker ran it").isEqualTo(1);
        t.finishSetup(id);
        assertThat(t.request(id).status()).isEqualTo(Status.DONE);
    }

    @Test
    void aLateFailureOfAReplicaThatLostItsLeaseUndoesNothingOfTheReplicaThatTookOver() {
        t = TestBot.start(dir);
        AtomicBoolean firstRunEnded = new AtomicBoolean();
        t.probe = point -> {
            if (point.equals("run ended")) {
                firstRunEnded.set(true);
            }
        };
        t.restart();
        String id = t.requestSampleUser();
        t.iam.holdNext("CreateLoginProfile", 1);
        t.approve(APPROVER, id);
        await().atMost(Duration.ofSeconds(20)).until(() -> t.iam.held() == 1);

        // A replica whose clock is ten minutes ahead sees the first one's lease run out and takes over.
        try (Bot other = t.replica(Clock.offset(t.clock, Duration.ofMinutes(10)), Duration.ofMinutes(5))) {
            other.sweepNow();
            t.awaitStatus(id, Status.AWAITING_MFA);
            // Then the first replica's call comes back refused.
            t.iam.failNext("CreateLoginProfile", 1, "AccessDenied", 403);
            t.iam.releaseAll();
            await().atMost(Duration.ofSeconds(20)).until(() -> firstRunEnded.get() || t.request(id).status() == Status.FAILED);

            assertThat(t.request(id).status()).as("the late failure of the replica that lost its lease").isEqualTo(Status.AWAITING_MFA);
            assertThat(t.iam.user("sampleUser")).as("the user the other replica is setting up").isPresent();
            assertThat(t.qrFileFor(TestBot.ALICE).deleted()).isFalse();
            t.finishSetup(id);
        }
        assertThat(t.request(id).status()).isEqualTo(Status.DONE);
        assertThat(t.orphanDevices()).isEmpty();
    }
}
