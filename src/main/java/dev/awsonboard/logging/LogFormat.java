package dev.awsonboard.logging;

import ch.qos.logback.core.PropertyDefinerBase;

import java.util.Locale;

/**
 * Picks the console appender for logback.xml from {@code LOG_FORMAT}: {@code text} gives the
 * human pattern, anything else (or unset) one JSON object per line. A property definer rather
 * than {@code <if>}, which would need janino; an unknown value can never leave the bot mute.
 */
public final class LogFormat extends PropertyDefinerBase {
    @Override
    public String getPropertyValue() {
        return appender(System.getenv("LOG_FORMAT"));
    }

    static String appender(String logFormat) {
        return logFormat != null && logFormat.trim().toLowerCase(Locale.ROOT).equals("text") ? "TEXT" : "JSON";
    }
}
