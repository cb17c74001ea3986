package dev.awsonboard.lifecycle.model;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Optional;

/**
 * A daily stretch of local time (e.g. 20:00-08:00, across midnight) when nobody is reminded.
 * From inclusive, until exclusive; equal ends or none mean no quiet hours.
 */
public record QuietHours(Optional<LocalTime> from, Optional<LocalTime> until) {

    public static final QuietHours NONE = new QuietHours(Optional.empty(), Optional.empty());

    public boolean isQuiet(Instant at, ZoneId zone) {
        if (from.isEmpty() || until.isEmpty() || from.get().equals(until.get())) {
            return false;
        }
        LocalTime local = at.atZone(zone).toLocalTime();
        LocalTime f = from.get();
        LocalTime u = until.get();
        return f.isBefore(u) ? !local.isBefore(f) && local.isBefore(u) : !local.isBefore(f) || local.isBefore(u);
    }
}
