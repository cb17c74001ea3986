package dev.awsonboard.fakes;

import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.app_backend.SlackSignature;
import com.slack.api.app_backend.interactive_components.payload.BlockActionPayload;
import com.slack.api.app_backend.slash_commands.payload.SlashCommandPayload;
import com.slack.api.app_backend.views.payload.ViewSubmissionPayload;
import com.slack.api.bolt.AppConfig;
import com.slack.api.bolt.request.Request;
import com.slack.api.bolt.request.RequestHeaders;
import com.slack.api.bolt.request.builtin.BlockActionRequest;
import com.slack.api.bolt.request.builtin.EventRequest;
import com.slack.api.bolt.request.builtin.SlashCommandRequest;
import com.slack.api.bolt.request.builtin.ViewSubmissionRequest;
import com.slack.api.bolt.util.SlackRequestParser;
import com.slack.api.model.view.View;
import com.slack.api.model.view.ViewState;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static com.slack.api.model.view.Views.view;
import static com.slack.api.model.view.Views.viewTitle;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks SlackRequests against Slack's published signing vector and against Bolt's own parser and
 * signature verifier, so an app test that fails is failing on the app, not on a malformed fake request.
 */
class SlackRequestsTest {

    private static final String SECRET = "test-signing-secret";
    private static final Instant NOW = Instant.parse("2026-01-15T10:00:00Z");

    private record Captured(String path, Map<String, List<String>> headers, String body) {
    }

    private HttpServer server;
    private final List<Captured> captured = new ArrayList<>();
    private SlackRequests slack;

