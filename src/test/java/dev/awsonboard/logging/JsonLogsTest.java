package dev.awsonboard.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.MDC;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The production logback.xml: one JSON object per line, MDC ids as fields; LOG_FORMAT=text picks the pattern. */
class JsonLogsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void productionConfigWritesOneJsonObjectPerLineWithTheRequestIdFromTheMdc() throws Exception {
        assumeTrue(LogFormat.appender(System.getenv("LOG_FORMAT")).equals("JSON"), "LOG_FORMAT=text in this environment");
        URL config = getClass().getClassLoader().getResource("logback.xml");
        assertThat(config).as("production logback.xml on the classpath").isNotNull();

        Instant before = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream original = System.out;
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(MDC.getMDCAdapter()); // the static MDC the code under test writes to
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            JoranConfigurator configurator = new JoranConfigurator();
            configurator.setContext(context);
            configurator.doConfigure(config);
            Logger log = context.getLogger("dev.awsonboard.onboarding.Runner");
            try (var ignored = MDC.putCloseable("request_id", "req-42")) {
                MDC.put("slack_user", "UALICE0001");
                log.info("request {}: setup sent, \"quoted\"\nand a second line", "req-42");
                log.warn("step failed", new IllegalStateException("boom"));
            } finally {
                MDC.remove("slack_user");
            }
            log.info("outside any request");
            log.error("wrapped", new IllegalStateException("outer", new java.io.IOException("inner")));
            context.getLogger("software.amazon.awssdk.request").info("SDK chatter stays out below WARN");
        } finally {
            System.setOut(original);
            context.stop();
        }

        List<JsonNode> lines = new ArrayList<>();
        for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
            System.out.println("json log line: " + line);
            lines.add(JSON.readTree(line)); // throws unless the whole line is one JSON value
            assertThat(lines.get(lines.size() - 1).isObject()).isTrue();
        }
        assertThat(lines).hasSize(4);
        for (JsonNode line : lines) {
            // ISO-8601 in UTC with milliseconds, not epoch millis
            assertThat(line.path("timestamp").isTextual()).as(line.toString()).isTrue();
            assertThat(line.path("timestamp").asText()).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z");
            assertThat(Instant.parse(line.path("timestamp").asText())).isBetween(before, Instant.now());
            assertNoNullOrEmptyField(line);
        }
        JsonNode first = lines.get(0);
        assertThat(first.path("level").asText()).isEqualTo("INFO");
        assertThat(first.path("loggerName").asText()).isEqualTo("dev.awsonboard.onboarding.Runner");
        assertThat(first.path("mdc").path("request_id").asText()).isEqualTo("req-42");
        assertThat(first.path("mdc").path("slack_user").asText()).isEqualTo("UALICE0001");
        assertThat(first.path("formattedMessage").asText()).isEqualTo("request req-42: setup sent, \"quoted\"\nand a second line");
        assertThat(lines.get(1).path("level").asText()).isEqualTo("WARN");
        assertThat(lines.get(1).path("throwable").path("className").asText()).isEqualTo("java.lang.IllegalStateException");
        assertThat(lines.get(1).path("mdc").path("request_id").asText()).isEqualTo("req-42");
        assertThat(lines.get(2).has("mdc")).as("no empty mdc").isFalse();
        assertThat(lines.get(2).has("throwable")).as("no throwable without an exception").isFalse();
        assertThat(first.has("throwable")).isFalse();
        JsonNode wrapped = lines.get(3).path("throwable");
        assertThat(wrapped.path("message").asText()).isEqualTo("outer");
        assertThat(wrapped.path("stepArray").get(0).path("className").asText()).isEqualTo(JsonLogsTest.class.getName());
        assertThat(wrapped.path("cause").path("className").asText()).isEqualTo("java.io.IOException");
        assertThat(wrapped.path("cause").path("message").asText()).isEqualTo("inner");
    }

    private static void assertNoNullOrEmptyField(JsonNode node) {
        node.fields().forEachRemaining(e -> {
            assertThat(e.getValue().isNull()).as("%s is null in %s", e.getKey(), node).isFalse();
            assertThat(e.getValue().isContainerNode() && e.getValue().isEmpty()).as("%s is empty in %s", e.getKey(), node).isFalse();
            assertNoNullOrEmptyField(e.getValue());
        });
        if (node.isArray()) {
            node.forEach(JsonLogsTest::assertNoNullOrEmptyField);
        }
    }

    @Test
    void logFormatTextPicksThePatternAnythingElseJson() {
        assertThat(LogFormat.appender("text")).isEqualTo("TEXT");
        assertThat(LogFormat.appender(" TEXT ")).isEqualTo("TEXT");
        assertThat(LogFormat.appender(null)).isEqualTo("JSON");
        assertThat(LogFormat.appender("json")).isEqualTo("JSON");
        assertThat(LogFormat.appender("xml")).isEqualTo("JSON");
    }
}
