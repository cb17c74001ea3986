package dev.awsonboard.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The durability benchmark's own code, on small numbers, so that it cannot rot; it measures nothing worth reading. */
class SqliteDurabilityBenchmarkSmokeTest {
    @Test
    void everyWriteIsMeasuredInBothModes(@TempDir Path dir) throws Exception {
        SqliteDurabilityBenchmark.Figures f = SqliteDurabilityBenchmark.run(new SqliteDurabilityBenchmark.Settings(6, 3, 2, dir));

        assertThat(f.micros.keySet()).containsExactly(SqliteDurabilityBenchmark.ACK, SqliteDurabilityBenchmark.CLICK,
                SqliteDurabilityBenchmark.ACK_BURST.formatted(2));
        assertThat(f.micros.values()).allSatisfy(byMode -> {
            assertThat(byMode.keySet()).containsExactlyElementsOf(SqliteDurabilityBenchmark.MODES);
            assertThat(byMode.values()).allSatisfy(v -> assertThat(v).hasSize(6));
        });
        assertThat(dir.toFile().list()).as("the databases are removed").isEmpty();
    }
}
