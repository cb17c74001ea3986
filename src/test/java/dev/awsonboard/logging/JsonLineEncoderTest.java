package dev.awsonboard.logging;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class JsonLineEncoderTest {
    /** What the encoder wrote before it kept the last second's text. */
    private static final DateTimeFormatter REFERENCE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    @Test
    void timestampsAreFixedWidthUtcWithMillisecondsAcrossSecondsDaysYearsAndBeforeTheEpoch() {
        long[] edges = {0, 1, 999, 1000, -1, -999, -1000, -1001, Instant.parse("2026-12-31T23:59:59.999Z").toEpochMilli(),
                Instant.parse("2027-01-01T00:00:00Z").toEpochMilli(), Instant.parse("2024-02-29T12:00:00.050Z").toEpochMilli()};
        for (long millis : edges) {
            assertThat(JsonLineEncoder.timestamp(millis)).as("%d", millis).isEqualTo(REFERENCE.format(Instant.ofEpochMilli(millis)));
        }
        SplittableRandom random = new SplittableRandom(42);
        long now = Instant.parse("2026-12-06T05:30:00Z").toEpochMilli();
        for (int i = 0; i < 10_000; i++) {
            // Runs of lines within one second, then a jump, as a burst's lines and a quiet bot's are.
            long millis = i % 10 == 0 ? random.nextLong(-4_000_000_000_000L, 32_000_000_000_000L) : now + random.nextInt(3_000);
            assertThat(JsonLineEncoder.timestamp(millis)).as("%d", millis).isEqualTo(REFERENCE.format(Instant.ofEpochMilli(millis)));
        }
    }
}
