package dev.awsonboard.store;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
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
        if (text == null) {
            return null;
        }
        // Our own form by hand: Instant.parse was a sixth of the CPU of reading requests back.
        if (text.length() == 30 && text.charAt(4) == '-' && text.charAt(7) == '-' && text.charAt(10) == 'T'
                && text.charAt(13) == ':' && text.charAt(16) == ':' && text.charAt(19) == '.' && text.charAt(29) == 'Z') {
            try {
                long days = LocalDate.of(digits(text, 0, 4), digits(text, 5, 7), digits(text, 8, 10)).toEpochDay();
                int hour = digits(text, 11, 13);
                int minute = digits(text, 14, 16);
                int second = digits(text, 17, 19);
                if (hour < 24 && minute < 60 && second < 60) { // else 24:00, a leap second or no time at all
                    return Instant.ofEpochSecond(days * 86_400 + hour * 3600 + minute * 60 + second, digits(text, 20, 29));
                }
            } catch (DateTimeException | NumberFormatException e) {
                // not quite our form after all: let Instant.parse judge it
            }
        }
        return Instant.parse(text);
    }

    private static int digits(String text, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw new NumberFormatException();
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }
}
