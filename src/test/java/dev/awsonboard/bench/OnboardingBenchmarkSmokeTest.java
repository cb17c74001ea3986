package dev.awsonboard.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The benchmark's own code, run on small numbers in the normal suite so it cannot rot: the bot
 * starts as its own process (from the test class path, no jar needed), every phase runs, and
 * every acked request is found stored and processed. It measures nothing worth reading.
 */
class OnboardingBenchmarkSmokeTest {
    @Test
    void everyPhaseRunsAndEveryAckedRequestIsStoredProcessedAndFollowedUp() throws Exception {
        OnboardingBenchmark.Settings small = new OnboardingBenchmark.Settings(BotProcess.Launch.CLASSPATH, List.of(), 0, 8, 200,
                12, List.of(0, 20), true, 0, 30, true, 6, 1, 5, 4, 2);

        OnboardingBenchmark.Figures f = OnboardingBenchmark.run(small);

        assertThat(f.starts).hasSize(2).allSatisfy(s -> {
            assertThat(s[1]).as("ms to /readyz").isPositive().isGreaterThanOrEqualTo(s[0]);
            assertThat(s[2]).as("RSS at ready").isPositive();
        });
        assertThat(f.scenarios).extracting(OnboardingBenchmark.Scenario::name).containsExactly(
                "slash command ack, fakes at 0 ms", "slash command ack, fakes at 20 ms", "slash command ack, IAM throttling all",
                "slash command throughput (closed loop)", "slash command throughput, checks parked");
        assertThat(f.scenarios).allSatisfy(s -> {
            assertThat(s.acked()).as(s.name()).isEqualTo(s.sent());
            assertThat(s.stored()).as(s.name()).isEqualTo(s.acked());
            assertThat(s.processed()).as(s.name()).isEqualTo(s.stored());
            assertThat(s.followedUp()).as(s.name()).isEqualTo(s.processed());
            assertThat(s.acks().count()).as(s.name()).isEqualTo(s.sent());
        });
        assertThat(f.onboarded).isEqualTo(4);
        assertThat(f.kinds.keySet()).contains(OnboardingBenchmark.QR, "click: approve", "click: show password", "click: enter codes",
                "codes modal submit (waits for EnableMFADevice)", "event: codes typed in the DM", "click: approve (load)",
                "click: enter codes (load)", "click: show password (load)", "event: DM with codes, nothing waiting (load)");
        assertThat(f.kinds.get(OnboardingBenchmark.QR).count()).isEqualTo(1);
        assertThat(f.qrCalls).contains("CreateUser", "files.completeUploadExternal");
        assertThat(f.rssAfterOnboardingsKb).isPositive();
        assertThat(f.rssAfterLoadKb).isPositive();
        f.print(System.out);
    }
}
