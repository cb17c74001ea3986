package dev.awsonboard.fakes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.java_websocket.WebSocket;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * In-process fake of Slack's Socket Mode websocket, on a random loopback port, speaking the wire
 * protocol the real SDK client speaks: the app connects to a URL that {@code apps.connections.open}
 * handed out (see {@link FakeSlack#socketMode}), gets a {@code hello}, then receives envelopes
 * <pre>{"envelope_id": ..., "type": "slash_commands" | "interactive" | "events_api", "payload": {...},
 *  "accepts_response_payload": ..., "retry_attempt": 0, "retry_reason": ""}</pre>
 * and answers each with an ack {@code {"envelope_id": ..., "payload": {...}?}}. Each {@code send...} returns a
 * future of that ack. Only URLs this fake issued are accepted, as Slack accepts only its own tickets.
 *
 * <p>Payload bodies come from {@link SlackRequests}' builders: a slash command's form fields become the
 * JSON object Slack sends in Socket Mode, an interaction's {@code payload=} is unwrapped.
 */
public final class FakeSocketMode implements AutoCloseable {
    public static final String APP_ID = FakeSlack.APP_ID;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** The app's answer to one envelope; {@code payload} is a missing node for a bare ack. */
    public record Ack(String envelopeId, JsonNode payload, JsonNode raw) {
        public boolean hasPayload() {
            return !payload.isMissingNode() && !payload.isNull();
        }
    }

    private final Server server;
    private final Object lock = new Object();
    private final Set<String> issuedTickets = new HashSet<>();
    private final List<String> acceptedPaths = new ArrayList<>();
    private final List<WebSocket> open = new ArrayList<>();
    private final Map<String, CompletableFuture<Ack>> pending = new LinkedHashMap<>();
    private final List<JsonNode> strayMessages = new ArrayList<>();
    private int rejectedConnections;

    private FakeSocketMode() {
        this.server = new Server(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    public static FakeSocketMode start() {
        FakeSocketMode fake = new FakeSocketMode();
        fake.server.setReuseAddr(true);
        fake.server.setDaemon(true); // a forgotten close() must not keep the test JVM alive
        fake.server.start();
        try {
            if (!fake.server.started.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("fake Socket Mode server did not start");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (fake.server.failure != null) {
            throw new IllegalStateException("fake Socket Mode server failed to start", fake.server.failure);
        }
        return fake;
    }

    @Override
    public void close() {
        try {
            server.stop(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public int port() {
        return server.getPort();
    }

    /** A fresh connection URL with a one-time ticket, as {@code apps.connections.open} returns; give it to {@link FakeSlack#socketMode}. */
    public String newUrl() {
        String ticket = UUID.randomUUID().toString();
        synchronized (lock) {
            issuedTickets.add(ticket);
        }
        return "ws://127.0.0.1:" + port() + "/link?ticket=" + ticket + "&app_id=" + APP_ID;
    }

    // ------------------------------------------------------------------ what happened

    /** Path and query of every connection accepted (and greeted with hello), oldest first. */
    public List<String> acceptedConnections() {
        synchronized (lock) {
            return List.copyOf(acceptedPaths);
        }
    }

    public int openConnections() {
        synchronized (lock) {
            return open.size();
        }
    }

    /** Connections refused because their ticket was unknown or already used. */
    public int rejectedConnections() {
        synchronized (lock) {
            return rejectedConnections;
        }
    }

    /** Messages from the app that acked no envelope this fake sent (or acked one twice). */
    public List<JsonNode> strayMessages() {
        synchronized (lock) {
            return List.copyOf(strayMessages);
        }
    }

    // ------------------------------------------------------------------ Slack sending envelopes

    /** A slash command: {@code formBody} is {@link SlackRequests#slashCommandBody}; Socket Mode sends its fields as a JSON object. */
    public CompletableFuture<Ack> sendSlashCommand(String formBody) {
        return send("slash_commands", formToJson(formBody), true, 0, "");
    }

    /** An interaction (block_actions, view_submission, ...): {@code payloadJson} is the JSON Slack would put in {@code payload=}. */
    public CompletableFuture<Ack> sendInteractive(String payloadJson) {
        return send("interactive", readJson(payloadJson), true, 0, "");
    }

    /** An Events API callback ({@link SlackRequests#messageEventBody}), first delivery. */
    public CompletableFuture<Ack> sendEvent(String eventCallbackJson) {
        return sendEvent(eventCallbackJson, 0, "");
    }

    /** An Events API callback; Slack redelivers an unacked one with {@code retry_attempt} 1..3 and a reason such as {@code timeout}. */
    public CompletableFuture<Ack> sendEvent(String eventCallbackJson, int retryAttempt, String retryReason) {
        // Slack takes no response payload for events: the ack is all there is.
        return send("events_api", readJson(eventCallbackJson), false, retryAttempt, retryReason);
    }

    /** Any envelope to the newest open connection; the future completes with the app's ack. */
    public CompletableFuture<Ack> send(String type, JsonNode payload, boolean acceptsResponsePayload,
                                       int retryAttempt, String retryReason) {
        String envelopeId = UUID.randomUUID().toString();
        ObjectNode envelope = NODES.objectNode().put("envelope_id", envelopeId).put("type", type);
        envelope.set("payload", payload);
        envelope.put("accepts_response_payload", acceptsResponsePayload)
                .put("retry_attempt", retryAttempt)
                .put("retry_reason", retryReason);
        CompletableFuture<Ack> ack = new CompletableFuture<>();
        WebSocket target;
        synchronized (lock) {
            if (open.isEmpty()) {
                throw new IllegalStateException("no Socket Mode connection is open");
            }
            target = open.get(open.size() - 1);
            pending.put(envelopeId, ack);
        }
        target.send(envelope.toString());
        return ack;
    }

    /** Slack's "please reconnect" message: {@code {"type":"disconnect","reason":"refresh_requested"}}, to every open connection. */
    public void requestRefresh() {
        List<WebSocket> targets;
        synchronized (lock) {
            targets = List.copyOf(open);
        }
        String message = NODES.objectNode().put("type", "disconnect").put("reason", "refresh_requested")
                .set("debug_info", NODES.objectNode().put("host", "fake-socket-mode")).toString();
        targets.forEach(c -> c.send(message));
    }

    // ------------------------------------------------------------------ body helpers

    /** {@code a=1&b=2} as {@code {"a":"1","b":"2"}}: the shape of a slash_commands envelope's payload. */
    public static ObjectNode formToJson(String form) {
        ObjectNode fields = NODES.objectNode();
        for (String pair : form.split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            fields.put(key, value);
        }
        return fields;
    }

    /** The JSON inside a {@code payload=...} form body ({@link SlackRequests#blockActionBody}, {@link SlackRequests#viewSubmissionBody}). */
    public static String interactivePayload(String formBody) {
        if (!formBody.startsWith("payload=")) {
            throw new IllegalArgumentException("not a payload= body");
        }
        return URLDecoder.decode(formBody.substring("payload=".length()), StandardCharsets.UTF_8);
    }

    private static JsonNode readJson(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ------------------------------------------------------------------ websocket plumbing

    private final class Server extends WebSocketServer {
        final CountDownLatch started = new CountDownLatch(1);
        volatile Exception failure;

        Server(InetSocketAddress address) {
            super(address);
        }

        @Override
        public void onStart() {
            started.countDown();
        }

        @Override
        public void onOpen(WebSocket conn, ClientHandshake handshake) {
            String path = handshake.getResourceDescriptor();
            String ticket = ticket(path);
            int connections;
            synchronized (lock) {
                // A ticket is good for one connection, as Slack's are.
                if (ticket == null || !issuedTickets.remove(ticket)) {
                    rejectedConnections++;
                    conn.close(CloseFrame.POLICY_VALIDATION, "invalid ticket");
                    return;
                }
                acceptedPaths.add(path);
                open.add(conn);
                connections = open.size();
            }
            ObjectNode hello = NODES.objectNode().put("type", "hello").put("num_connections", connections);
            hello.set("debug_info", NODES.objectNode()
                    .put("host", "fake-socket-mode")
                    .put("build_number", 1)
                    .put("approximate_connection_time", 18060));
            hello.set("connection_info", NODES.objectNode().put("app_id", APP_ID));
            conn.send(hello.toString());
        }

        @Override
        public void onClose(WebSocket conn, int code, String reason, boolean remote) {
            synchronized (lock) {
                open.remove(conn);
            }
        }

        @Override
        public void onMessage(WebSocket conn, String message) {
            JsonNode node;
            try {
                node = JSON.readTree(message);
            } catch (IOException e) {
                node = NODES.textNode(message);
            }
            CompletableFuture<Ack> ack;
            synchronized (lock) {
                ack = pending.remove(node.path("envelope_id").asText(""));
                if (ack == null) {
                    strayMessages.add(node);
                    return;
                }
            }
            ack.complete(new Ack(node.path("envelope_id").asText(), node.path("payload"), node));
        }

        @Override
        public void onError(WebSocket conn, Exception ex) {
            if (conn == null) {
                // Server-level: binding failed.
                failure = ex;
                started.countDown();
            }
        }

        private String ticket(String resource) {
            String query = URI.create("ws://x" + resource).getRawQuery();
            if (query == null) return null;
            for (String part : query.split("&")) {
                if (part.startsWith("ticket=")) return part.substring("ticket=".length());
            }
            return null;
        }
    }
}
