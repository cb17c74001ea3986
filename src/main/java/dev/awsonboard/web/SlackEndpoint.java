package dev.awsonboard.web;

import com.slack.api.bolt.App;
import com.slack.api.bolt.request.Request;
import com.slack.api.bolt.request.RequestHeaders;
import com.slack.api.bolt.response.Response;
import com.slack.api.bolt.util.SlackRequestParser;
import io.javalin.http.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.time.Duration;
import java.util.function.BiConsumer;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Bridges Javalin to Bolt. The raw body goes to Bolt untouched: Slack signs the exact
 * bytes, so any re-encoding would fail verification. Bolt checks the signature and the
 * timestamp (5 minutes) before any listener runs.
 */
public final class SlackEndpoint {
    private static final Logger log = LoggerFactory.getLogger(SlackEndpoint.class);
    private final App app;
    private final SlackRequestParser parser;
    /** Told (Bolt request type, time to ack) for every request Bolt answered. */
    private final BiConsumer<String, Duration> onAck;

    public SlackEndpoint(App app) {
        this(app, (type, took) -> { });
    }

    public SlackEndpoint(App app, BiConsumer<String, Duration> onAck) {
        this.app = app;
        this.parser = new SlackRequestParser(app.config());
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

    public void handle(Context ctx) {
        if (!timestampInWindow(ctx.header("X-Slack-Request-Timestamp"), System.currentTimeMillis() / 1000)) {
            ctx.status(401).contentType("text/plain").result("Invalid request");
            return;
        }
        Map<String, List<String>> headers = new HashMap<>();
        ctx.headerMap().forEach((k, v) -> headers.put(k.toLowerCase(), List.of(v)));
        SlackRequestParser.HttpRequest http = SlackRequestParser.HttpRequest.builder()
                .requestUri(ctx.path())
                .queryString(ctx.queryParamMap())
                .headers(new RequestHeaders(headers))
                .requestBody(body(ctx))
                .remoteAddress(ctx.ip())
                .build();
        Response response;
        try {
            Request<?> request = parser.parse(http);
            if (request.getContext() != null) {
                // Slack ids only: who acted and in which workspace, on every log line of this request.
                putIfPresent("slack_user", request.getContext().getRequestUserId());
                putIfPresent("team", request.getContext().getTeamId());
            }
            long start = System.nanoTime();
            response = app.run(request);
            onAck.accept(String.valueOf(request.getRequestType()), Duration.ofNanos(System.nanoTime() - start));
        } catch (Exception e) {
            // Malformed payloads land here; they get a 400, never a stack trace.
            log.warn("rejected a Slack request that could not be handled: {}", e.getClass().getSimpleName());
            ctx.status(400).contentType("text/plain").result("Bad request");
            return;
        } finally {
            MDC.remove("slack_user");
            MDC.remove("team");
        }
        ctx.status(response.getStatusCode() == null ? 200 : response.getStatusCode());
        if (response.getHeaders() != null) {
            response.getHeaders().forEach((name, values) -> values.forEach(v -> ctx.header(name, v)));
        }
        if (response.getContentType() != null) {
            ctx.contentType(response.getContentType());
        }
        ctx.result(response.getBody() == null ? "" : response.getBody());
    }

    /** Bodies up to this size are read at their declared length; anything else goes through Javalin (which enforces its limit). */
    static final int DIRECT_READ_MAX = 64 * 1024;

    /**
     * The raw body as Slack sent it (UTF-8). Javalin's {@code ctx.body()} copies every body through two
     * 8 KiB buffers, a quarter of all an acknowledgement allocated; a body of declared length is read
     * into one array of that length instead.
     */
    static String body(Context ctx) {
        long declared = ctx.req().getContentLengthLong();
        if (declared < 0 || declared > DIRECT_READ_MAX) {
            return ctx.body(); // chunked or large: Javalin's own reading and size limit
        }
        try {
            return new String(ctx.req().getInputStream().readNBytes((int) declared), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("could not read the request body", e);
        }
    }

    private static void putIfPresent(String key, String value) {
        // Read before Bolt checks the signature: only id-shaped values reach the logs.
        if (value != null && value.matches("[A-Za-z0-9_-]{1,32}")) {
            MDC.put(key, value);
        }
    }
}
