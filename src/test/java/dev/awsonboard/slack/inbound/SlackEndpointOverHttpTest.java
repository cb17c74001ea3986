package dev.awsonboard.slack.inbound;

import com.slack.api.bolt.App;
import com.slack.api.bolt.AppConfig;
import com.slack.api.bolt.request.RequestHeaders;
import com.slack.api.bolt.response.Response;
import com.slack.api.bolt.util.SlackRequestParser;
import com.slack.api.model.event.MessageEvent;
import dev.awsonboard.e2e.CapturedLogs;
import dev.awsonboard.fakes.SlackRequests;
import dev.awsonboard.metrics.Metrics;
import dev.awsonboard.web.Readiness;
import dev.awsonboard.web.WebServer;
import org.eclipse.jetty.util.thread.Invocable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Slack's endpoint over real HTTP, on a started {@link WebServer} wired to a small Bolt app: each answer
 * the endpoint gave as a Javalin route, it gives as a Jetty handler.
 */
class SlackEndpointOverHttpTest {
    private static final String SECRET = "web-test-signing-secret-7d1e";
    private static final String FORM = "application/x-www-form-urlencoded";

    private final List<String> acks = new CopyOnWriteArrayList<>();
    /** What the listeners saw while they ran. */
    private final Map<String, String> seen = new ConcurrentHashMap<>();
    private SlackEndpoint endpoint;
    private WebServer web;
    private SlackRequests send;

