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

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream original = System.out;
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(MDC.getMDCAdapter()); // the static MDC the code under test writes to
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            JoranConfigurator configurator = new JoranConfigurator();
            configurator.setContext(context);
            configurator.doConfigure(config);
            Logger log = context.getLogger("dev.awsonboard.onboarding.Provisioner");
            try (var ignored = MDC.putCloseable("request_id", "req-42")) {
                MDC.put("slack_user", "UALICE0001");
                log.info("request {}: setup sent, \"quoted\"\nand a second line", "req-42");
                log.warn("step failed", new IllegalStateException("boom"));
            } finally {
                MDC.remove("slack_user");
            }
            log.info("outside any request");
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
        assertThat(lines).hasSize(3);
        JsonNode first = lines.get(0);
        assertThat(first.path("level").asText()).isEqualTo("INFO");
        assertThat(first.path("loggerName").asText()).isEqualTo("dev.awsonboard.onboarding.Provisioner");
        assertThat(first.path("mdc").path("request_id").asText()).isEqualTo("req-42");
        assertThat(first.path("mdc").path("slack_user").asText()).isEqualTo("UALICE0001");
        assertThat(first.path("formattedMessage").asText()).isEqualTo("request req-42: setup sent, \"quoted\"\nand a second line");
        assertThat(first.path("timestamp").asLong()).isPositive();
        assertThat(lines.get(1).path("level").asText()).isEqualTo("WARN");
        assertThat(lines.get(1).path("throwable").path("className").asText()).isEqualTo("java.lang.IllegalStateException");
        assertThat(lines.get(1).path("mdc").path("request_id").asText()).isEqualTo("req-42");
        assertThat(lines.get(2).path("mdc").has("request_id")).isFalse();
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
