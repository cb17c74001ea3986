package dev.awsonboard;

import com.slack.api.Slack;
import com.slack.api.bolt.App;
import com.slack.api.methods.MethodsClient;
import dev.awsonboard.config.Config;
import dev.awsonboard.iam.IamClients;
import dev.awsonboard.iam.QrCodes;
import dev.awsonboard.iam.SdkIamGateway;
import dev.awsonboard.metrics.MeteredIamGateway;
import dev.awsonboard.metrics.Metrics;
import dev.awsonboard.onboarding.AccessPolicy;
import dev.awsonboard.onboarding.Decisions;
import dev.awsonboard.onboarding.IamGateway;
import dev.awsonboard.onboarding.MfaActivation;
import dev.awsonboard.onboarding.Request;
import dev.awsonboard.onboarding.PasswordGenerator;
import dev.awsonboard.onboarding.PasswordReveal;
import dev.awsonboard.onboarding.Provisioner;
import dev.awsonboard.onboarding.ProvisioningSettings;
import dev.awsonboard.onboarding.RequestAccess;
import dev.awsonboard.onboarding.RequestStore;
import dev.awsonboard.onboarding.Status;
import dev.awsonboard.slack.AuditChannel;
import dev.awsonboard.slack.CodesListener;
import dev.awsonboard.slack.CommandListener;
import dev.awsonboard.slack.DecisionListener;
import dev.awsonboard.slack.PasswordListener;
import dev.awsonboard.slack.RequestModalListener;
import dev.awsonboard.slack.SlackApp;
import dev.awsonboard.slack.SlackNotifier;
import dev.awsonboard.slack.SocketMode;
import dev.awsonboard.startup.AwsCredentialsCheck;
import dev.awsonboard.startup.SlackPreflight;
import dev.awsonboard.startup.StartLine;
import dev.awsonboard.store.Database;
import dev.awsonboard.store.JdbcRequestStore;
import dev.awsonboard.web.Readiness;
import dev.awsonboard.web.SlackEndpoint;
import dev.awsonboard.web.WebServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.services.iam.IamClient;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import dev.awsonboard.onboarding.Sweeper;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

/**
 * The composition root: builds every adapter and use case from a {@link Config} and runs
 * the HTTP server. Tests build it with their own clock, ids and fake endpoints.
 */
