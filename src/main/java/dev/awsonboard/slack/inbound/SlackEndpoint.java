package dev.awsonboard.slack.inbound;

import com.slack.api.bolt.App;
import com.slack.api.bolt.request.Request;
import com.slack.api.bolt.request.builtin.SlashCommandRequest;
import com.slack.api.bolt.response.Response;
import com.slack.api.bolt.util.SlackRequestParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.time.Duration;
import java.util.function.BiConsumer;

/**
 * Hands Slack's requests to Bolt and says what to answer. The raw body goes to Bolt untouched:
 * Slack signs the exact bytes, so any re-encoding would fail verification. Bolt checks the
 * signature and the timestamp (5 minutes) before any listener runs. HTTP itself is
 * {@link SlackHandler}'s.
 */
public final class SlackEndpoint {
    private static final Logger log = LoggerFactory.getLogger(SlackEndpoint.class);
    private final App app;
    private final SlackRequestParser parser;
    private final SlashCommandParser commands;
    /** Told (Bolt request type, time to ack) for every request Bolt answered. */
    private final BiConsumer<String, Duration> onAck;

    public SlackEndpoint(App app) {
        this(app, (type, took) -> { });
    }

    public SlackEndpoint(App app, BiConsumer<String, Duration> onAck) {
        this.app = app;
        this.parser = new SlackRequestParser(app.config());
        this.commands = new SlashCommandParser(app.config());
        this.onAck = onAck;
    }

    /** Slack's window for a signed request, both ways: older is a replay, newer is forged. */
    static final long MAX_SKEW_SECONDS = 5 * 60;

    /**
     * Bolt rejects old timestamps but takes any future one, so a body signed with a far-future
     * timestamp could be replayed for as long as that; refuse those here, before Bolt.
     */
    static boolean timestampInWindow(String header, long nowSeconds) {
        if (header == null) {
            return true; // Bolt refuses a request without one
        }
        try {
            return Long.parseLong(header.trim()) - nowSeconds <= MAX_SKEW_SECONDS;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** What to answer {@code http}: Bolt's own response, or a plain-text refusal (401, 400). */
    public Response handle(SlackRequestParser.HttpRequest http) {
        if (!timestampInWindow(http.getHeaders().getFirstValue("X-Slack-Request-Timestamp"), System.currentTimeMillis() / 1000)) {
            return plain(401, "Invalid request");
        }
        try {
            Request<?> request = parse(http);
            if (request.getContext() != null) {
                // Slack ids only: who acted and in which workspace, on every log line of this request.
                putIfPresent("slack_user", request.getContext().getRequestUserId());
                putIfPresent("team", request.getContext().getTeamId());
            }
            long start = System.nanoTime();
            Response response = app.run(request);
            onAck.accept(String.valueOf(request.getRequestType()), Duration.ofNanos(System.nanoTime() - start));
            return response;
        } catch (Exception e) {
            // Malformed payloads land here; they get a 400, never a stack trace.
            log.warn("rejected a Slack request that could not be handled: {}", e.getClass().getSimpleName());
            return plain(400, "Bad request");
        } finally {
            MDC.remove("slack_user");
            MDC.remove("team");
        }
    }

    /** A slash command from one pass over its form; anything else as Bolt parses it. */
    private Request<?> parse(SlackRequestParser.HttpRequest http) {
        SlashCommandRequest command = commands.parse(http);
        return command != null ? command : parser.parse(http);
    }

    private static Response plain(int status, String text) {
        return Response.builder().statusCode(status).contentType("text/plain").body(text).build();
    }

    /** Compiled once: String.matches compiled it on every call, twice per request. */
    private static final java.util.regex.Pattern SLACK_ID = java.util.regex.Pattern.compile("[A-Za-z0-9_-]{1,32}");

    private static void putIfPresent(String key, String value) {
        // Read before Bolt checks the signature: only id-shaped values reach the logs.
        if (value != null && SLACK_ID.matcher(value).matches()) {
            MDC.put(key, value);
        }
    }
}
