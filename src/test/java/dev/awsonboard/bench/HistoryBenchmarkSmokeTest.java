package dev.awsonboard.bench;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The history benchmark's own code, run on small numbers in the normal suite so it cannot rot: both
 * databases are filled in bulk, the bot starts on each (from the test class path) and migrates what the
 * fill left to it, every path is measured, and the request counts {@code /metrics} reports are what the
 * store holds. It measures nothing worth reading.
 */
class HistoryBenchmarkSmokeTest {
    @Test
    void everyPathIsMeasuredOnBothDatabasesAndMetricsCountWhatTheStoreHolds() throws Exception {
        HistoryBenchmark.Settings small = new HistoryBenchmark.Settings(BotProcess.Launch.CLASSPATH, List.of(), List.of(40, 400),
                List.of("sqlite", "postgres"), 4, 1, 2, 0);
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        List<HistoryBenchmark.Run> runs = HistoryBenchmark.run(small, new PrintStream(printed, true, StandardCharsets.UTF_8));

        assertThat(runs).extracting(r -> r.database + " " + r.size).containsExactly("sqlite 40", "sqlite 400", "postgres 40", "postgres 400");
        assertThat(runs).allSatisfy(r -> {
            assertThat(r.paths.keySet()).containsExactlyElementsOf(HistoryBenchmark.PATHS);
            r.paths.values().forEach(l -> {
                assertThat(l.count()).as(r.database + " " + r.size + ": " + l.kind()).isEqualTo(4);
                assertThat(l.percentileMs(50)).as(l.kind()).isPositive();
            });
            // the fill's history plus the benchmark's own requests, one per measured and warm-up command
            assertThat(r.stored.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(r.size + 5);
            assertThat(r.stored).containsEntry("AWAITING_MFA", 5L);
            assertThat(r.scraped).as("/metrics").isEqualTo(r.stored);
        });
        HistoryBenchmark.print(runs, new PrintStream(printed, true, StandardCharsets.UTF_8));
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("ratio");
        System.out.print(printed.toString(StandardCharsets.UTF_8));
    }
}
