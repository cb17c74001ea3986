package dev.awsonboard.slack.inbound;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.slack.api.Slack;
import com.slack.api.bolt.AppConfig;
import com.slack.api.bolt.request.Request;
import com.slack.api.bolt.request.RequestHeaders;
import com.slack.api.bolt.request.builtin.SlashCommandRequest;
import com.slack.api.bolt.util.SlackRequestParser;
import dev.awsonboard.fakes.SlackRequests;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The slash commands the endpoint parses itself are, field for field, the requests Bolt's own parser builds. */
class SlashCommandParserTest {
    private static final AppConfig CONFIG = AppConfig.builder().slack(Slack.getInstance()).singleTeamBotToken("xoxb-parser-test")
            .signingSecret("parser-test-secret").build();
    private static final SlackRequests SLACK = new SlackRequests(URI.create("http://127.0.0.1:1"), "unused", Clock.systemUTC());
    private static final String FORM = "application/x-www-form-urlencoded";

    /** Every field of Slack's sample slash command, with values that need decoding, Enterprise Grid's included. */
    static String fieldCompleteSample() throws IOException {
        Map<String, String> values = new LinkedHashMap<>();
        try (InputStream in = SlashCommandParserTest.class.getResourceAsStream("/slack-samples/payloads/SlashCommandPayload.json")) {
            new ObjectMapper().readTree(in).fieldNames().forEachRemaining(name -> values.put(name, name + " value +%@ 日本"));
        }
        values.put("command", "/aws-onboard");
        values.put("is_enterprise_install", "true");
        StringJoiner form = new StringJoiner("&");
        values.forEach((name, value) -> form.add(name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8)));
        return form.toString();
    }

    static Stream<String> slashCommandBodies() throws IOException {
        List<String> bodies = new ArrayList<>();
        bodies.add(fieldCompleteSample());
        for (String text : List.of("", "sampleUser <@UALICE0001|alice>", "reset-mfa bob", "a+b", "+", "%2B", "%40", "me@example.com",
                "コードは 123 456 です", "groups=developers,admins", "line one\nline two", "<!channel> & <#C123|general>", "x".repeat(600))) {
            bodies.add(SLACK.slashCommandBody("UALICE0001", SlackRequests.DEFAULT_CHANNEL_ID, "/aws-onboard", text, "trigger-1",
                    "https://hooks.slack.com/commands/T0/1/secret"));
        }
        bodies.add(SLACK.slashCommandBody("UALICE0001", "DALICE0001", "/aws-onboard", "status", "t", "https://x"));
        // As a person might type it, and as Slack's own examples encode it: '+' for a space, raw UTF-8, escapes.
        bodies.add("token=t&team_id=T0&user_id=U0&command=%2Faws-onboard&text=a+b+%2B+%40+%E6%97%A5");
        bodies.add("token=t&team_id=T0&user_id=U0&command=/aws-onboard&text=日本語");
        bodies.add("command=%2Faws-onboard&text=&user_id=U0&response_url=&trigger_id=");
        bodies.add("team_id=T0&enterprise_id=E0ENTERPRISE&enterprise_name=Big+Corp&is_enterprise_install=TRUE&user_id=W0&command=%2Fx");
        bodies.add("team_id=T0&enterprise_id=E0ENTERPRISE&is_enterprise_install=+true+&user_id=W0&command=%2Fx");
        bodies.add("team_id=T0&is_enterprise_install=false&user_id=U0&command=%2Fx&unknown_field=%E2%9C%93&api_app_id=A0");
        return bodies.stream();
    }

    private static SlackRequestParser.HttpRequest http(String body, Map<String, String> extraHeaders, Map<String, List<String>> query) {
        Map<String, List<String>> headers = new HashMap<>();
        headers.put("content-type", List.of(FORM));
        headers.put("x-slack-request-timestamp", List.of("1700000000"));
        headers.put("x-slack-signature", List.of("v0=abc"));
        extraHeaders.forEach((name, value) -> headers.put(name, List.of(value)));
        return SlackRequestParser.HttpRequest.builder().requestUri("/slack/events").queryString(query)
                .headers(new RequestHeaders(headers)).requestBody(body).remoteAddress("10.0.0.7").build();
    }

    @ParameterizedTest
    @MethodSource("slashCommandBodies")
    void everySlashCommandIsTheRequestBoltBuilds(String body) {
        assertSameAsBolt(http(body, Map.of(), Map.of()));
    }

    @ParameterizedTest
    @MethodSource("slashCommandBodies")
    void aProxysQueryStringAndForwardedForReachTheRequestAsInBolts(String body) {
        assertSameAsBolt(http(body, Map.of("x-forwarded-for", "203.0.113.9"), Map.of("team", List.of("a", "b"), "x", List.of(""))));
    }

    @Test
    void theFieldCompleteSampleSetsEveryFieldOfBoltsPayload() throws IOException {
        SlashCommandRequest bolt = (SlashCommandRequest) new SlackRequestParser(CONFIG).parse(http(fieldCompleteSample(), Map.of(), Map.of()));

        // Else a field this parser dropped could go unseen: Bolt's would be empty too.
        assertThat(bolt.getPayload()).hasNoNullFieldsOrProperties();
        assertThat(bolt.getPayload().isEnterpriseInstall()).isTrue();
    }

    @Provide
    Arbitrary<String> texts() {
        return Arbitraries.oneOf(Arbitraries.strings().all().ofMaxLength(300), Arbitraries.strings().withChars("+%@&=; 日<>|#!").ofMaxLength(40));
    }

    @Property(tries = 500, seed = "20261206")
    void anyTextTypedIsParsedAsBoltParsesIt(@ForAll("texts") String text, @ForAll("texts") String userName) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("team_id", "T0");
        fields.put("user_id", "U0");
        fields.put("user_name", userName);
        fields.put("command", "/aws-onboard");
        fields.put("text", text);
        StringJoiner form = new StringJoiner("&");
        fields.forEach((name, value) -> form.add(name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8)));

        assertSameAsBolt(http(form.toString(), Map.of(), Map.of()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"payload=%7B%22type%22%3A%22block_actions%22%7D", "ssl_check=1&token=t&command=%2Fx", "token=t&text=no+command",
            "command=&text=x", "command=%2Fx&text=a&text=b", "command=%2Fx&text=a=b", "command=%2Fx&&text=a", "command=%2Fx&text=a&",
            "&command=%2Fx", "command=%2Fx&Text=a", "command=%2Fx&te%78t=a", " command=%2Fx", "command=%2Fx&text=%zz", "command",
            "{\"command\":\"/x\"}", ""})
    void formsReadOtherwiseThanHereAreLeftToBolt(String body) {
        assertThat(new SlashCommandParser(CONFIG).parse(http(body, Map.of(), Map.of()))).isNull();
    }

    @Test
    void aCommandNotSentAsAFormIsLeftToBolt() {
        String body = SLACK.slashCommandBody("U0", "C0", "/aws-onboard", "hi", "t", "https://x");

        assertThat(new SlashCommandParser(CONFIG).parse(http(body, Map.of("content-type", "text/plain"), Map.of()))).isNull();
        assertThat(new SlashCommandParser(CONFIG).parse(http(body, Map.of("content-type", "application/x-www-form-urlencoded; charset=utf-8"),
                Map.of()))).isNotNull();
    }

    private static void assertSameAsBolt(SlackRequestParser.HttpRequest http) {
        SlashCommandRequest ours = new SlashCommandParser(CONFIG).parse(http);
        Request<?> bolts = new SlackRequestParser(CONFIG).parse(http);

        assertThat(ours).as("read here, not left to Bolt: %s", http.getRequestBody()).isNotNull();
        assertThat(bolts).isExactlyInstanceOf(SlashCommandRequest.class);
        SlashCommandRequest bolt = (SlashCommandRequest) bolts;
        assertThat(ours.getPayload()).usingRecursiveComparison().isEqualTo(bolt.getPayload());
        assertThat(ours.getContext()).usingRecursiveComparison().ignoringFields("slack").isEqualTo(bolt.getContext());
        assertThat(ours.getContext().getSlack()).isSameAs(bolt.getContext().getSlack());
        assertThat(ours.getContext().getBotToken()).isEqualTo(bolt.getContext().getBotToken()).isEqualTo("xoxb-parser-test");
        assertThat(ours.getRequestType()).isEqualTo(bolt.getRequestType());
        assertThat(ours.getRequestBodyAsString()).isEqualTo(bolt.getRequestBodyAsString());
        assertThat(ours.getResponseUrl()).isEqualTo(bolt.getResponseUrl());
        assertThat(ours.getHeaders().getNames()).isEqualTo(bolt.getHeaders().getNames());
        ours.getHeaders().getNames().forEach(name ->
                assertThat(ours.getHeaders().getMultipleValues(name)).isEqualTo(bolt.getHeaders().getMultipleValues(name)));
        assertThat(ours.getQueryString()).isEqualTo(bolt.getQueryString());
        assertThat(ours.getClientIpAddress()).isEqualTo(bolt.getClientIpAddress());
        assertThat(ours.isSocketMode()).isEqualTo(bolt.isSocketMode());
    }
}
