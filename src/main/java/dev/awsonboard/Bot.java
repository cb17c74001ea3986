package dev.awsonboard;

import com.slack.api.Slack;
import com.slack.api.bolt.App;
import com.slack.api.methods.MethodsClient;
import dev.awsonboard.config.ApprovalRuleSettings;
import dev.awsonboard.config.Config;
import dev.awsonboard.iam.QrCodes;
import dev.awsonboard.iam.SdkIamGateway;
import dev.awsonboard.metrics.Metrics;
import dev.awsonboard.lifecycle.model.AccessPolicy;
import dev.awsonboard.lifecycle.model.ApprovalRule;
import dev.awsonboard.lifecycle.model.ApprovalRules;
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
import dev.awsonboard.slack.webapi.SlackAnnouncements;
import dev.awsonboard.slack.webapi.HomePublisher;
import dev.awsonboard.slack.webapi.HomeUpdates;
import dev.awsonboard.slack.webapi.SlackReminders;
import dev.awsonboard.slack.inbound.SlackApp;
import dev.awsonboard.slack.webapi.SlackClients;
import dev.awsonboard.slack.webapi.SlackNotifier;
import dev.awsonboard.slack.inbound.SocketMode;
import dev.awsonboard.slack.language.PersonLanguages;
import dev.awsonboard.slack.language.RememberedLanguageChoices;
import dev.awsonboard.slack.webapi.SlackPeople;
import dev.awsonboard.slack.webapi.SlackUserGroups;
import dev.awsonboard.slack.language.Texts;
import dev.awsonboard.startup.IdMakers;
import dev.awsonboard.startup.ReadinessProbes;
import dev.awsonboard.startup.SlackPreflight;
import dev.awsonboard.store.Database;
import dev.awsonboard.store.JdbcReminderLog;
import dev.awsonboard.store.JdbcLanguageChoices;
import dev.awsonboard.store.JdbcLeases;
import dev.awsonboard.store.JdbcLinks;
import dev.awsonboard.store.JdbcOneTimeSteps;
import dev.awsonboard.store.JdbcRequestStore;
import dev.awsonboard.web.Readiness;
import dev.awsonboard.slack.inbound.SlackEndpoint;
import dev.awsonboard.web.WebServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.services.iam.IamClient;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

/**
 * The composition root: builds every adapter and use case from a {@link Config} and runs
 * the HTTP server. How it starts is {@link BotStartup}'s, what runs where is {@link Threads}'.
 * Tests build it with their own clock, ids and fake endpoints.
 */
