package dev.awsonboard;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import dev.awsonboard.config.Config;
import dev.awsonboard.config.Variables;
import dev.awsonboard.fakes.FakeIam;
import dev.awsonboard.fakes.FakeSlack;
import dev.awsonboard.fakes.FakeSocketMode;
import dev.awsonboard.lifecycle.CrashProbe;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The command line as {@code java -jar aws-onboard.jar ...} runs it, without System.exit; the bot against the fakes. */
class MainTest {
    static final String APP_TOKEN = "xapp-1-A0001-main-test-token";
    static final AwsCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDMAINTEST", "main-test-secret-key"));
    static final AwsCredentialsProvider NO_CREDENTIALS = () -> {
        throw SdkClientException.create("Unable to load credentials from any of the providers in the chain");
    };

    @TempDir
    Path dir;
    FakeSlack slack;
    FakeIam iam;
    Map<String, String> env;
    Logs logs;
    final List<Bot> bots = new ArrayList<>();
    final AtomicInteger ids = new AtomicInteger();

    @BeforeEach
    void start() {
        logs = Logs.attach();
        slack = FakeSlack.start();
        iam = FakeIam.start(Clock.fixed(Instant.parse("2026-11-24T10:00:00Z"), ZoneOffset.UTC), 3);
        iam.acceptCredentials("AKIDMAINTEST", "main-test-secret-key"); // the fake checks SigV4 against the keys it knows
        env = new HashMap<>();
        env.put("SLACK_BOT_TOKEN", slack.botToken());
        env.put("SLACK_SIGNING_SECRET", "main-test-signing-secret");
        env.put("SLACK_API_URL", slack.apiUrl());
        env.put("PORT", "0");
        env.put("DATABASE_URL", "jdbc:sqlite:" + dir.resolve("onboard.db"));
        env.put("ONBOARD_APPROVERS", "UAPPROVER1");
        env.put("AWS_ENDPOINT_URL_IAM", iam.endpoint().toString());
        env.put("AWS_ENDPOINT_URL_STS", iam.endpoint().toString());
    }

    @AfterEach
    void stop() {
        bots.forEach(Bot::close);
        slack.close();
        iam.close();
        logs.close();
    }

    record Run(int exit, String out, String err) {
    }

    Run main(String... args) {
        return main(CREDENTIALS, args);
    }

    Run main(AwsCredentialsProvider credentials, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.execute(args, env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), config -> startBot(config, credentials));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Bot startBot(Config config, AwsCredentialsProvider credentials) {
        Bot bot = Bot.start(config, new Bot.Overrides(Clock.systemUTC(), () -> "req-" + ids.incrementAndGet(), credentials, 0,
                "127.0.0.1", millis -> { }, CrashProbe.NONE, Duration.ofHours(1)));
        bots.add(bot);
        return bot;
    }

    // ------------------------------------------------------------------ help, version, usage errors

    @ParameterizedTest
    @ValueSource(strings = {"help", "--help", "-h"})
    void helpPrintsEveryCommandAndEveryVariableOnALineOfItsOwnAndExitsZero(String arg) {
        Run run = main(arg);

        assertThat(run.exit()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.out()).contains("Usage: java -jar aws-onboard.jar [command]");
        for (String command : List.of("run", "doctor", "healthcheck", "help", "--version")) {
            assertThat(run.out().lines()).as(command).anyMatch(l -> l.strip().startsWith(command + " "));
        }
        for (Variables.Variable v : Variables.ALL) {
            assertThat(run.out().lines().filter(l -> l.strip().startsWith(v.name() + " ")))
                    .as(v.name()).singleElement().asString().contains(v.meaning());
        }
        assertThat(slack.calls()).isEmpty();
    }

    @Test
    void versionPrintsTheMavenProjectVersionAndExitsZero() throws IOException {
        Matcher m = Pattern.compile("<artifactId>aws-onboard</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(Files.readString(Path.of("pom.xml")));
        assertThat(m.find()).isTrue();

        Run run = main("--version");

        assertThat(run.exit()).isZero();
        assertThat(run.out()).isEqualTo("aws-onboard " + m.group(1) + System.lineSeparator());
        assertThat(run.err()).isEmpty();
    }

    @Test
    void anUnknownArgumentIsAnErrorWithTheUsageOnStderrAndExitCode2() {
        Run run = main("--verbose");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).startsWith("aws-onboard: unknown argument: --verbose").contains("Usage: java -jar aws-onboard.jar");
        assertThat(bots).isEmpty();
    }

    @Test
    void twoCommandsAtOnceAreAnError() {
        Run run = main("run", "doctor");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("one command at a time");
        assertThat(bots).isEmpty();
    }

