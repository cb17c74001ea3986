package dev.awsonboard.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.encoder.EncoderBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * One JSON object per line, with the field names of logback's {@code JsonEncoder} but an ISO-8601 UTC
 * {@code timestamp} (that encoder writes epoch milliseconds) and no empty fields: {@code mdc} only when it
 * holds something, {@code throwable} only with an exception (that encoder writes {@code "throwable":null}
 * and {@code "mdc": {}} on every line).
 */
public final class JsonLineEncoder extends EncoderBase<ILoggingEvent> {
    private static final JsonFactory JSON = new JsonFactory();
    /** The date and time to the second; milliseconds are added by hand, always three digits (ISO_INSTANT drops ".000"). */
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);
    /**
     * The second last written and its text: the lines of a burst share their second, and formatting a
     * timestamp was two fifths of encoding a line. One immutable pair, so a racing writer sees either.
     */
    private static volatile Second lastSecond = new Second(Long.MIN_VALUE, "");

    private record Second(long epochSecond, String text) {
    }
    /** Enough to find the failing line; a deep cause chain would only repeat frames. */
    private static final int MAX_CAUSES = 8;
    private static final byte[] NEWLINE = {'\n'};

    @Override
    public byte[] headerBytes() {
        return null;
    }

    @Override
    public byte[] footerBytes() {
        return null;
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("timestamp", timestamp(event.getTimeStamp()));
            json.writeStringField("level", event.getLevel().toString());
            json.writeStringField("threadName", event.getThreadName());
            json.writeStringField("loggerName", event.getLoggerName());
            Map<String, String> mdc = event.getMDCPropertyMap();
            if (mdc != null && !mdc.isEmpty()) {
                json.writeObjectFieldStart("mdc");
                for (Map.Entry<String, String> e : mdc.entrySet()) {
                    if (e.getValue() != null) {
                        json.writeStringField(e.getKey(), e.getValue());
                    }
                }
                json.writeEndObject();
            }
            if (event.getFormattedMessage() != null) {
                json.writeStringField("formattedMessage", event.getFormattedMessage());
            }
            if (event.getThrowableProxy() != null) {
                json.writeFieldName("throwable");
                throwable(json, event.getThrowableProxy(), 0);
            }
            json.writeEndObject();
        } catch (IOException e) {
            // A ByteArrayOutputStream does not fail; an encoder must not throw into the caller's log statement.
            throw new UncheckedIOException(e);
        }
        out.writeBytes(NEWLINE);
        return out.toByteArray();
    }

    /** ISO-8601 in UTC with milliseconds, fixed width ({@code 2026-12-06T05:30:00.042Z}), so lines sort and align. */
    static String timestamp(long epochMillis) {
        long epochSecond = Math.floorDiv(epochMillis, 1000L);
        int millis = (int) Math.floorMod(epochMillis, 1000L);
        Second second = lastSecond;
        if (second.epochSecond() != epochSecond) {
            second = new Second(epochSecond, SECONDS.format(Instant.ofEpochSecond(epochSecond)));
            lastSecond = second;
        }
        return new StringBuilder(second.text().length() + 5).append(second.text()).append('.')
                .append((char) ('0' + millis / 100)).append((char) ('0' + millis / 10 % 10)).append((char) ('0' + millis % 10))
                .append('Z').toString();
    }

    private static void throwable(JsonGenerator json, IThrowableProxy t, int depth) throws IOException {
        json.writeStartObject();
        json.writeStringField("className", t.getClassName());
        if (t.getMessage() != null) {
            json.writeStringField("message", t.getMessage());
        }
        StackTraceElementProxy[] frames = t.getStackTraceElementProxyArray();
        if (frames != null && frames.length > 0) {
            json.writeArrayFieldStart("stepArray");
            // A cause's last frames repeat its parent's; logback counts them as common frames.
            int shown = Math.max(1, frames.length - Math.max(0, t.getCommonFrames()));
            for (int i = 0; i < shown && i < frames.length; i++) {
                StackTraceElement frame = frames[i].getStackTraceElement();
                json.writeStartObject();
                json.writeStringField("className", frame.getClassName());
                json.writeStringField("methodName", frame.getMethodName());
                if (frame.getFileName() != null) {
                    json.writeStringField("fileName", frame.getFileName());
                }
                json.writeNumberField("lineNumber", frame.getLineNumber());
                json.writeEndObject();
            }
            json.writeEndArray();
        }
        IThrowableProxy cause = t.getCause();
        if (cause != null && !t.isCyclic() && depth < MAX_CAUSES) {
            json.writeFieldName("cause");
            throwable(json, cause, depth + 1);
        }
        json.writeEndObject();
    }
}