public final class Bot implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Bot.class);

    /** What tests replace; production uses {@link #defaults()}. */
    public record Overrides(Clock clock, Supplier<String> ids, AwsCredentialsProvider awsCredentials,
                            int iamMaxRetries, String host, LongConsumer pause, Provisioner.Probe probe,
                            Duration sweepEvery) {
    }

    public static Overrides defaults() {
        return new Overrides(Clock.systemUTC(), randomIds(), DefaultCredentialsProvider.builder().build(), 3, "0.0.0.0",
                Bot::sleep, Provisioner.Probe.NONE, Duration.ofMinutes(1));
    }

    /** Production waits really wait; tests pass a pause that only counts. */
    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private final Database database;
    private final IamClient iamClient;
    private final ExecutorService workers;
    private final WebServer web;
    /** Set when SLACK_APP_TOKEN is: Slack sends envelopes over a websocket; the web server still serves /healthz. */
    private final SocketMode socketMode;
    private final RequestStore store;
    private final Provisioner provisioner;
    private final Sweeper sweeper;
    private final ScheduledExecutorService scheduler;
    private final Metrics metrics;
    private final Readiness readiness;

    private Bot(Config config, Overrides o) {
        this.database = Database.open(config.databaseUrl());
        this.iamClient = IamClients.create(config.iamEndpoint(), o.awsCredentials(), o.iamMaxRetries());
        this.metrics = new Metrics();
        IamGateway iam = new MeteredIamGateway(new SdkIamGateway(iamClient), metrics);
        this.workers = Executors.newFixedThreadPool(4, named("onboard-worker"));

        Slack slack = SlackApp.slack(config.slackApiUrl());
        MethodsClient methods = slack.methods(config.slackBotToken().reveal());
        RequestStore jdbc = new JdbcRequestStore(database.dataSource());
        this.store = config.auditChannel()
                .<RequestStore>map(channel -> new AuditChannel(jdbc, methods, channel, workers))
                .orElse(jdbc);
        metrics.countRequestsIn(store);
        SlackNotifier notifier = new SlackNotifier(methods, config.approvalChannel(), config.approvers(), o.pause(),
                metrics::slackApiError);
        AccessPolicy policy = new AccessPolicy(config.approvers(), config.requesters(), config.allowSelfApproval());
        PasswordGenerator passwords = new PasswordGenerator();
        ProvisioningSettings settings = new ProvisioningSettings(config.defaultGroups(), config.iamPath(),
                config.extraTags(), config.signInUrl(), 3, config.permissionsBoundary());

        Provisioner.Lease lease = new Provisioner.Lease(instanceId(), LEASE_TTL);
        this.provisioner = new Provisioner(store, iam, notifier,
                (label, user, seed) -> QrCodes.png(QrCodes.otpauthUri(label, user, seed), 400),
                passwords, settings, o.clock(),
                // 1 s, 2 s, 4 s ... between tries of a step IAM keeps refusing for a transient reason
                attempt -> o.pause().accept(Math.min(30_000L, 1000L << Math.min(attempt - 1, 5))), lease, o.probe());
        this.sweeper = new Sweeper(store, iam, notifier, provisioner, o.clock(), config.approvalExpiry(),
                config.setupExpiry(), settings, lease);
        RequestAccess requests = new RequestAccess(store, iam, notifier, policy, config.offeredGroups(), o.clock(), o.ids());
        Decisions decisions = new Decisions(store, notifier, policy, o.clock(), provisioner, workers);
        MfaActivation activation = new MfaActivation(store, iam, notifier, o.clock());
        PasswordReveal reveal = new PasswordReveal(store, iam, passwords, o.clock());

        App app = SlackApp.build(slack, config.slackBotToken().reveal(), config.slackSigningSecret().reveal(),
                new SlackApp.Listeners(
                        new CommandListener(requests),
                        new RequestModalListener(requests, notifier),
                        new DecisionListener(decisions, notifier),
                        new CodesListener(activation, notifier, workers),
                        new PasswordListener(reveal, store, notifier, workers)));
        this.socketMode = config.slackAppToken().map(t -> SocketMode.start(app, t.reveal(), metrics::slackAck)).orElse(null);
        this.readiness = new Readiness()
                .add("database", () -> databaseProblem(database))
                .add("slack", Readiness.cached(() -> slackProblem(methods), o.clock(), Duration.ofSeconds(30), Duration.ofSeconds(5)))
                // deployer: no AWS credentials at all shows as "aws: no credentials (...)"
                .add("aws", Readiness.cached(new AwsCredentialsCheck(o.awsCredentials()), o.clock(), Duration.ofSeconds(30), Duration.ofSeconds(5)));
        this.web = new WebServer(new SlackEndpoint(app, metrics::slackAck), metrics, readiness).start(o.host(), config.port());
        this.scheduler = Executors.newSingleThreadScheduledExecutor(named("onboard-sweeper"));
        long every = o.sweepEvery().toMillis();
        scheduler.scheduleWithFixedDelay(this::sweepQuietly, every, every, TimeUnit.MILLISECONDS);
    }

    private static java.util.Optional<String> databaseProblem(Database database) {
        try (java.sql.Connection c = database.dataSource().getConnection();
             java.sql.Statement st = c.createStatement()) {
            st.setQueryTimeout(2);
            st.execute("SELECT 1");
            return java.util.Optional.empty();
        } catch (java.sql.SQLException e) {
            // The class and SQL state only: a driver message can carry the URL.
            return java.util.Optional.of(e.getClass().getSimpleName() + (e.getSQLState() == null ? "" : " " + e.getSQLState()));
        }
    }

    private static java.util.Optional<String> slackProblem(MethodsClient methods) {
        try {
            var auth = methods.authTest(r -> r);
            return auth.isOk() ? java.util.Optional.empty() : java.util.Optional.of("auth.test " + auth.getError());
        } catch (java.io.IOException | com.slack.api.methods.SlackApiException e) {
            return java.util.Optional.of("auth.test " + e.getClass().getSimpleName());
        }
    }

    /** How long a worker's claim on a request lasts; a crashed worker's requests wait this long. */
    static final Duration LEASE_TTL = Duration.ofMinutes(5);

    private void sweepQuietly() {
        try {
            sweeper.sweep();
        } catch (RuntimeException e) {
            // The next sweep tries again; one bad row must not stop the schedule.
            log.warn("sweep failed: {}", e.getClass().getSimpleName());
        }
    }

    /** Runs one sweep now (resume, expire, delete lost devices); the schedule does it every minute. */
    public Sweeper.Report sweepNow() {
        return sweeper.sweep();
    }

    private static String instanceId() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "host";
        }
        return host + "-" + Long.toHexString(new SecureRandom().nextLong());
    }

    public static Bot start(Config config, Overrides overrides) {
        // deployer: a refused token or an unreachable Slack stops the start naming the variable, before anything opens
        SlackPreflight.check(config);
        Bot bot = new Bot(config, overrides);
        bot.resume();
        // deployer: one INFO line with the mode, the AWS account (once STS answers) and the database
        StartLine.announce(config, bot.port(), overrides.awsCredentials());
        return bot;
    }

    /** Picks up requests a previous run approved but did not finish provisioning. */
    private void resume() {
        List<Request> unfinished = store.findByStatus(Status.RESUMABLE);
        for (Request r : unfinished) {
            log.info("resuming request {} from step {}", r.id(), r.step());
            workers.execute(() -> provisioner.run(r.id()));
        }
    }

    public int port() {
        return web.port();
    }

    public RequestStore store() {
        return store;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        if (socketMode != null) {
            socketMode.close();
        }
        web.close();
        readiness.close();
        workers.shutdown();
        try {
            if (!workers.awaitTermination(10, TimeUnit.SECONDS)) {
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            workers.shutdownNow();
        }
        iamClient.close();
        database.close();
    }

    private static Supplier<String> randomIds() {
        SecureRandom random = new SecureRandom();
        String alphabet = "abcdefghijkmnpqrstuvwxyz23456789";
        return () -> {
            StringBuilder id = new StringBuilder("r-");
            for (int i = 0; i < 10; i++) {
                id.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            return id.toString();
        };
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