    @Test
    void aWrongConfigurationStopsRunWithOneLinePerProblemAndExitCode2() {
        env.put("ONBOARD_APPROVERS", "alice");

        Run run = main("run");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err().lines().toList()).singleElement().asString()
                .startsWith("config error: ONBOARD_APPROVERS: 'alice' is not a Slack user ID");
        assertThat(slack.calls()).isEmpty();
    }

    @Test
    void healthcheckIsZeroForARunningBotAndOneWhereNothingListens() throws IOException {
        assertThat(main().exit()).isEqualTo(Main.RUNNING);
        env.put("PORT", String.valueOf(bots.get(0).port()));
        assertThat(main("healthcheck").exit()).isZero();

        env.put("PORT", String.valueOf(freePort()));
        assertThat(main("healthcheck").exit()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(20)).until(() -> logs.startLines(), l -> !l.isEmpty()); // not into the next test
    }

    // ------------------------------------------------------------------ start errors name the variable at fault

    @Test
    void aBotTokenSlackRefusesStopsTheStartNamingSlackBotToken() {
        slack.failNext("auth.test", 1, "invalid_auth");

        Run run = main("run");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(logs.errors()).singleElement().asString()
                .startsWith("could not start: SLACK_BOT_TOKEN was refused by Slack (invalid_auth)");
        assertThat(logs.all()).doesNotContain("The token is invalid").doesNotContain(slack.botToken());
        assertThat(dir.resolve("onboard.db")).as("nothing opened before the tokens were checked").doesNotExist();
    }

    @Test
    void whileSlackIsAskedAboutTheTokenTheServerAlreadyListensAndSaysItIsStarting() throws Exception {
        int port = freePort();
        env.put("PORT", String.valueOf(port));
        slack.hold("auth.test");
        java.util.concurrent.CompletableFuture<Run> run = java.util.concurrent.CompletableFuture.supplyAsync(() -> main("run"));

        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> get(port, "/healthz").statusCode() == 200);
        assertThat(slack.held()).as("Slack has not answered yet").isEqualTo(1);
        HttpResponse<String> ready = get(port, "/readyz");
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ready.body()).isEqualTo("not ready\nstart: starting");
        HttpResponse<String> event = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/slack/events"))
                .POST(HttpRequest.BodyPublishers.ofString("command=%2Faws-onboard")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(event.statusCode()).isEqualTo(503);
        assertThat(dir.resolve("onboard.db")).as("the database waits for Slack's answer").doesNotExist();

        slack.releaseAll();

        assertThat(run.get(20, java.util.concurrent.TimeUnit.SECONDS).exit()).isEqualTo(Main.RUNNING);
        await().atMost(Duration.ofSeconds(20)).until(() -> get(port, "/readyz").statusCode() == 200);
        await().atMost(Duration.ofSeconds(20)).until(() -> logs.startLines(), l -> !l.isEmpty()); // not into the next test
    }

    @Test
    void theStartAsksSlackAboutTheBotTokenOnceAndBoltOnce() {
        assertThat(main("run").exit()).isEqualTo(Main.RUNNING);

        // Each auth.test is a round trip to slack.com before the bot is ready: the start's own check
        // hands its answer (and its open connection) on; Bolt's App asks once more for itself.
        assertThat(slack.callCount("auth.test")).isEqualTo(2);
        // the start line is written once STS answers: let it land in this test, not the next one
        await().atMost(Duration.ofSeconds(20)).until(() -> logs.startLines(), l -> !l.isEmpty());
    }

    @Test
    void aRefusedTokenAlsoClosesTheServerThatListenedMeanwhile() throws Exception {
        int port = freePort();
        env.put("PORT", String.valueOf(port));
        slack.failNext("auth.test", 1, "invalid_auth");

        assertThat(main("run").exit()).isEqualTo(1);

        // the port is free again: something else (the next start) can bind it
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            try (ServerSocket s = new ServerSocket(port, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
                return true;
            } catch (IOException stillBound) {
                return false;
            }
        });
    }

    @Test
    void anAppTokenSlackRefusesStopsTheStartNamingSlackAppToken() {
        slack.socketMode(APP_TOKEN, () -> "ws://127.0.0.1:9/link/?ticket=unused");
        env.put("SLACK_APP_TOKEN", "xapp-1-A0001-revoked-token");

        Run run = main("run");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(logs.errors()).singleElement().asString()
                .startsWith("could not start: SLACK_APP_TOKEN was refused by Slack (apps.connections.open: invalid_auth)");
        assertThat(logs.all()).doesNotContain("revoked-token");
    }

    @Test
    void slackOutOfReachStopsTheStartNamingTheUrl() throws IOException {
        String nowhere = "http://127.0.0.1:" + freePort() + "/api/";
        env.put("SLACK_API_URL", nowhere);

        Run run = main("run");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(logs.errors()).singleElement().asString().startsWith("could not start: could not reach Slack at " + nowhere)
                .contains("SLACK_API_URL").doesNotContain("token is invalid");
    }

    // ------------------------------------------------------------------ the start line

    @Test
    void theStartLineSaysHttpModeTheAwsAccountAndTheDatabase() throws Exception {
        Run run = main();

        assertThat(run.exit()).isEqualTo(Main.RUNNING);
        String line = await().atMost(Duration.ofSeconds(20)).until(() -> logs.startLines(), l -> !l.isEmpty()).get(0);
        assertThat(line).isEqualTo("INFO aws-onboard " + dev.awsonboard.startup.Version.current() + " started: HTTP on port "
                + bots.get(0).port() + "; AWS account " + FakeIam.ACCOUNT_ID + " as " + FakeIam.DEFAULT_CALLER_ARN
                + "; database jdbc:sqlite:" + dir.resolve("onboard.db"));
        assertThat(logs.startLines()).hasSize(1);
        assertThat(logs.warnings()).isEmpty();
        assertThat(readyz(bots.get(0))).isEqualTo(200);
    }

    @Test
    void theStartLineSaysSocketMode() {
        try (FakeSocketMode socket = FakeSocketMode.start()) {
            slack.socketMode(APP_TOKEN, socket::newUrl);
            env.remove("SLACK_SIGNING_SECRET");
            env.put("SLACK_APP_TOKEN", APP_TOKEN);

            assertThat(main().exit()).isEqualTo(Main.RUNNING);

            String line = await().atMost(Duration.ofSeconds(20)).until(() -> logs.startLines(), l -> !l.isEmpty()).get(0);
            assertThat(line).contains(" started: Socket Mode (probes on port " + bots.get(0).port() + "); AWS account "
                    + FakeIam.ACCOUNT_ID);
            bots.forEach(Bot::close);
            bots.clear();
        }
    }

    @Test
    void withoutAnyAwsCredentialsTheBotStartsReadyzNamesAwsAndOneWarningSaysWhy() throws Exception {
        assertThat(main(NO_CREDENTIALS).exit()).isEqualTo(Main.RUNNING);

        await().atMost(Duration.ofSeconds(20)).until(() -> logs.startLines(), l -> !l.isEmpty());
        assertThat(logs.startLines()).singleElement().asString().contains("AWS account unknown (no credentials)");
        assertThat(logs.warnings()).singleElement().asString().contains("no AWS credentials found")
                .contains("AWS_ACCESS_KEY_ID").contains("AWS_PROFILE");
        HttpResponse<String> ready = get(bots.get(0), "/readyz");
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ready.body()).contains("aws: no credentials").doesNotContain("slack:").doesNotContain("database:");
        assertThat(iam.callCount("GetCallerIdentity")).isZero();
    }

    // ------------------------------------------------------------------ helpers

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static int readyz(Bot bot) throws Exception {
        return get(bot, "/readyz").statusCode();
    }

    private static HttpResponse<String> get(Bot bot, String path) throws Exception {
        return get(bot.port(), path);
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** What the code under test logs (level and message), from the root logger. */
    static final class Logs extends AppenderBase<ILoggingEvent> implements AutoCloseable {
        private final List<ILoggingEvent> events = new ArrayList<>();

        static Logs attach() {
            LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
            Logs logs = new Logs();
            logs.setContext(context);
            logs.start();
            context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(logs);
            return logs;
        }

        @Override
        protected synchronized void append(ILoggingEvent event) {
            events.add(event);
        }

        synchronized List<String> lines(String level) {
            return events.stream().filter(e -> e.getLevel().toString().equals(level))
                    .filter(e -> e.getLoggerName().startsWith("dev.awsonboard")).map(ILoggingEvent::getFormattedMessage).toList();
        }

        List<String> errors() {
            return lines("ERROR");
        }

        List<String> warnings() {
            return lines("WARN").stream().filter(l -> !l.startsWith("not ready:")).toList();
        }

        synchronized List<String> startLines() {
            return events.stream().filter(e -> e.getFormattedMessage().startsWith("aws-onboard ")
                            && e.getFormattedMessage().contains(" started: "))
                    .map(e -> e.getLevel() + " " + e.getFormattedMessage()).toList();
        }

        synchronized String all() {
            return String.join("\n", events.stream().map(ILoggingEvent::getFormattedMessage).toList());
        }

        @Override
        public void close() {
            LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
            context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).detachAppender(this);
            stop();
        }
    }
}
