package dev.awsonboard.lifecycle;

import dev.awsonboard.lifecycle.model.QuietHours;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Quiet hours are local to each person, may run across midnight, and include their start but not their end. */
class QuietHoursTest {
    private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    private static final ZoneId LONDON = ZoneId.of("Europe/London");
    private static final QuietHours NIGHT = new QuietHours(Optional.of(LocalTime.of(20, 0)), Optional.of(LocalTime.of(8, 0)));

    private static Instant tokyo(int hour, int minute) {
        return ZonedDateTime.of(2026, 11, 24, hour, minute, 0, 0, TOKYO).toInstant();
    }

    @Test
    void nightHoursRunAcrossMidnightFromTheirStartUntilJustBeforeTheirEnd() {
        assertThat(NIGHT.isQuiet(tokyo(19, 59), TOKYO)).isFalse();
        assertThat(NIGHT.isQuiet(tokyo(20, 0), TOKYO)).isTrue();
        assertThat(NIGHT.isQuiet(tokyo(23, 30), TOKYO)).isTrue();
        assertThat(NIGHT.isQuiet(tokyo(3, 0), TOKYO)).isTrue();
        assertThat(NIGHT.isQuiet(tokyo(7, 59), TOKYO)).isTrue();
        assertThat(NIGHT.isQuiet(tokyo(8, 0), TOKYO)).isFalse();
    }

    @Test
    void theSameMomentIsNightInTokyoAndAfternoonInLondon() {
        Instant tokyoNight = tokyo(23, 0); // 14:00 in London
        assertThat(NIGHT.isQuiet(tokyoNight, TOKYO)).isTrue();
        assertThat(NIGHT.isQuiet(tokyoNight, LONDON)).isFalse();
    }

    @Test
    void daytimeHoursWithinOneDay() {
        QuietHours lunch = new QuietHours(Optional.of(LocalTime.of(12, 0)), Optional.of(LocalTime.of(13, 0)));
        assertThat(lunch.isQuiet(tokyo(12, 30), TOKYO)).isTrue();
        assertThat(lunch.isQuiet(tokyo(13, 0), TOKYO)).isFalse();
        assertThat(lunch.isQuiet(tokyo(23, 0), TOKYO)).isFalse();
    }

    @Test
    void noneOrEqualEndsAreNeverQuiet() {
        QuietHours equal = new QuietHours(Optional.of(LocalTime.of(8, 0)), Optional.of(LocalTime.of(8, 0)));
        for (int h = 0; h < 24; h++) {
            assertThat(QuietHours.NONE.isQuiet(tokyo(h, 0), TOKYO)).isFalse();
            assertThat(equal.isQuiet(tokyo(h, 0), TOKYO)).isFalse();
        }
    }
}
