package dev.awsonboard.store;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TimestampsTest {
    @Test
    void everyStoredInstantReadsBackAsInstantParseReadsIt() {
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 100_000; i++) {
            // year 0000 to 9999, any nanosecond
            Instant at = Instant.ofEpochSecond(random.nextLong(-62_167_219_200L, 253_402_300_800L), random.nextInt(1_000_000_000));
            String stored = Timestamps.format(at);

            assertThat(Timestamps.parse(stored)).isEqualTo(at).isEqualTo(Instant.parse(stored));
        }
    }

    @Test
    void otherFormsOfAnInstantStillRead() {
        assertThat(Timestamps.parse("2026-11-24T10:15:30Z")).isEqualTo(Instant.parse("2026-11-24T10:15:30Z"));
        assertThat(Timestamps.parse("2026-11-24T10:15:30.5Z")).isEqualTo(Instant.parse("2026-11-24T10:15:30.500Z"));
        assertThat(Timestamps.parse("2026-11-24T10:15:30.123456789+00:00")).isEqualTo(Instant.parse("2026-11-24T10:15:30.123456789Z"));
        // midnight as 24:00 and a leap second, which Instant.parse reads as the next day and second 59
        assertThat(Timestamps.parse("2026-11-24T24:00:00.000000000Z")).isEqualTo(Instant.parse("2026-11-25T00:00:00Z"));
        assertThat(Timestamps.parse("2016-12-31T23:59:60.000000000Z")).isEqualTo(Instant.parse("2016-12-31T23:59:60Z"));
        assertThat(Timestamps.parse(null)).isNull();
    }

    @Test
    void whatLooksLikeOurFormButIsNoTimeIsRefusedAsInstantParseRefusesIt() {
        for (String bad : new String[]{"2026-02-30T10:15:30.000000000Z", "2026-11-24T10:60:30.000000000Z",
                "2026-11-24T25:15:30.000000000Z", "2026-11-24T10:15:61.000000000Z", "2026-1x-24T10:15:30.000000000Z", "2026-11-24T10:15:30.00000000-Z"}) {
            assertThatThrownBy(() -> Instant.parse(bad)).as(bad).isInstanceOf(DateTimeParseException.class);
            assertThatThrownBy(() -> Timestamps.parse(bad)).as(bad).isInstanceOf(DateTimeParseException.class);
        }
    }
}
