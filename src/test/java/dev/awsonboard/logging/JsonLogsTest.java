package dev.awsonboard.logging;

import ch.qos.logback.classic.LoggerContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.MDC;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The production logging set-up: one JSON object per line, MDC ids as fields; LOG_FORMAT=text picks the pattern. */
class JsonLogsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void productionConfigWritesOneJsonObjectPerLineWithTheRequestIdFromTheMdc() throws Exception {
        Instant before = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream original = System.out;
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(MDC.getMDCAdapter()); // the static MDC the code under test writes to
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            LogbackSetup.apply(context, null);
            Logger log = context.getLogger("dev.awsonboard.lifecycle.Runner");
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
        assertThat(first.path("loggerName").asText()).isEqualTo("dev.awsonboard.lifecycle.Runner");
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
    void logFormatTextWritesTheHumanPatternInstead() {
        String out = capture(context -> LogbackSetup.apply(context, "text"),
                context -> context.getLogger("dev.awsonboard.Bot").info("started"));

        assertThat(out).matches("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2},\\d{3} INFO  \\[[^]]+\\] dev.awsonboard.Bot - started\n");
    }

    @Test
    void librariesSpeakFromWarnAndBodyLoggersNeverBelowInfoEvenWhenAnOperatorAsks() {
        String out = capture(context -> {
            LogbackSetup.apply(context, null);
            context.getLogger("com.slack.api.app_backend.SlackSignature").setLevel(ch.qos.logback.classic.Level.DEBUG);
        }, context -> {
            context.getLogger("software.amazon.awssdk.request").info("SDK chatter");
            context.getLogger("org.flywaydb.core").info("Flyway chatter");
            context.getLogger("com.zaxxer.hikari.pool").warn("pool trouble");
            context.getLogger("com.slack.api.app_backend.SlackSignature").debug("Request verification (body: token=secret)");
            context.getLogger("dev.awsonboard.lifecycle.Runner").debug("the bot's own debug");
            context.getLogger("dev.awsonboard.lifecycle.Runner").info("the bot's own info");
        });

        assertThat(out).contains("pool trouble", "the bot's own info")
                .doesNotContain("SDK chatter", "Flyway chatter", "token=secret", "the bot's own debug");
    }

    @Test
    void anOperatorsLogbackFileOrTheSuitesLogbackTestXmlTakesOver() {
        LoggerContext context = new LoggerContext();
        try {
            assertThat(LogbackSetup.configure(context, true, null))
                    .isEqualTo(ch.qos.logback.classic.spi.Configurator.ExecutionStatus.INVOKE_NEXT_IF_ANY);
            assertThat(context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).iteratorForAppenders().hasNext()).isFalse();
            assertThat(LogbackSetup.configure(context, false, null))
                    .isEqualTo(ch.qos.logback.classic.spi.Configurator.ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
            assertThat(context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender("JSON")).isNotNull();
        } finally {
            context.stop();
        }
        assertThat(getClass().getResource("/META-INF/services/ch.qos.logback.classic.spi.Configurator"))
                .as("logback finds the set-up through the service loader").isNotNull();
    }

    @Test
    void theBotRunOutsideTheSuiteLogsJsonLinesOnStdoutThroughTheServiceLoader() throws Exception {
        // the class path without test-classes, so no logback-test.xml: what `java -jar` sees
        String classPath = java.util.Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .filter(entry -> !entry.endsWith("test-classes") && !entry.endsWith("test-classes/"))
                .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("json-logs");
        ProcessBuilder pb = new ProcessBuilder(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classPath, "dev.awsonboard.Main");
        pb.environment().clear();
        pb.environment().put("SLACK_BOT_TOKEN", "xoxb-json-logs-test");
        pb.environment().put("SLACK_SIGNING_SECRET", "json-logs-test-secret");
        pb.environment().put("ONBOARD_APPROVERS", "UAPPROVER1");
        pb.environment().put("SLACK_API_URL", "http://127.0.0.1:" + closed + "/api/"); // Slack out of reach: the start fails, logged
        pb.environment().put("PORT", "0");
        pb.environment().put("DATABASE_URL", "jdbc:sqlite:" + dir.resolve("bot.db"));
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

        assertThat(p.exitValue()).isEqualTo(1);
        List<JsonNode> lines = new ArrayList<>();
        for (String line : out.split("\n")) {
            lines.add(JSON.readTree(line)); // throws unless every line is one JSON value
        }
        assertThat(lines).anySatisfy(line -> {
            assertThat(line.path("level").asText()).isEqualTo("ERROR");
            assertThat(line.path("formattedMessage").asText()).startsWith("could not start:");
        });
    }

    /** What {@code log} writes to stdout in a fresh context that {@code setUp} configured. */
    private static String capture(java.util.function.Consumer<LoggerContext> setUp, java.util.function.Consumer<LoggerContext> log) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream original = System.out;
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(MDC.getMDCAdapter()); // a context without one drops every event
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            setUp.accept(context);
            log.accept(context);
        } finally {
            System.setOut(original);
            context.stop();
        }
        return out.toString(StandardCharsets.UTF_8);
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