    @BeforeEach
    void start() {
        App app = new App(AppConfig.builder().signingSecret(SECRET).build());
        app.command("/echo", (req, ctx) -> {
            seen.put("text", req.getPayload().getText());
            seen.put("slack_user", String.valueOf(MDC.get("slack_user")));
            seen.put("team", String.valueOf(MDC.get("team")));
            seen.put("thread", Thread.currentThread().getName());
            seen.put("non-blocking", String.valueOf(Invocable.isNonBlockingInvocation()));
            return ctx.ack(req.getPayload().getText());
        });
        app.command("/custom", (req, ctx) -> Response.builder().statusCode(201).contentType("application/x-custom")
                .headers(Map.of("X-One", List.of("first", "last"))).body("custom body").build());
        app.command("/bare", (req, ctx) -> Response.builder().statusCode(202).contentType(null).body(null).build());
        app.command("/broken", (req, ctx) -> {
            Map<String, List<String>> headers = new HashMap<>();
            headers.put("X-Nothing", null); // no list to write: the endpoint fails writing the answer
            return Response.builder().statusCode(200).headers(headers).body("secret body text").build();
        });
        app.event(MessageEvent.class, (payload, ctx) -> {
            seen.put("message", payload.getEvent().getText());
            return ctx.ack();
        });
        endpoint = new SlackEndpoint(app, (type, took) -> acks.add(type));
        web = new WebServer(new Metrics()).start("127.0.0.1", 0).serve(endpoint, new Readiness());
        send = new SlackRequests(URI.create("http://127.0.0.1:" + web.port()), SECRET, Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        web.close();
    }

    private HttpResponse<String> command(String command, String text) {
        return send.slashCommand("UPERSON001", command, text, "trigger-1", "https://hooks.example/response");
    }

    @Test
    void beforeServeSlacksEndpointAnswers503StartingAsPlainText() {
        try (WebServer starting = new WebServer(new Metrics()).start("127.0.0.1", 0)) {
            SlackRequests early = new SlackRequests(URI.create("http://127.0.0.1:" + starting.port()), SECRET, Clock.systemUTC());

            HttpResponse<String> r = early.slashCommand("UPERSON001", "/echo", "hi", "trigger-1", "https://hooks.example/r");

            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain");
            assertThat(r.body()).isEqualTo("Starting");
        }
    }

    @Test
    void boltsStatusHeadersContentTypeAndBodyPassThroughWithTheLastValueOfAHeader() {
        HttpResponse<String> r = command("/custom", "x");

        assertThat(r.statusCode()).isEqualTo(201);
        assertThat(r.headers().allValues("X-One")).containsExactly("last");
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/x-custom");
        assertThat(r.body()).isEqualTo("custom body");
    }

    @Test
    void anAckIsJsonInUtf8WithTheCharsetAsJettyWroteIt() {
        HttpResponse<String> r = command("/echo", "コードは 123 456 です +%@");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json;charset=utf-8");
        assertThat(r.body()).isEqualTo("{\"text\":\"コードは 123 456 です +%@\"}");
        assertThat(seen).containsEntry("text", "コードは 123 456 です +%@");
    }

    @Test
    void anAnswerWithoutContentTypeOrBodyIsEmptyPlainText() {
        HttpResponse<String> r = command("/bare", "x");

        assertThat(r.statusCode()).isEqualTo(202);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain");
        assertThat(r.body()).isEmpty();
    }

    @Test
    void theListenerRunsOnAPoolThreadThatMayBlockWithTheSlackIdsInTheMdc() {
        assertThat(command("/echo", "hi").statusCode()).isEqualTo(200);

        assertThat(seen).containsEntry("slack_user", "UPERSON001").containsEntry("team", SlackRequests.TEAM_ID)
                .containsEntry("non-blocking", "false");
        assertThat(seen.get("thread")).startsWith("JettyServerThreadPool-");
    }

    @Test
    void theMdcKeysAreGoneOnceTheRequestIsAnswered() {
        String body = send.slashCommandBody("UPERSON001", SlackRequests.DEFAULT_CHANNEL_ID, "/echo", "hi", "t", "https://x");
        String ts = Long.toString(send.now());
        Map<String, List<String>> headers = Map.of("content-type", List.of(FORM), "x-slack-request-timestamp", List.of(ts),
                "x-slack-signature", List.of(SlackRequests.sign(SECRET, ts, body)));

        Response r = endpoint.handle(SlackRequestParser.HttpRequest.builder().requestUri("/slack/events").queryString(Map.of())
                .headers(new RequestHeaders(headers)).requestBody(body).remoteAddress("127.0.0.1").build());

        assertThat(r.getStatusCode()).isEqualTo(200);
        assertThat(seen).containsEntry("slack_user", "UPERSON001");
        assertThat(MDC.get("slack_user")).isNull();
        assertThat(MDC.get("team")).isNull();
    }

    @Test
    void onAckIsToldTheTypeOfEachRequestBoltAnswered() {
        command("/echo", "one");
        send.raw(send.messageEventBody("UPERSON001", "DPERSON001", "two"), "application/json", Map.of(), send.now(), true);

        assertThat(acks).containsExactly("Command", "Event");
    }

    @Test
    void aTrailingSlashOrAQueryStringStillReachesSlacksEndpoint() throws Exception {
        String body = send.slashCommandBody("UPERSON001", SlackRequests.DEFAULT_CHANNEL_ID, "/echo", "hi", "t", "https://x");
        for (String path : List.of("/slack/events/", "/slack/events?from=proxy")) {
            HttpResponse<String> r = post(path, body, send.now());
            assertThat(r.statusCode()).as(path).isEqualTo(200);
            assertThat(r.body()).as(path).isEqualTo("{\"text\":\"hi\"}");
        }
    }

    @Test
    void otherMethodsAndPathsAreJavalinsAsBefore() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        URI events = URI.create("http://127.0.0.1:" + web.port() + "/slack/events");
        HttpResponse<String> get = client.send(HttpRequest.newBuilder(events).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> put = client.send(HttpRequest.newBuilder(events).PUT(HttpRequest.BodyPublishers.ofString("x")).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> health = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + web.port() + "/healthz")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(get.statusCode()).isEqualTo(404);
        assertThat(get.body()).isEqualTo("Endpoint GET /slack/events not found");
        assertThat(put.statusCode()).isEqualTo(404);
        assertThat(put.body()).isEqualTo("Endpoint PUT /slack/events not found");
        assertThat(post("/slack/events/more", "x", send.now()).statusCode()).isEqualTo(404);
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).isEqualTo("ok");
    }

