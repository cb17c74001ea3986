package dev.awsonboard.lifecycle;

import dev.awsonboard.lifecycle.model.AccessPolicy;
import dev.awsonboard.lifecycle.model.ApprovalRules;
import dev.awsonboard.lifecycle.model.PasswordPolicy;
import dev.awsonboard.lifecycle.model.ProvisioningSettings;
import dev.awsonboard.lifecycle.port.Announcements;
import dev.awsonboard.lifecycle.port.Leases;
import dev.awsonboard.lifecycle.port.Links;
import dev.awsonboard.lifecycle.port.OneTimeSteps;
import dev.awsonboard.lifecycle.port.IamGateway;
import dev.awsonboard.lifecycle.port.Notifier;
import dev.awsonboard.lifecycle.port.Outbox;
import dev.awsonboard.lifecycle.port.People;
import dev.awsonboard.lifecycle.port.PeopleByEmail;
import dev.awsonboard.lifecycle.port.ReminderLog;
import dev.awsonboard.lifecycle.port.ReminderSender;
import dev.awsonboard.lifecycle.port.RequestStore;
import dev.awsonboard.lifecycle.port.SetupQr;
import dev.awsonboard.lifecycle.port.UserGroups;

import dev.awsonboard.config.Secret;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The use cases of an IAM user's life, built once from the ports and settings: the one place
 * that knows how the domain's parts fit. Adapters get the use cases; everything else stays
 * package-private.
 */
public final class UseCases {
    private final Intake intake;
    private final Decisions decisions;
    private final Runner runner;
    private final MfaActivation mfa;
    private final PasswordReveal passwords;
    private final StatusQuery status;
    private final Sweeper sweeper;
    private final Reminders reminders;
    private final Overview overview;
    private final SelfService selfService;
    private final Departures departures;
    private final AccountUsers accountUsers;
    private final DepartureCheck departureCheck;
    private final MfaSummary mfaSummary;
    private final Approvers approvers;
    private final GrantEnds grantEnds;

    /**
     * What the domain needs from outside, and how it is tuned.
     *
     * @param botUserId               the bot's own Slack user id: requester of the offboardings it files when a
     *                                person leaves; null files none
     * @param offboardWhenDeactivated a person deactivated in Slack gets an offboarding request (for approval)
     * @param rules                   who approves what ({@link ApprovalRules#only}: the policy's approvers, for everything)
     * @param userGroups              the members of the Slack user groups the rules name
     */
    public record Parts(RequestStore store, Leases leases, Outbox outbox, Links links, OneTimeSteps oneTimeSteps, IamGateway iam, Notifier notifier, People people, SetupQr qr,
                        Function<PasswordPolicy, Secret> passwordGenerator, AccessPolicy policy,
                        List<String> offeredGroups, ProvisioningSettings settings, Duration approvalExpiry,
                        Duration setupExpiry, Clock clock, Supplier<String> ids, IamRetry retry,
                        Lease lease, CrashProbe probe, Executor afterAck,
                        ReminderLog reminderLog, ReminderSender reminderSender, Reminders.Settings reminderSettings,
                        boolean offboardWhenDeactivated, String botUserId, String slackTeamId, ApprovalRules rules,
                        UserGroups userGroups) {
    }

    /**
     * What the account-wide views and checks need beyond {@link Parts} (issue 19).
     *
     * @param directory     Slack's members by e-mail address, for suggested links
     * @param announcements where the weekly MFA coverage goes
     * @param mfaSummary    the weekday of that summary; empty: none
     * @param pause         waits the given milliseconds between two looks of the departure check (tests count)
     */
    public record AccountParts(PeopleByEmail directory, Announcements announcements, java.util.Optional<java.time.DayOfWeek> mfaSummary,
                               java.util.function.LongConsumer pause) {
        /** Nobody is suggested, no summary is sent, and the departure check does not wait between looks. */
        public static final AccountParts NONE = new AccountParts(email -> java.util.Optional.empty(), roster -> { },
                java.util.Optional.empty(), millis -> { });
    }

    public UseCases(Parts p) {
        this(p, AccountParts.NONE);
    }

    public UseCases(Parts p, AccountParts a) {
        this(p, a, Heartbeats.timer());
    }

    /** @param heartbeats what renews a worker's claims while it works (tests beat by hand) */
    UseCases(Parts p, Heartbeats heartbeats) {
        this(p, AccountParts.NONE, heartbeats);
    }

