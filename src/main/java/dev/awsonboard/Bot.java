package dev.awsonboard;

import com.slack.api.Slack;
import com.slack.api.bolt.App;
import com.slack.api.methods.MethodsClient;
import dev.awsonboard.config.Config;
import dev.awsonboard.iam.IamClients;
import dev.awsonboard.iam.QrCodes;
import dev.awsonboard.iam.SdkIamGateway;
import dev.awsonboard.metrics.Metrics;
import dev.awsonboard.lifecycle.model.AccessPolicy;
import dev.awsonboard.lifecycle.port.Outbox;
import dev.awsonboard.lifecycle.port.IamGateway;
import dev.awsonboard.store.JdbcOutbox;
import dev.awsonboard.store.JdbcEventLog;
import dev.awsonboard.slack.inbound.EventLog;
import dev.awsonboard.lifecycle.model.Kind;
import dev.awsonboard.lifecycle.PasswordGenerator;
import dev.awsonboard.lifecycle.Lease;
import dev.awsonboard.lifecycle.CrashProbe;
import dev.awsonboard.lifecycle.UseCases;
import dev.awsonboard.lifecycle.IamRetry;
import dev.awsonboard.lifecycle.model.ProvisioningSettings;
import dev.awsonboard.lifecycle.model.QuietHours;
import dev.awsonboard.lifecycle.Reminders;
import dev.awsonboard.lifecycle.port.RequestStore;
import dev.awsonboard.lifecycle.model.Status;
import dev.awsonboard.slack.webapi.AuditChannel;
import dev.awsonboard.slack.inbound.CodesListener;
import dev.awsonboard.slack.inbound.CommandListener;
import dev.awsonboard.slack.inbound.DecisionListener;
import dev.awsonboard.slack.inbound.DepartureListener;
import dev.awsonboard.slack.inbound.HomeListener;
import dev.awsonboard.slack.webapi.HomePublisher;
import dev.awsonboard.slack.webapi.HomeUpdates;
import dev.awsonboard.slack.webapi.SlackReminders;
import dev.awsonboard.slack.inbound.PasswordListener;
import dev.awsonboard.slack.inbound.RequestModalListener;
import dev.awsonboard.slack.inbound.SlackApp;
import dev.awsonboard.slack.webapi.SlackClients;
import dev.awsonboard.slack.webapi.SlackNotifier;
import dev.awsonboard.slack.inbound.SocketMode;
import dev.awsonboard.slack.language.PersonLanguages;
import dev.awsonboard.slack.language.RememberedLanguageChoices;
import dev.awsonboard.slack.webapi.SlackPeople;
import dev.awsonboard.slack.language.Texts;
import dev.awsonboard.startup.AwsCredentialsCheck;
import dev.awsonboard.startup.SlackPreflight;
import dev.awsonboard.startup.StartLine;
import dev.awsonboard.store.Database;
import dev.awsonboard.store.JdbcReminderLog;
import dev.awsonboard.store.JdbcLanguageChoices;
import dev.awsonboard.store.JdbcLeases;
import dev.awsonboard.store.JdbcRequestStore;
import dev.awsonboard.web.Readiness;
import dev.awsonboard.slack.inbound.SlackEndpoint;
import dev.awsonboard.web.WebServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.services.iam.IamClient;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
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
                            int iamMaxRetries, String host, LongConsumer pause, CrashProbe probe,
                            Duration sweepEvery, Duration codesWait, Duration leaseTtl) {
        public Overrides(Clock clock, Supplier<String> ids, AwsCredentialsProvider awsCredentials, int iamMaxRetries,
                         String host, LongConsumer pause, CrashProbe probe, Duration sweepEvery) {
            this(clock, ids, awsCredentials, iamMaxRetries, host, pause, probe, sweepEvery, CodesListener.INLINE_WAIT, LEASE_TTL);
        }

        /** How long a codes submission waits for IAM before the modal says "checking…" (tests shorten it). */
        public Overrides withCodesWait(Duration wait) {
            return new Overrides(clock, ids, awsCredentials, iamMaxRetries, host, pause, probe, sweepEvery, wait, leaseTtl);
        }

        /** How long a worker's claim lasts unrenewed (tests shorten it, so that one can lapse mid-step). */
        public Overrides withLeaseTtl(Duration ttl) {
            return new Overrides(clock, ids, awsCredentials, iamMaxRetries, host, pause, probe, sweepEvery, codesWait, ttl);
        }
    }

    public static Overrides defaults() {
        // The SDK retries nothing: IamRetry is the one retry policy for IAM.
        return new Overrides(Clock.systemUTC(), randomIds(), DefaultCredentialsProvider.builder().build(), 0, "0.0.0.0",
                Bot::sleep, CrashProbe.NONE, Duration.ofMinutes(1));
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
    private final ExecutorService interactive;
    private final WebServer web;
    /** Set when SLACK_APP_TOKEN is: Slack sends envelopes over a websocket; the web server still serves /healthz. */
    private final SocketMode socketMode;
    private final RequestStore store;
    private final UseCases lifecycle;
    private final EventLog events;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    /** App Home publishes, each after its burst of changes. */
    private final ScheduledExecutorService homeScheduler;
    private final Metrics metrics;
    private final Readiness readiness;

    private Bot(Config config, Overrides o, IamClient iamClient, Front front, SlackPreflight.Checked slackChecked) {
        this.database = Database.open(config.databaseUrl());
        this.iamClient = iamClient;
        this.metrics = front.metrics();
        IamGateway iam = new SdkIamGateway(iamClient, metrics::iamCall);
        this.workers = Executors.newFixedThreadPool(4, background("onboard-worker"));
        // Answers people wait on (modals, ephemeral replies, codes) never queue behind bulk IAM work.
        this.interactive = Executors.newFixedThreadPool(8, named("onboard-interactive"));

        Slack slack = slackChecked.slack();
        MethodsClient methods = SlackClients.methods(slack, config.slackBotToken().reveal());
        JdbcRequestStore jdbc = new JdbcRequestStore(database.dataSource(), database.writes());
        // Every stored change redraws the App Home of the people it concerns.
        HomeUpdates homeUpdates = new HomeUpdates(config.auditChannel()
                .<RequestStore>map(channel -> new AuditChannel(jdbc, methods, channel, workers))
                .orElse(jdbc));
        this.store = homeUpdates;
        metrics.countRequestsIn(store);
        Outbox outbox = new JdbcOutbox(database.dataSource(), database.writes());
        this.events = new JdbcEventLog(database.writes());
        this.clock = o.clock();
        metrics.countQrFilesAlive(() -> store.findByStatus(Status.AWAITING_PERSON).stream().filter(r -> r.qrFileId() != null).count()
                + outbox.count(Outbox.Effect.DELETE_QR));
        SlackPeople people = SlackPeople.over(methods, o.pause(), metrics::slackApiError);
        PersonLanguages languages = new PersonLanguages(Texts.of(java.util.Locale.forLanguageTag(config.lifecycle().defaultLanguage())),
                new RememberedLanguageChoices(new JdbcLanguageChoices(database.dataSource(), o.clock()), o.clock()),
                people, o.clock(), interactive);
        SlackNotifier notifier = new SlackNotifier(methods, config.approvalChannel(), config.approvers(), o.pause(),
                metrics::slackApiError, languages);
        AccessPolicy policy = new AccessPolicy(config.approvers(), config.requesters(), config.allowSelfApproval(),
                whoMayRequest(config.lifecycle()));
        PasswordGenerator passwords = new PasswordGenerator();
        ProvisioningSettings settings = new ProvisioningSettings(config.defaultGroups(), config.iamPath(),
                config.extraTags(), config.signInUrl(), config.permissionsBoundary(),
                config.lifecycle().attachChangePasswordPolicy(), config.lifecycle().offboardAnyUser());
        Lease lease = new Lease(instanceId(), o.leaseTtl());
        String botUserId = botUserId(slackChecked);
        var reminders = config.lifecycle().reminders();
        this.lifecycle = new UseCases(new UseCases.Parts(store, new JdbcLeases(database.writes()), outbox, iam, notifier, languages.watching(people),
                (label, user, seed) -> QrCodes.png(QrCodes.otpauthUri(label, user, seed), 400),
                passwords::generate, policy, config.offeredGroups(), settings, config.approvalExpiry(), config.setupExpiry(),
                o.clock(), o.ids(), IamRetry.standard(o.pause()), lease, o.probe(), workers,
                new JdbcReminderLog(database.dataSource()),
                new SlackReminders(methods, notifier.languages(), o.pause(), metrics::slackApiError),
                new Reminders.Settings(reminders.approvalEvery(), reminders.approvalMax(),
                        new QuietHours(reminders.quietFrom(), reminders.quietUntil()), reminders.setupAfter()),
                config.lifecycle().offboardWhenDeactivated(), botUserId));
        this.homeScheduler = Executors.newSingleThreadScheduledExecutor(background("onboard-home"));
        HomePublisher home = new HomePublisher(methods, lifecycle.overview(), notifier.languages(), config.approvers(),
                botUserId, this::onHomeThread, HomePublisher.DEBOUNCE, o.pause(), metrics::slackApiError);
        homeUpdates.onChange(home::changed);

        App app = SlackApp.build(slack, config.slackBotToken().reveal(), config.slackSigningSecret().reveal(),
                new SlackApp.Listeners(
                        new CommandListener(lifecycle.intake(), lifecycle.decisions(), lifecycle.status(), notifier.languages(), interactive),
                        new RequestModalListener(lifecycle.intake(), notifier),
                        new DecisionListener(lifecycle.decisions(), notifier, interactive),
                        new CodesListener(lifecycle.mfa(), notifier, interactive, o.codesWait()),
                        new PasswordListener(lifecycle.passwords(), store, notifier, interactive),
                        new HomeListener(home::now, lifecycle.selfService(), notifier.languages(), notifier, interactive),
                        new DepartureListener(lifecycle.departures(), notifier.languages())),
                events, o.clock());
        // Bolt's SingleTeamAuthorization repeats auth.test inside the ack of the first request after its
        // cache expires (10 minutes by default; AppConfig.authTestCacheExpirationMillis in bolt 1.51.0):
        // a remote call before the ack. Cached for good here; /readyz keeps asking Slack every 30 s.
        app.config().setAuthTestCacheExpirationMillis(-1);
        this.socketMode = config.slackAppToken().map(t -> SocketMode.start(app, t.reveal(), metrics::slackAck)).orElse(null);
        this.readiness = new Readiness()
                .add("database", () -> databaseProblem(database))
                .add("slack", Readiness.cached(() -> slackProblem(methods), o.clock(), Duration.ofSeconds(30), Duration.ofSeconds(5)))
                // no AWS credentials at all shows as "aws: no credentials (...)"
                .add("aws", Readiness.cached(new AwsCredentialsCheck(o.awsCredentials()), o.clock(), Duration.ofSeconds(30), Duration.ofSeconds(5)));
        this.web = front.web().serve(new SlackEndpoint(app, metrics::slackAck), readiness);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(background("onboard-sweeper"));
        long every = o.sweepEvery().toMillis();
        scheduler.scheduleWithFixedDelay(this::sweepQuietly, every, every, TimeUnit.MILLISECONDS);
    }

    private static java.util.Map<Kind, AccessPolicy.Who> whoMayRequest(dev.awsonboard.config.LifecycleSettings settings) {
        java.util.Map<Kind, AccessPolicy.Who> who = new java.util.EnumMap<>(Kind.class);
        java.util.Map<String, Kind> kinds = java.util.Map.of("resetMfa", Kind.RESET_MFA, "resetPassword", Kind.RESET_PASSWORD,
                "offboard", Kind.OFFBOARD);
        settings.whoMayRequest().forEach((command, value) ->
                who.put(kinds.get(command), AccessPolicy.Who.valueOf(value.toUpperCase(java.util.Locale.ROOT))));
        return who;
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

    private void onHomeThread(Runnable task, Duration delay) {
        try {
            homeScheduler.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // Shutting down: the Home is drawn again when the person next opens it.
        }
    }

    /** The bot's own Slack user id, the requester of the offboardings it files when a person leaves; null if Slack does not say. */
    private static String botUserId(SlackPreflight.Checked checked) {
        if (checked.botUserId() == null) {
            log.warn("auth.test did not name the bot: people who leave will not be offboarded");
        }
        return checked.botUserId();
    }

    /**
     * How long a worker's claim on a request lasts unrenewed; a crashed worker's requests wait this long.
     * A heartbeat renews it every fifth of that while the worker works, and it outlasts the longest IAM
     * call (IamRetry's budget and one last attempt, 40 s) several times over, so no single call can
     * outlive it.
     */
    static final Duration LEASE_TTL = Duration.ofMinutes(5);

    private void sweepQuietly() {
        try {
            lifecycle.sweeper().sweep();
            events.forgetBefore(clock.instant().minus(Duration.ofDays(1)));
        } catch (RuntimeException e) {
            // The next sweep tries again; one bad row must not stop the schedule.
            log.warn("sweep failed: {}", e.getClass().getSimpleName());
        }
    }

    /** Runs one sweep now (resume, expire, delete lost devices); the schedule does it every minute. */
    public dev.awsonboard.lifecycle.Sweeper.Report sweepNow() {
        return lifecycle.sweeper().sweep();
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

    /** What serves HTTP from early in the start: the metrics and the web server, listening before the bot is wired. */
    private record Front(Metrics metrics, WebServer web) {
        static Front listening(String host, int port) {
            Metrics metrics = new Metrics();
            return new Front(metrics, new WebServer(metrics).start(host, port));
        }
    }

    public static Bot start(Config config, Overrides overrides) {
        // Building the IAM client opens no connection and takes about as long as Slack's checks: it
        // runs beside them, and so does the web server, which answers /readyz 503 until the bot is
        // wired. The database waits for them, so a refused token creates nothing.
        CompletableFuture<IamClient> iam = beside("start-iam",
                () -> IamClients.create(config.iamEndpoint(), overrides.awsCredentials(), overrides.iamMaxRetries()));
        CompletableFuture<Front> front = beside("start-web", () -> Front.listening(overrides.host(), config.port()));
        Database.warmUpFor(config.databaseUrl()).ifPresent(warmUp -> beside("start-db-warm-up", () -> {
            warmUp.run();
            return null;
        }));
        Bot bot;
        SlackPreflight.Checked slack = null;
        try {
            // a refused token or an unreachable Slack stops the start naming the variable, before anything opens
            slack = SlackPreflight.check(config);
            bot = new Bot(config, overrides, await(iam), await(front), slack);
        } catch (RuntimeException | Error e) {
            iam.thenAccept(IamClient::close);
            front.thenAccept(f -> f.web().close());
            if (slack != null) {
                SlackClients.closeQuietly(slack.slack()); // the check passed, the wiring after it did not
            }
            throw e;
        }
        bot.resume();
        // one INFO line with the mode, the AWS account (once STS answers) and the database
        StartLine.announce(config, bot.port(), overrides.awsCredentials());
        return bot;
    }

    private static <T> CompletableFuture<T> beside(String name, Supplier<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                result.complete(work.get());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return result;
    }

    /** What {@code started} made, or what it threw, as if it had run on this thread. */
    private static <T> T await(CompletableFuture<T> started) {
        try {
            return started.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error r) {
                throw r;
            }
            throw e;
        }
    }

    /** Picks up requests a previous run acknowledged but did not check, or approved but did not finish. */
    private void resume() {
        lifecycle.sweeper().resumeAfterStart(workers);
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
        // Pending Home redraws are dropped; one under way finishes before IAM and the database close under it.
        homeScheduler.shutdownNow();
        try {
            homeScheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (socketMode != null) {
            socketMode.close();
        }
        web.close();
        readiness.close();
        for (ExecutorService pool : List.of(interactive, workers)) {
            pool.shutdown();
            try {
                if (!pool.awaitTermination(10, TimeUnit.SECONDS)) {
                    pool.shutdownNow();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                pool.shutdownNow();
            }
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

    /**
     * Threads of work nobody is waiting on at that moment (checks, provisioning, Home redraws, sweeps):
     * lowest priority, so that under a burst the acknowledgements get the cores first. The JVM maps
     * it to a nicer OS priority only when started with -XX:ThreadPriorityPolicy=1 (bin/aws-onboard does).
     */
    private static ThreadFactory background(String prefix) {
        ThreadFactory named = named(prefix);
        return r -> {
            Thread t = named.newThread(r);
            t.setPriority(Thread.MIN_PRIORITY);
            return t;
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
