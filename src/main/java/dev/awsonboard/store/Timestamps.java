package dev.awsonboard.store;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * How every table stores a point in time: TEXT, UTC, always nine fraction digits, so stored
 * timestamps compare and sort correctly as strings on SQLite and PostgreSQL alike.
 */
final class Timestamps {
    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);

    private Timestamps() {
    }

    static String format(Instant at) {
        return at == null ? null : FORMAT.format(at);
    }

    static Instant parse(String text) {
        return text == null ? null : Instant.parse(text);
    }
}
