package dev.awsonboard.slack.inbound;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.slack.api.bolt.App;
import com.slack.api.bolt.response.Response;
import com.slack.api.bolt.socket_mode.SocketModeApp;
import com.slack.api.bolt.socket_mode.request.SocketModeRequest;
import com.slack.api.bolt.socket_mode.request.SocketModeRequestParser;
import com.slack.api.methods.response.apps.connections.AppsConnectionsOpenResponse;
import com.slack.api.socket_mode.SocketModeClient;
import com.slack.api.socket_mode.impl.SocketModeClientJavaWSImpl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;

/**
 * Socket Mode: the bot opens a websocket to Slack (no public URL needed) and Slack sends slash
 * commands, interactions and events over it as envelopes, which the same Bolt {@link App} handles
 * as it handles {@code POST /slack/events}.
 *
 * <p>{@code apps.connections.open} is called with the app-level token through the app's own
 * {@code Slack} instance, so it goes wherever {@code SLACK_API_URL} points. The websocket is Java-WebSocket
 * ({@link SocketModeClient.Backend#JavaWebSocket}). Bolt's {@link SocketModeApp} runs the lifecycle
 * (Bolt start, connect, reconnect when a ping goes unanswered or Slack asks with a {@code disconnect}
 * message, stop); each envelope is run and acked by {@link #handle(String)}: the listener's ack body
 * (a slash command's ephemeral text, a view submission's {@code response_action}) goes back as the
 * ack's {@code payload}, as Slack expects.
 */
public final class SocketMode implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SocketMode.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final App app;
    private final SocketModeClient client;
    private final SocketModeRequestParser parser;
    private final SocketModeApp socketModeApp;
    private final java.util.function.BiConsumer<String, java.time.Duration> onAck;

    private SocketMode(App app, SocketModeClient client, java.util.function.BiConsumer<String, java.time.Duration> onAck) {
        this.app = app;
        this.client = client;
        this.onAck = onAck;
        this.parser = new SocketModeRequestParser(app.config());
        this.socketModeApp = new SocketModeApp(client, app);
    }

    /**
     * Connects and returns at once; envelopes are handled on the client's threads.
     *
     * @throws IllegalStateException when Slack refuses the app-level token or cannot be reached (the
     *                               message names Slack's error, never the token)
     */
    public static SocketMode start(App app, String appToken) {
        return start(app, appToken, (type, took) -> { });
    }

    /** As {@link #start(App, String)}, reporting how long each envelope took to answer, by Bolt request type. */
    public static SocketMode start(App app, String appToken, java.util.function.BiConsumer<String, java.time.Duration> onAck) {
        SocketModeClient client;
        try {
            // Asked here rather than inside the SDK so a bad token fails the start with Slack's own error.
            AppsConnectionsOpenResponse opened = app.slack().methods(appToken).appsConnectionsOpen(r -> r);
            if (!opened.isOk() || opened.getUrl() == null) {
                throw new IllegalStateException("Socket Mode: apps.connections.open failed (" + opened.getError()
                        + "): check SLACK_APP_TOKEN (an app-level token, xapp-..., with connections:write) and that"
                        + " Socket Mode is enabled for the app (manifest.yml: settings.socket_mode_enabled: true).");
            }
            client = new SocketModeClientJavaWSImpl(app.slack(), appToken, opened.getUrl());
        } catch (IllegalStateException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("Socket Mode: cannot reach Slack's apps.connections.open: "
                    + e.getClass().getSimpleName(), e);
        }
        SocketMode socketMode = new SocketMode(app, client, onAck);
        client.addWebSocketMessageListener(socketMode::handle);
        try {
            // Starts Bolt (auth.test), asks for a fresh URL, connects without waiting for Slack's hello.
            socketMode.socketModeApp.startAsync();
        } catch (Exception e) {
            socketMode.close();
            throw new IllegalStateException("Socket Mode: could not connect: " + e.getClass().getSimpleName(), e);
        }
        log.info("Socket Mode started");
        return socketMode;
    }

    /**
     * One websocket message. Envelopes are run through the Bolt app and acked with the listener's
     * answer; {@code hello}, {@code disconnect} and the like are not envelopes and are left to the client.
     * An envelope Bolt rejects (no listener, an error) is not acked, as {@code POST /slack/events} answers
     * it with an error status: Slack shows the person an error or redelivers.
     */
    void handle(String message) {
        SocketModeRequest request;
        try {
            request = parser.parse(firstDeliveryWithoutRetryFields(message));
        } catch (RuntimeException e) {
            log.warn("ignored a Socket Mode message that could not be read: {}", e.getClass().getSimpleName());
            return;
        }
        if (request == null) {
            return;
        }
        String envelopeId = request.getEnvelope().getEnvelopeId();
        Response response;
        long start = System.nanoTime();
        try {
            response = app.run(request.getBoltRequest());
            onAck.accept(String.valueOf(request.getBoltRequest().getRequestType()), java.time.Duration.ofNanos(System.nanoTime() - start));
        } catch (Exception e) {
            log.error("a Socket Mode envelope failed: {}", e.getClass().getSimpleName());
            return;
        }
        if (response.getStatusCode() == null || response.getStatusCode() != 200) {
            log.warn("a Socket Mode envelope was not acked: the app answered status {}", response.getStatusCode());
            return;
        }
        client.sendSocketModeResponse(ack(envelopeId, response));
    }

    /**
     * Slack marks a first delivery {@code "retry_attempt": 0}; Bolt turns any retry_attempt into an
     * {@code X-Slack-Retry-Num} header, which over HTTP only a redelivery carries. Dropping the fields on a
     * first delivery keeps them meaning "redelivery" for the app's middleware, in both modes.
     */
    static String firstDeliveryWithoutRetryFields(String message) {
        if (!message.contains("retry_attempt")) {
            return message;
        }
        try {
            JsonNode node = JSON.readTree(message);
            if (node instanceof ObjectNode envelope && envelope.path("retry_attempt").isIntegralNumber()
                    && envelope.path("retry_attempt").asInt() == 0) {
                envelope.remove("retry_attempt");
                envelope.remove("retry_reason");
                return JSON.writeValueAsString(envelope);
            }
            return message;
        } catch (IOException e) {
            return message;
        }
    }

    /**
     * {@code {"envelope_id": ...}} for a bare ack; with the listener's answer as {@code payload} when it
     * has one: JSON as is ({@code {"text": ...}}, {@code {"response_action": ...}}), plain text as {@code {"text": ...}}.
     */
    static String ack(String envelopeId, Response response) {
        ObjectNode ack = JSON.createObjectNode().put("envelope_id", envelopeId);
        String body = response.getBody();
        if (body != null && !body.isBlank()) {
            String type = response.getContentType() == null ? "" : response.getContentType();
            JsonNode payload = null;
            if (type.startsWith("application/json")) {
                try {
                    payload = JSON.readTree(body);
                } catch (IOException e) {
                    payload = null;
                }
            }
            ack.set("payload", payload != null && payload.isObject() ? payload : JSON.createObjectNode().put("text", body));
        }
        return ack.toString();
    }

    /** Disconnects (no reconnect) and stops the client's threads. */
    @Override
    public void close() {
        try {
            client.close();
        } catch (IOException | RuntimeException e) {
            log.warn("Socket Mode client did not close cleanly: {}", e.getClass().getSimpleName());
        }
        try {
            socketModeApp.stop();
        } catch (Exception e) {
            log.warn("Socket Mode app did not stop cleanly: {}", e.getClass().getSimpleName());
        }
    }
}