    @BeforeEach
    void startCapturingServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, List<String>> headers = new HashMap<>();
            ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), List.copyOf(v)));
            synchronized (captured) {
                captured.add(new Captured(ex.getRequestURI().getPath(), headers, body));
            }
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        server.start();
        slack = new SlackRequests(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/"), SECRET,
                Clock.fixed(NOW, ZoneOffset.UTC), id -> "http://127.0.0.1:1/response/" + id);
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void signatureEqualsSlacksPublishedVector() throws IOException {
        Path vector = Vectors.path("slack-signing.txt");
        Map<String, String> v = new HashMap<>();
        for (String line : Files.readAllLines(vector, StandardCharsets.UTF_8)) {
            int eq = line.indexOf('=');
            if (line.startsWith("#") || eq < 0) continue;
            v.put(line.substring(0, eq), line.substring(eq + 1));
        }
        assertThat(v).containsKeys("signing_secret", "timestamp", "body", "signature");

        assertThat(SlackRequests.sign(v.get("signing_secret"), v.get("timestamp"), v.get("body")))
                .isEqualTo(v.get("signature"));
    }

    @Test
    void slashCommandIsSignedAndParsesAsBoltsSlashCommand() {
        HttpResponse<String> r = slack.slashCommand("U123", "/aws-onboard", "sampleUser <@U456>", "trig.1",
                "http://127.0.0.1:1/response/cmd");

        assertThat(r.statusCode()).isEqualTo(200);
        Captured c = single();
        assertThat(c.path()).isEqualTo("/slack/events");
        assertThat(c.headers().get("content-type")).containsExactly("application/x-www-form-urlencoded");
        assertThat(c.headers().get("x-slack-request-timestamp")).containsExactly(String.valueOf(NOW.getEpochSecond()));
        assertThat(boltAcceptsSignature(c, NOW.toEpochMilli())).isTrue();

        SlashCommandPayload p = ((SlashCommandRequest) parse(c)).getPayload();
        assertThat(p.getUserId()).isEqualTo("U123");
        assertThat(p.getCommand()).isEqualTo("/aws-onboard");
        assertThat(p.getText()).isEqualTo("sampleUser <@U456>");
        assertThat(p.getTriggerId()).isEqualTo("trig.1");
        assertThat(p.getResponseUrl()).isEqualTo("http://127.0.0.1:1/response/cmd");
        assertThat(p.getTeamId()).isEqualTo("T0001");
        assertThat(p.getChannelId()).isEqualTo(SlackRequests.DEFAULT_CHANNEL_ID);
    }

    @Test
    void blockActionParsesAsBoltsBlockActionWithItsResponseUrl() {
        slack.blockAction("U999", "approve", "req-42", "C0APPROVAL", "1700000000.000100", "trig.2");

        Captured c = single();
        assertThat(boltAcceptsSignature(c, NOW.toEpochMilli())).isTrue();
        BlockActionPayload p = ((BlockActionRequest) parse(c)).getPayload();
        assertThat(p.getUser().getId()).isEqualTo("U999");
        assertThat(p.getActions()).singleElement().satisfies(a -> {
            assertThat(a.getActionId()).isEqualTo("approve");
            assertThat(a.getValue()).isEqualTo("req-42");
            assertThat(a.getType()).isEqualTo("button");
        });
        assertThat(p.getChannel().getId()).isEqualTo("C0APPROVAL");
        assertThat(p.getContainer().getMessageTs()).isEqualTo("1700000000.000100");
        assertThat(p.getMessage().getTs()).isEqualTo("1700000000.000100");
        assertThat(p.getTriggerId()).isEqualTo("trig.2");
        assertThat(p.getResponseUrl()).startsWith("http://127.0.0.1:1/response/action-");
    }

    @Test
    void viewSubmissionCarriesTheStateValuesBoltReads() {
        slack.viewSubmission("U123", "onboard_request", "{\"v\":1}", Map.of(
                "iam_user", Map.of("iam_user_input", SlackRequests.plainTextInput("sampleUser")),
                "person", Map.of("person_select", SlackRequests.usersSelect("U456")),
                "groups", Map.of("groups_select", SlackRequests.multiStaticSelect("developers", "readers"))),
                "V0001");

        Captured c = single();
        assertThat(boltAcceptsSignature(c, NOW.toEpochMilli())).isTrue();
        ViewSubmissionPayload p = ((ViewSubmissionRequest) parse(c)).getPayload();
        assertThat(p.getUser().getId()).isEqualTo("U123");
        assertThat(p.getView().getId()).isEqualTo("V0001");
        assertThat(p.getView().getCallbackId()).isEqualTo("onboard_request");
        assertThat(p.getView().getPrivateMetadata()).isEqualTo("{\"v\":1}");
        Map<String, Map<String, ViewState.Value>> values = p.getView().getState().getValues();
        assertThat(values.get("iam_user").get("iam_user_input").getValue()).isEqualTo("sampleUser");
        assertThat(values.get("person").get("person_select").getSelectedUser()).isEqualTo("U456");
        assertThat(values.get("groups").get("groups_select").getSelectedOptions())
                .extracting(ViewState.SelectedOption::getValue).containsExactly("developers", "readers");
    }

    @Test
    void builtAgainstAFakeSlackTheResponseUrlsAndTriggerIdsAreOnesItIssued() throws Exception {
        try (FakeSlack fake = FakeSlack.start(Clock.fixed(NOW, ZoneOffset.UTC));
             Slack sdk = Slack.getInstance(sdkConfig(fake))) {
            SlackRequests bodies = new SlackRequests(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/"),
                    SECRET, Clock.fixed(NOW, ZoneOffset.UTC), fake);
            bodies.blockAction("U999", "approve", "req-42", "C0APPROVAL", "1700000000.000100", fake.trigger());
            bodies.viewSubmission("U123", "onboard_request", "", Map.of(), "V0001");

            BlockActionPayload click = ((BlockActionRequest) parse(captured.get(0))).getPayload();
            ViewSubmissionPayload submit = ((ViewSubmissionRequest) parse(captured.get(1))).getPayload();
            assertThat(click.getResponseUrl()).startsWith(fake.baseUrl() + "/response/action-");
            assertThat(sdk.send(click.getResponseUrl(), "{\"text\":\"ok\"}").getCode()).isEqualTo(200);
            // The submission's trigger_id opens exactly one view, as a real one does.
            View modal = view(v -> v.type("modal").title(viewTitle(t -> t.type("plain_text").text("Next"))));
            var methods = sdk.methods(fake.botToken());
            assertThat(methods.viewsPush(r -> r.triggerId(submit.getTriggerId()).view(modal)).isOk()).isTrue();
            assertThat(methods.viewsPush(r -> r.triggerId(submit.getTriggerId()).view(modal)).getError())
                    .isEqualTo("exchanged_trigger_id");
        }
    }

    @Test
    void messageEventIsAnImEventCallbackWithAFreshEventIdEachTime() {
        slack.messageEvent("U456", "DU456", "123456 654321");
        slack.messageEvent("U456", "DU456", "again");

        Captured first = captured.get(0);
        assertThat(first.headers().get("content-type")).containsExactly("application/json");
        assertThat(boltAcceptsSignature(first, NOW.toEpochMilli())).isTrue();
        EventRequest req = (EventRequest) parse(first);
        assertThat(req.getEventType()).isEqualTo("message");
        assertThat(first.body()).contains("\"channel_type\":\"im\"", "\"text\":\"123456 654321\"", "\"user\":\"U456\"");
        assertThat(eventId(first)).isNotEqualTo(eventId(captured.get(1)));
    }

    /** The bot drops an event whose id it saw before as a redelivery, so no two kinds of event may share one. */
    @Test
    void everyEventOfEveryKindHasAnIdNoOtherEventOfTheJvmHad() throws IOException {
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (int i = 0; i < 20; i++) {
            ids.add(mapper.readTree(slack.messageEventBody("U456", "DU456", "123456 654321")).get("event_id").asText());
            ids.add(mapper.readTree(slack.appHomeOpenedBody("U456", "home")).get("event_id").asText());
            ids.add(mapper.readTree(slack.userChangeBody("U456", "Alice", false)).get("event_id").asText());
        }
        assertThat(ids).hasSize(60);
    }

    @Test
    void rawWithAForgedSignatureIsRejectedByBoltsVerifier() {
        String body = slack.messageEventBody("U456", "DU456", "hi");

        slack.raw(body, "application/json", Map.of(), slack.now(), false);

        Captured c = single();
        assertThat(c.body()).isEqualTo(body);
        assertThat(c.headers().get("x-slack-signature").get(0)).startsWith("v0=");
        assertThat(boltAcceptsSignature(c, NOW.toEpochMilli())).isFalse();
    }

    @Test
    void rawWithAStaleTimestampIsRejectedByBoltsVerifierEvenWhenSignedCorrectly() {
        long sixMinutesAgo = NOW.getEpochSecond() - 360;

        slack.raw("payload=%7B%7D", "application/x-www-form-urlencoded", Map.of(), sixMinutesAgo, true);

        Captured c = single();
        assertThat(c.headers().get("x-slack-signature").get(0))
                .isEqualTo(SlackRequests.sign(SECRET, String.valueOf(sixMinutesAgo), "payload=%7B%7D"));
        assertThat(boltAcceptsSignature(c, NOW.toEpochMilli())).isFalse();
    }

    @Test
    void rawPassesSlackRetryHeadersAndCanDropTheSignature() {
        String body = slack.messageEventBody("U456", "DU456", "hi");

        slack.raw(body, "application/json", Map.of("X-Slack-Retry-Num", "1", "X-Slack-Retry-Reason", "http_timeout"),
                slack.now(), true);
        slack.raw(body, "application/json", Map.of("X-Slack-Signature", ""), slack.now(), true);

        assertThat(captured.get(0).headers().get("x-slack-retry-num")).containsExactly("1");
        assertThat(captured.get(0).headers().get("x-slack-retry-reason")).containsExactly("http_timeout");
        assertThat(captured.get(1).headers()).doesNotContainKey("x-slack-signature");
    }

    // ------------------------------------------------------------------ helpers

    private Captured single() {
        synchronized (captured) {
            assertThat(captured).hasSize(1);
            return captured.get(0);
        }
    }

    private static boolean boltAcceptsSignature(Captured c, long nowMillis) {
        SlackSignature.Verifier verifier = new SlackSignature.Verifier(new SlackSignature.Generator(SECRET));
        List<String> sig = c.headers().get("x-slack-signature");
        return verifier.isValid(c.headers().get("x-slack-request-timestamp").get(0), c.body(),
                sig == null ? null : sig.get(0), nowMillis);
    }

    private static Request<?> parse(Captured c) {
        AppConfig config = AppConfig.builder().signingSecret(SECRET).singleTeamBotToken(FakeSlack.DEFAULT_TOKEN).build();
        SlackRequestParser.HttpRequest http = SlackRequestParser.HttpRequest.builder()
                .requestUri(c.path())
                .queryString(Map.of())
                .headers(new RequestHeaders(c.headers()))
                .requestBody(c.body())
                .remoteAddress("127.0.0.1")
                .build();
        Request<?> req = new SlackRequestParser(config).parse(http);
        assertThat(req).as("Bolt could not classify the request").isNotNull();
        return req;
    }

    private static SlackConfig sdkConfig(FakeSlack fake) {
        SlackConfig config = new SlackConfig();
        config.setMethodsEndpointUrlPrefix(fake.apiUrl());
        return config;
    }

    private static String eventId(Captured c) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(c.body()).get("event_id").asText();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
