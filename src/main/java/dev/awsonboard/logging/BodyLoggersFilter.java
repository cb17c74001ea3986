package dev.awsonboard.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.Marker;


/**
 * Drops DEBUG and TRACE from the library loggers that print whole HTTP bodies, whatever level an
 * operator configures: Bolt's signature verifier (inbound payloads, with Slack's legacy
 * verification token), the Slack SDK's HTTP listeners and Socket Mode envelopes. The bot's own
 * Slack client also has no body-logging listener at all ({@code SlackClients.slack}); this is the
 * second lock on the same door.
 */
public final class BodyLoggersFilter extends TurboFilter {
    /** An array, not a List: this runs on every logger call at every level, and a List's iterator is an allocation each time. */
    static final String[] BODY_LOGGERS = {
            "com.slack.api.app_backend.SlackSignature",
            "com.slack.api.util.http.listener",
            "com.slack.api.socket_mode",
            "com.slack.api.bolt.socket_mode"};

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        if (logger == null || level == null || level.isGreaterOrEqual(Level.INFO)) {
            return FilterReply.NEUTRAL;
        }
        String name = logger.getName();
        for (String prefix : BODY_LOGGERS) {
            if (name.startsWith(prefix)) {
                return FilterReply.DENY;
            }
        }
        return FilterReply.NEUTRAL;
    }
}