public final class Bot implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Bot.class);

    /** What tests replace; production uses {@link #defaults()}. */
    public record Overrides(Clock clock, Supplier<String> ids, AwsCredentialsProvider awsCredentials,
                            int iamMaxRetries, String host, LongConsumer pause, CrashProbe probe,
                            Duration sweepEvery, Duration codesWait, Duration leaseTtl) {
        public Overrides(Clock clock, Supplier<String> ids, AwsCredentialsProvider awsCredentials, int iamMaxRetries,
                         String host, LongConsumer pause, CrashProbe probe, Duration sweepEvery) {
            this(clock, ids, awsCredentials, iamMaxRetries, host, pause, probe, sweepEvery, SlackApp.CODES_WAIT, LEASE_TTL);
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
        return new Overrides(Clock.systemUTC(), IdMakers.requestIds(), DefaultCredentialsProvider.builder().build(), 0, "0.0.0.0",
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
    private final Threads threads = new Threads();
    private final ExecutorService workers = threads.workers();
    private final ExecutorService interactive = threads.interactive();
    private final WebServer web;
    /** Set when SLACK_APP_TOKEN is: Slack sends envelopes over a websocket; the web server still serves /healthz. */
    private final SocketMode socketMode;
    private final RequestStore store;
    private final Outbox outbox;
    private final UseCases lifecycle;
    private final EventLog events;
    private final Clock clock;
    private final Metrics metrics;
    private final Readiness readiness;

    /** Wires the bot on what {@link BotStartup} started and checked beside it. */
    Bot(Config config, Overrides o, IamClient iamClient, BotStartup.Front front, SlackPreflight.Checked slackChecked) {
        this.database = Database.open(config.databaseUrl());
        this.iamClient = iamClient;
        this.metrics = front.metrics();
        IamGateway iam = new SdkIamGateway(iamClient, metrics::iamCall);

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
        this.outbox = outbox;
        this.events = new JdbcEventLog(database.writes());
        this.clock = o.clock();
        metrics.countQrFilesAlive(() -> store.findByStatus(Status.AWAITING_PERSON).stream().filter(r -> r.qrFileId() != null).count()
                + outbox.count(Outbox.Effect.DELETE_QR));
        SlackPeople people = SlackPeople.over(methods, o.pause(), metrics::slackApiError);
        PersonLanguages languages = new PersonLanguages(Texts.of(java.util.Locale.forLanguageTag(config.lifecycle().defaultLanguage())),
                new RememberedLanguageChoices(new JdbcLanguageChoices(database.dataSource(), o.clock()), o.clock()),
                people, o.clock(), interactive);
        ApprovalRules rules = approvalRules(config);
        java.util.Set<String> namedApprovers = new java.util.LinkedHashSet<>(config.approvers());
        rules.all().forEach(rule -> rule.approvers().stream().filter(a -> !ApprovalRule.isUserGroup(a)).forEach(namedApprovers::add));
        SlackNotifier notifier = new SlackNotifier(methods, config.approvalChannel(), namedApprovers, o.pause(),
                metrics::slackApiError, languages);
        AccessPolicy policy = new AccessPolicy(config.approvers(), config.requesters(), config.allowSelfApproval(),
                whoMayRequest(config.lifecycle()));
        PasswordGenerator passwords = new PasswordGenerator();
        ProvisioningSettings settings = new ProvisioningSettings(config.defaultGroups(), config.iamPath(),
                config.extraTags(), config.signInUrl(), config.permissionsBoundary(),
                config.lifecycle().attachChangePasswordPolicy(), config.lifecycle().offboardAnyUser());
        Lease lease = new Lease(IdMakers.instanceId(), o.leaseTtl());
        String botUserId = botUserId(slackChecked);
        var reminders = config.lifecycle().reminders();
        this.lifecycle = new UseCases(new UseCases.Parts(store, new JdbcLeases(database.writes()), outbox,
                new JdbcLinks(database.dataSource(), database.writes()),
                new JdbcOneTimeSteps(database.dataSource(), database.writes()), iam, notifier, languages.watching(people),
                (label, user, seed) -> QrCodes.png(QrCodes.otpauthUri(label, user, seed), 400),
                passwords::generate, policy, config.offeredGroups(), settings, config.approvalExpiry(), config.setupExpiry(),
                o.clock(), o.ids(), IamRetry.standard(o.pause()), lease, o.probe(), workers,
                new JdbcReminderLog(database.dataSource()),
                new SlackReminders(methods, notifier.languages(), o.pause(), metrics::slackApiError),
                new Reminders.Settings(reminders.approvalEvery(), reminders.approvalMax(),
                        new QuietHours(reminders.quietFrom(), reminders.quietUntil()), reminders.setupAfter(),
                        reminders.grantEndingBefore()),
                config.lifecycle().offboardWhenDeactivated(), botUserId, slackChecked.teamId(), rules,
                SlackUserGroups.over(methods, o.pause(), metrics::slackApiError)),
                new UseCases.AccountParts(people, new SlackAnnouncements(methods, config.approvalChannel(), config.approvers(),
                        notifier, o.pause(), metrics::slackApiError), config.lifecycle().mfaSummary(), o.pause()));
        HomePublisher home = new HomePublisher(methods, lifecycle.overview(), notifier.languages(), lifecycle.approvers()::everyone,
                botUserId, threads::onHomeThread, HomePublisher.DEBOUNCE, o.pause(), metrics::slackApiError,
                lifecycle.accountUsers(), workers);
        homeUpdates.onChange(home::changed);

        App app = SlackApp.build(slack, config.slackBotToken().reveal(), config.slackSigningSecret().reveal(),
                SlackApp.Listeners.over(lifecycle, store, notifier, home::now, interactive, workers, o.codesWait()),
                events, o.clock(), slackChecked.teamId(), slackChecked.enterpriseId(), notifier.languages());
        // Bolt's SingleTeamAuthorization repeats auth.test inside the ack of the first request after its
        // cache expires (10 minutes by default; AppConfig.authTestCacheExpirationMillis in bolt 1.51.0):
        // a remote call before the ack. Cached for good here; /readyz keeps asking Slack every 30 s.
        app.config().setAuthTestCacheExpirationMillis(-1);
        this.socketMode = config.slackAppToken().map(t -> SocketMode.start(app, t.reveal(), metrics::slackAck)).orElse(null);
        this.readiness = ReadinessProbes.of(database, methods, o.clock(), o.awsCredentials());
        this.web = front.web().serve(new SlackEndpoint(app, metrics::slackAck), readiness);
        threads.sweepEvery(o.sweepEvery(), this::sweepQuietly);
        // People who leave, without trusting one event; and the weekly MFA summary once it is due.
        Texts channel = notifier.languages().forChannel();
        this.departureReason = person -> channel.plain("departure.reasonChecked", "person", person);
        threads.checkEvery(config.lifecycle().departureCheckEvery(), this::checkDeparturesQuietly);
        threads.checkEvery(o.sweepEvery(), this::sendMfaSummaryQuietly);
    }

    private final java.util.function.Function<String, String> departureReason;

    private void checkDeparturesQuietly() {
        try {
            checkDeparturesNow();
        } catch (RuntimeException e) {
            log.warn("departure check failed: {}", e.getClass().getSimpleName());
        }
    }

    /** Looks at every linked person in Slack now and files offboardings for anyone deactivated; the schedule does it hourly. */
    public dev.awsonboard.lifecycle.DepartureCheck.Report checkDeparturesNow() {
        return lifecycle.departureCheck().run(departureReason);
    }

    private void sendMfaSummaryQuietly() {
        try {
            sendMfaSummaryNow();
        } catch (RuntimeException e) {
            log.warn("MFA summary failed: {}", e.getClass().getSimpleName());
        }
    }

    /** Sends this week's MFA summary if it is due and not sent yet; true when this call sent it. */
    public boolean sendMfaSummaryNow() {
        return lifecycle.mfaSummary().sendIfDue();
    }

    /** The request kinds as the YAML file names them. */
    private static final java.util.Map<String, Kind> KINDS = java.util.Map.of("onboard", Kind.ONBOARD, "resetMfa", Kind.RESET_MFA,
            "resetPassword", Kind.RESET_PASSWORD, "offboard", Kind.OFFBOARD, "link", Kind.LINK, "unlink", Kind.UNLINK,
            "grant", Kind.GRANT);

    private static java.util.Map<Kind, AccessPolicy.Who> whoMayRequest(dev.awsonboard.config.LifecycleSettings settings) {
        java.util.Map<Kind, AccessPolicy.Who> who = new java.util.EnumMap<>(Kind.class);
        settings.whoMayRequest().forEach((command, value) ->
                who.put(KINDS.get(command), AccessPolicy.Who.valueOf(value.toUpperCase(java.util.Locale.ROOT))));
        return who;
    }

    /**
     * The configured approval rules, and the default one (ONBOARD_APPROVERS, one approval) for requests none
     * covers. A rule that does not say where it is announced goes where every request goes: the approval
     * channel, or its approvers' DMs.
     */
    static ApprovalRules approvalRules(Config config) {
        ApprovalRule.Announce usual = config.approvalChannel().map(ApprovalRule.Announce::channel).orElse(ApprovalRule.Announce.DM);
        List<ApprovalRule> rules = config.approvalRules().stream().map(r -> new ApprovalRule(r.name(),
                r.kinds().isEmpty() ? java.util.EnumSet.allOf(Kind.class)
                        : r.kinds().stream().map(KINDS::get).collect(java.util.stream.Collectors.toSet()),
                java.util.Set.copyOf(r.groups()), r.approvers(), r.approvals(),
                r.announce().map(a -> ApprovalRuleSettings.DM.equals(a) ? ApprovalRule.Announce.DM : ApprovalRule.Announce.channel(a))
                        .orElse(usual),
                java.util.Set.copyOf(r.silentApprovers()), r.maxDuration().orElse(ApprovalRule.DEFAULT_MAX_GRANT))).toList();
        return new ApprovalRules(rules, ApprovalRules.fallback(config.approvers(), usual));
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
            sweepOnce();
            events.forgetBefore(clock.instant().minus(Duration.ofDays(1)));
        } catch (RuntimeException e) {
            // The next sweep tries again; one bad row must not stop the schedule.
            log.warn("sweep failed: {}", e.getClass().getSimpleName());
        }
    }

    /** Runs one sweep now (resume, expire, delete lost devices); the schedule does it every minute. */
    public dev.awsonboard.lifecycle.Sweeper.Report sweepNow() {
        return sweepOnce();
    }

    /** One sweep: resumes, expiries, reminders; grants whose time has come end; the rules' user groups are read again. */
    private dev.awsonboard.lifecycle.Sweeper.Report sweepOnce() {
        dev.awsonboard.lifecycle.Sweeper.Report report = lifecycle.sweeper().sweep();
        lifecycle.grantEnds().endDue();
        lifecycle.approvers().refresh();
        return report;
    }

    /** Starts the bot (see {@link BotStartup}): serving HTTP, resumed, announced. */
    public static Bot start(Config config, Overrides overrides) {
        return BotStartup.start(config, overrides);
    }

    /** Picks up requests a previous run acknowledged but did not check, or approved but did not finish. */
    void resume() {
        lifecycle.sweeper().resumeAfterStart(workers);
        workers.execute(lifecycle.approvers()::refresh); // the rules' user groups, read before the first click needs them
        workers.execute(lifecycle.grantEnds()::endDue); // grants that ended while no bot ran
    }

    public int port() {
        return web.port();
    }

    public RequestStore store() {
        return store;
    }

    /** What the requests still owe (tests and tools: whether a change's effects were carried out). */
    public Outbox outbox() {
        return outbox;
    }

    @Override
    public void close() {
        threads.stopSchedules();
        if (socketMode != null) {
            socketMode.close();
        }
        web.close();
        readiness.close();
        threads.drain();
        iamClient.close();
        database.close();
    }
}
