package dev.awsonboard.demo;

import dev.awsonboard.Bot;
import dev.awsonboard.config.ConfigLoader;
import dev.awsonboard.fakes.FakeIam;
import dev.awsonboard.fakes.FakeSlack;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code aws-onboard demo}: the real bot, started as {@code run} starts it ({@link Bot#start}), against an
 * IAM in this process ({@link FakeIam}: the Query protocol, SigV4, real TOTP checks) and a Slack in this
 * process ({@link FakeSlack}), with a local page ({@link DemoPage}) that plays Slack for a few people.
 * Everything listens on 127.0.0.1 only and nothing leaves the machine. Nothing here is loaded by {@code run}.
 */
public final class Demo implements AutoCloseable {
    /** The people of the demo's workspace: who asks, who approves, who joins. */
    public record Person(String id, String handle, String name, String role, String locale) {
    }

    public static final String GENERAL = "C0GENERAL";
    public static final String APPROVALS = "C0APPROVALS";
    public static final String AUDIT = "C0AUDIT";
    public static final Map<String, String> CHANNEL_NAMES = Map.of(GENERAL, "general", APPROVALS, "aws-approvals", AUDIT, "aws-audit");

    public static final List<Person> PEOPLE = List.of(
            new Person("U0SAMLEAD", "sam", "Sam Rivera", "team lead: asks for access", "en-US"),
            new Person("U0PRIYA01", "priya", "Priya Patel", "approver", "en-US"),
            new Person("U0KENJI01", "kenji", "Kenji Sato (佐藤 健二)", "approver, reads Japanese", "ja-JP"),
            new Person("U0ALICE01", "alice", "Alice Chen", "new hire", "en-US"),
            new Person("U0YUKI001", "yuki", "Yuki Tanaka (田中 由紀)", "new hire, reads Japanese", "ja-JP"));
    public static final List<String> APPROVERS = List.of("U0PRIYA01", "U0KENJI01");

    private final Path dir;
    private final FakeIam iam;
    private final FakeSlack slack;
    private final Bot bot;
    private final DemoPage page;

    private Demo(int pagePort) {
        try {
            dir = Files.createTempDirectory("aws-onboard-demo-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // Real time: a real authenticator app scanning the page's QR code produces codes this IAM accepts.
        iam = FakeIam.start(Clock.systemUTC(), new SecureRandom().nextLong());
        iam.createGroup("developers");
        iam.createGroup("readonly");
        iam.setAccountAlias("demo-company");
        slack = FakeSlack.start();
        for (Person p : PEOPLE) {
            slack.addUser(p.id(), p.handle()).setLocale(p.id(), p.locale()).addMember(GENERAL, p.id());
        }
        slack.inviteBot(APPROVALS).inviteBot(AUDIT);
        for (String approver : APPROVERS) {
            slack.addMember(APPROVALS, approver).addMember(AUDIT, approver);
        }
        String signingSecret = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
        Map<String, String> env = new HashMap<>();
        env.put("SLACK_BOT_TOKEN", slack.botToken());
        env.put("SLACK_SIGNING_SECRET", signingSecret);
        env.put("SLACK_API_URL", slack.apiUrl());
        env.put("PORT", "0");
        env.put("DATABASE_URL", "jdbc:sqlite:" + dir.resolve("demo.db"));
        env.put("ONBOARD_APPROVERS", String.join(",", APPROVERS));
        env.put("ONBOARD_APPROVAL_CHANNEL", APPROVALS);
        env.put("ONBOARD_AUDIT_CHANNEL", AUDIT);
        // IAM and STS both: the fake answers GetCallerIdentity too, so doctor and the start line name its account.
        env.put("AWS_ENDPOINT_URL", iam.endpoint().toString());
        env.put("ONBOARD_CONFIG", write("onboard.yml", "groups: [developers, readonly]\n").toString());
        Bot.Overrides defaults = Bot.defaults();
        bot = Bot.start(ConfigLoader.load(env), new Bot.Overrides(defaults.clock(), defaults.ids(),
                StaticCredentialsProvider.create(AwsBasicCredentials.create(FakeIam.ACCESS_KEY_ID, FakeIam.SECRET_ACCESS_KEY)),
                defaults.iamMaxRetries(), "127.0.0.1", defaults.pause(), defaults.probe(), defaults.sweepEvery()));
        try {
            page = DemoPage.start(pagePort, slack, iam, URI.create("http://127.0.0.1:" + bot.port()), signingSecret);
        } catch (RuntimeException e) {
            bot.close();
            slack.close();
            iam.close();
            deleteDir();
            throw e;
        }
    }

    /** Starts the demo with its page on {@code pagePort} (0: any free port). */
    public static Demo start(int pagePort) {
        return new Demo(pagePort);
    }

    /** {@code aws-onboard demo}: starts it, prints the page's URL and runs until the process is stopped. */
    public static int run(Map<String, String> env, PrintStream out, PrintStream err) {
        int port;
        try {
            port = Integer.parseInt(env.getOrDefault("DEMO_PORT", "8080"));
        } catch (NumberFormatException e) {
            err.println("aws-onboard demo: DEMO_PORT must be a port number, got: " + env.get("DEMO_PORT"));
            return 2;
        }

        // The page shows what the bot does; its INFO lines would bury the one line that matters here.
        var root = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        var level = root.getLevel();
        root.setLevel(ch.qos.logback.classic.Level.WARN);
        Demo demo;
        try {
            demo = start(port);
        } catch (UncheckedIOException e) {
            root.setLevel(level);
            err.println("aws-onboard demo: " + e.getMessage());
            return 1;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(demo::close, "demo-shutdown"));
        out.println();
        out.println("aws-onboard demo: open " + demo.url());
        out.println("  The real bot, against an IAM and a Slack played inside this process: nothing leaves this machine.");
        out.println("  Stop it with Ctrl-C; everything it made is gone then.");
        out.println();
        out.flush();
        return -1;
    }

    public String url() {
        return page.url();
    }

    public FakeIam iam() {
        return iam;
    }

    public FakeSlack slack() {
        return slack;
    }

    private Path write(String name, String text) {
        try {
            return Files.writeString(dir.resolve(name), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        page.close();
        bot.close();
        slack.close();
        iam.close();
        deleteDir();
    }

    private void deleteDir() {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp directory
        }
    }
}