    @Test
    void aTimestampTooFarAheadIsRefused401BeforeBolt() {
        String body = send.slashCommandBody("UPERSON001", SlackRequests.DEFAULT_CHANNEL_ID, "/echo", "hi", "t", "https://x");

        HttpResponse<String> r = send.raw(body, FORM, Map.of(), send.now() + SlackEndpoint.MAX_SKEW_SECONDS + 60, true);

        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain");
        assertThat(r.body()).isEqualTo("Invalid request");
        assertThat(acks).isEmpty();
        assertThat(seen).isEmpty();
    }

    @Test
    void anUnparseablePayloadIs400BadRequest() {
        HttpResponse<String> r = send.raw("payload=%7Bnot+json", FORM, Map.of(), send.now(), true);

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain");
        assertThat(r.body()).isEqualTo("Bad request");
    }

    @Test
    void anUnexpectedExceptionIs500WithOnlyItsClassLogged() {
        try (CapturedLogs logs = CapturedLogs.attach()) {
            HttpResponse<String> r = command("/broken", "x");

            assertThat(r.statusCode()).isEqualTo(500);
            assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain");
            assertThat(r.headers().firstValue("X-Nothing")).isEmpty();
            assertThat(r.body()).isEqualTo("Internal error");
            assertThat(logs.lines()).contains("ERROR dev.awsonboard.web.WebServer unhandled error on POST /slack/events: NullPointerException");
            assertThat(logs.all()).doesNotContain("secret body text", "\tat ", " | ");
        }
    }

    @Test
    void aChunkedUtf8EventIsVerifiedAsTheBytesSlackSigned() {
        HttpResponse<String> r = send.chunked(send.messageEventBody("UPERSON001", "DPERSON001", "コードは 123456 と 654321"), "application/json");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(seen).containsEntry("message", "コードは 123456 と 654321");
    }

    @Test
    void aBodyOfExactlyTheLimitIsReadAndGoesToBolt() throws Exception {
        String body = "payload=" + "a".repeat(1_000_000 - "payload=".length());

        HttpResponse<String> r = post("/slack/events", body, send.now());

        assertThat(r.statusCode()).as("Bolt could not parse it: read, not refused").isEqualTo(400);
    }

    @Test
    void aDeclaredBodyOverTheLimitIs413BeforeAnyOfItIsSent() throws IOException {
        String head = "POST /slack/events HTTP/1.1\r\nHost: localhost\r\nContent-Type: " + FORM + "\r\nContent-Length: 1000001\r\n\r\n";

        String answer = exchange(head.getBytes(StandardCharsets.US_ASCII));

        assertThat(answer).startsWith("HTTP/1.1 413 ").contains("Content-Type: text/plain\r\n", "Connection: close\r\n")
                .endsWith("\r\n\r\nContent Too Large");
    }

    @Test
    void aChunkedBodyOverTheLimitIs413() throws IOException {
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.writeBytes(("POST /slack/events HTTP/1.1\r\nHost: localhost\r\nContent-Type: " + FORM
                + "\r\nTransfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        byte[] piece = "a".repeat(10_000).getBytes(StandardCharsets.US_ASCII);
        for (int sent = 0; sent <= 1_000_000; sent += piece.length) {
            request.writeBytes((Integer.toHexString(piece.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            request.writeBytes(piece);
            request.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        request.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));

        String answer = exchange(request.toByteArray());

        assertThat(answer).startsWith("HTTP/1.1 413 ").endsWith("\r\n\r\nContent Too Large");
    }

    private HttpResponse<String> post(String path, String body, long ts) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + web.port() + path))
                .header("Content-Type", FORM)
                .header("X-Slack-Request-Timestamp", Long.toString(ts))
                .header("X-Slack-Signature", SlackRequests.sign(SECRET, Long.toString(ts), body))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** Sends raw bytes on a new connection and reads all the server answers until it closes the connection. */
    private String exchange(byte[] request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", web.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request);
                out.flush();
            } catch (IOException refusedEarly) {
                // the server may answer and close before all of it is sent; its answer is still to be read
            }
            InputStream in = socket.getInputStream();
            try {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("no answer", e);
            }
        }
    }
}