    UseCases(Parts p, AccountParts a, Heartbeats heartbeats) {
        // The bot is never told about the offboardings it files itself.
        Notifier notifier = new BotAsRequester(p.notifier(), p.botUserId());
        this.approvers = new Approvers(p.rules(), p.policy(), p.settings(), p.userGroups(), p.clock(), p.afterAck());
        AccountFacts account = new AccountFacts(p.iam(), p.clock(), Duration.ofMinutes(10));
        Ownership ownership = new Ownership(p.links(), p.iam(), p.retry(), p.clock(), p.slackTeamId());
        Cleanup cleanup = new Cleanup(p.iam(), p.store(), p.clock(), p.retry(), p.probe(), ownership);
        UserRemoval removal = new UserRemoval(p.iam(), p.retry());
        UserCheck check = new UserCheck(p.iam(), p.people());
        PasswordChange passwordChange = new PasswordChange(p.iam(), account, p.settings());
        MfaSetup mfaSetup = new MfaSetup(p.iam(), notifier, p.qr(), p.settings(), p.store(), account);
        // The kinds: adding one is a file of its own and a row here.
        Kinds kinds = new Kinds(
                new Onboarding(p.policy(), p.offeredGroups(), p.iam(), p.settings(), account, p.passwordGenerator(),
                        passwordChange, mfaSetup, cleanup, check, ownership),
                new MfaReset(p.policy(), ownership, removal, mfaSetup, cleanup, check),
                new PasswordReset(p.policy(), ownership, notifier, passwordChange, check),
                new Offboarding(p.policy(), ownership, removal, check, p.settings(), p.botUserId()),
                new Linking(p.policy(), ownership, p.iam(), p.clock()),
                new Unlinking(p.policy(), ownership, p.iam()),
                new MfaEnrolment(p.policy(), ownership, mfaSetup, cleanup, check),
                new Grant(p.policy(), p.rules(), ownership, p.iam(), check));
        Effects effects = new Effects(p.store(), p.outbox(), p.leases(), p.lease(), kinds, cleanup, notifier, p.clock(), p.probe(),
                heartbeats);
        this.grantEnds = new GrantEnds(p.store(), p.leases(), p.lease(), p.iam(), p.retry(), p.probe(), effects, p.clock());
        this.runner = new Runner(p.store(), p.leases(), kinds, notifier, p.clock(), p.retry(), p.lease(), p.probe(), effects,
                p.afterAck(), heartbeats);
        Screening screening = new Screening(p.store(), p.leases(), p.lease(), kinds,
                new Checks(p.iam(), p.retry(), p.people(), ownership, p.settings(), account, p.clock()), notifier, approvers,
                p.clock(), runner);
        this.intake = new Intake(p.store(), kinds, p.policy(), screening, p.clock(), p.ids(), p.afterAck());
        this.decisions = new Decisions(p.store(), notifier, p.policy(), approvers, grantEnds, p.clock(), runner, effects, p.afterAck());
        this.mfa = new MfaActivation(p.store(), p.iam(), p.clock(), p.retry(), effects, p.probe(), p.leases(), p.lease(), ownership);
        this.passwords = new PasswordReveal(p.store(), p.iam(), p.passwordGenerator(), account, p.clock(),
                p.retry(), p.setupExpiry(), effects, p.probe(), p.leases(), p.lease(), ownership);
        this.status = new StatusQuery(p.store(), p.iam(), p.policy(), ownership, p.retry());
        this.reminders = new Reminders(p.store(), p.reminderLog(), p.reminderSender(), p.people(), approvers,
                p.reminderSettings(), p.setupExpiry(), p.clock());
        LinkBackfill backfill = new LinkBackfill(p.store(), p.links(), p.iam(), p.retry(), ownership, p.oneTimeSteps(),
                p.leases(), p.lease(), p.clock());
        this.sweeper = new Sweeper(p.store(), p.leases(), p.iam(), runner, screening, effects, p.clock(),
                p.approvalExpiry(), p.setupExpiry(), p.settings(), p.lease(), p.retry(), reminders, p.probe(), p.afterAck(), backfill);
        this.overview = new Overview(p.store(), status, ownership, passwords, p.policy(), approvers, p.clock());
        this.selfService = new SelfService(intake, ownership);
        this.departures = new Departures(intake, p.links(), p.oneTimeSteps(), p.store(), p.clock(), p.offboardWhenDeactivated(),
                p.botUserId(), grantEnds, p.outbox(), effects, p.afterAck(), p.probe());
        effects.departures(departures);
        this.accountUsers = new AccountUsers(p.iam(), p.retry(), p.links(), a.directory(), p.policy(), p.settings().iamPath(),
                p.clock(), intake);
        this.departureCheck = new DepartureCheck(p.links(), p.people(), departures, p.leases(), p.lease(), p.clock(), a.pause());
        this.mfaSummary = new MfaSummary(accountUsers, a.announcements(), p.oneTimeSteps(), p.leases(), p.lease(), p.clock(),
                a.mfaSummary());
    }

    public Intake intake() {
        return intake;
    }

    public Decisions decisions() {
        return decisions;
    }

    public Runner runner() {
        return runner;
    }

    public MfaActivation mfa() {
        return mfa;
    }

    public PasswordReveal passwords() {
        return passwords;
    }

    public StatusQuery status() {
        return status;
    }

    public Sweeper sweeper() {
        return sweeper;
    }

    public Reminders reminders() {
        return reminders;
    }

    public Overview overview() {
        return overview;
    }

    public SelfService selfService() {
        return selfService;
    }

    public Departures departures() {
        return departures;
    }

    public AccountUsers accountUsers() {
        return accountUsers;
    }

    public DepartureCheck departureCheck() {
        return departureCheck;
    }

    public MfaSummary mfaSummary() {
        return mfaSummary;
    }

    public Approvers approvers() {
        return approvers;
    }

    public GrantEnds grantEnds() {
        return grantEnds;
    }
}
