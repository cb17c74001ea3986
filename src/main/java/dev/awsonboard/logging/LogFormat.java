package dev.awsonboard.logging;


import java.util.Locale;

/**
 * What {@code LOG_FORMAT} asks of {@link LogbackSetup}: {@code text} gives the human pattern,
 * anything else (or unset) one JSON object per line; an unknown value can never leave the bot mute.
 */
public final class LogFormat {
    private LogFormat() {
    }

    /** The appender's name: TEXT or JSON. */
    static String appender(String logFormat) {
        return logFormat != null && logFormat.trim().toLowerCase(Locale.ROOT).equals("text") ? "TEXT" : "JSON";
    }
}
