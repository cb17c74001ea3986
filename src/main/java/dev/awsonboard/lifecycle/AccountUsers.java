package dev.awsonboard.lifecycle;

import dev.awsonboard.lifecycle.model.AccessPolicy;
import dev.awsonboard.lifecycle.model.CredentialReport;
import dev.awsonboard.lifecycle.model.Kind;
import dev.awsonboard.lifecycle.model.Link;
import dev.awsonboard.lifecycle.model.MfaCoverage;
import dev.awsonboard.lifecycle.model.Notice;
import dev.awsonboard.lifecycle.model.Outcome;
import dev.awsonboard.lifecycle.model.Reason;
import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.lifecycle.port.IamException;
import dev.awsonboard.lifecycle.port.IamGateway;
import dev.awsonboard.lifecycle.port.Links;
import dev.awsonboard.lifecycle.port.NotifierException;
import dev.awsonboard.lifecycle.port.People;
import dev.awsonboard.lifecycle.port.PeopleByEmail;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Use case: the IAM users of the account under {@code iamPath}, for approvers (the {@code users}
 * command and their App Home): each with its link, MFA, console password, last sign-in and access key
 * ages, read from IAM's credential report: one read for the whole account, never one per user. IAM
 * makes a new report at most every four hours, so this process keeps the last one that long and
 * reads the links afresh each time (they change with every request). Every replica keeps its own:
 * IAM serves them all the same report, so replicas cost a read each, not a report each.
 *
 * <p>An IAM user nobody is linked to, whose name is an e-mail address or who carries an {@code email}
 * tag, is matched to the Slack member registered with that address: a suggestion an approver
 * confirms with one click, which files a link request ({@link Linking}) for another approver to approve.
 * Nothing is linked silently, and the click is checked against IAM and Slack again, not against what
 * was shown.
 */
public final class AccountUsers {
    private static final Logger log = LoggerFactory.getLogger(AccountUsers.class);
    /** IAM makes a new credential report at most this often; reading sooner gives the same one. */
    public static final Duration REPORT_LIFETIME = Duration.ofHours(4);
    /** The tag an admin writes the person's e-mail address in. */
    public static final String EMAIL_TAG = "email";
    private static final Pattern EMAIL = Pattern.compile("[^@\\s,]+@[^@\\s,]+\\.[^@\\s,]+");

    /**
     * A person an unlinked IAM user probably belongs to: the Slack member registered with the e-mail
     * address the user is named or tagged with.
     */
    public record Suggestion(String iamUserName, String email, Source source, String slackUserId) {
        /** Where the address came from. */
        public enum Source { TAG, NAME }
    }

    /** One IAM user: its credentials as the report says, whose it is now, and whose it may be. */
    public record Row(CredentialReport.User user, Optional<Link> link, Optional<Suggestion> suggestion) {
        public boolean linked() {
            return link.isPresent();
        }
    }

    /**
     * IAM users with a console password and no MFA (AWS Security Hub IAM.5), linked to a person and not.
     */
    public record Coverage(int withoutMfa, int linked, int unlinked) {
    }

    /**
     * @param generated when IAM made the report (IAM's clock)
     * @param readAt    when this process read it
     * @param path      the iamPath the rows are under
     * @param rows      by name, ignoring case
     */
    public record Roster(Instant generated, Instant readAt, String path, List<Row> rows) {
        public Roster {
            rows = List.copyOf(rows);
        }

        public Coverage coverage() {
            List<Row> without = rows.stream().filter(r -> r.user().consoleWithoutMfa()).toList();
            int linked = (int) without.stream().filter(Row::linked).count();
            return new Coverage(without.size(), linked, without.size() - linked);
        }

        /** The coverage with what it is about: the path, how many users, the report's time. */
        public MfaCoverage mfaCoverage() {
            Coverage c = coverage();
            return new MfaCoverage(generated, path, rows.size(), c.withoutMfa(), c.linked(), c.unlinked());
        }

        /** Console users without MFA who have a person to send the setup to. */
        public List<Row> linkedWithoutMfa() {
            return rows.stream().filter(r -> r.linked() && r.user().consoleWithoutMfa()).toList();
        }

        /** Unlinked users with a suggested person. */
        public List<Row> suggested() {
            return rows.stream().filter(r -> r.suggestion().isPresent()).toList();
        }
    }

    /** One read of IAM: the report and the suggestions worked out from it. */
    private record Snapshot(CredentialReport report, Instant readAt, Map<String, Suggestion> suggestions) {
    }

    private final IamGateway iam;
    private final IamRetry retry;
    private final Links links;
    private final PeopleByEmail directory;
    private final AccessPolicy policy;
    private final String iamPath;
    private final Clock clock;
    private final Intake intake;
    private volatile Snapshot snapshot;
    /** One read of IAM at a time in this process. */
    private final Object reading = new Object();

    AccountUsers(IamGateway iam, IamRetry retry, Links links, PeopleByEmail directory, AccessPolicy policy, String iamPath,
                 Clock clock, Intake intake) {
        this.iam = iam;
        this.retry = retry;
        this.links = links;
        this.directory = directory;
        this.policy = policy;
        this.iamPath = iamPath;
        this.clock = clock;
        this.intake = intake;
    }

    /** Whether this person may see the account's IAM users (approvers); no remote call. */
    public boolean mayList(String actor) {
        return policy.isApprover(actor);
    }

    /**
     * For an approver: the account's IAM users, IAM read again if the last report read here is four
     * hours old, waiting (within the IAM retry budget) while IAM makes a new one. Asks IAM and Slack, so
     * it runs after Slack has been answered.
     */
    public Outcome<Roster> forApprover(String actor) {
        if (!policy.isApprover(actor)) {
            return Outcome.refused(Reason.USERS_NOT_ALLOWED);
        }
        try {
            return Outcome.done(roster(fresh()), Notice.of(Reason.USERS));
        } catch (IamException e) {
            log.warn("could not read IAM's credential report: {}", e.getMessage());
            return Outcome.refused(Reason.IAM_CHECK_FAILED, "code", e.code());
        }
    }

    /** What this process knows now, without a remote call (App Home redraws); empty before the first read. */
    public Optional<Roster> known() {
        Snapshot s = snapshot;
        return s == null ? Optional.empty() : Optional.of(roster(s));
    }

    /**
     * An approver opened their App Home: IAM is read again if the last report read here is four hours
     * old, as for the command (the caller runs it off the Home's thread). A failure is logged and leaves
     * what was known. True when a new report was read.
     */
    public boolean refreshIfStale() {
        Snapshot before = snapshot;
        try {
            return fresh() != before;
        } catch (IamException e) {
            log.warn("could not read IAM's credential report: {}", e.getMessage());
            return false;
        }
    }

    /**
     * An approver confirms a suggested link with one click: the suggestion is worked out again from IAM
     * and Slack as they are now (the button only names it), and a link request is filed for another
     * approver to approve.
     *
     * @param reason the link request's reason as the approvers read it (the adapter words it)
     */
    public Outcome<Request> confirm(String actor, String iamUserName, String person, String reason) {
        if (!policy.isApprover(actor)) {
            return Outcome.refused(Reason.USERS_NOT_ALLOWED);
        }
        Optional<Suggestion> now;
        try {
            if (links.byName(iamUserName).isPresent()) {
                now = Optional.empty();
            } else {
                now = retry.call(IamRetry.Mode.TRANSIENT, () -> iam.findUser(iamUserName), e -> { })
                        .filter(u -> CredentialReport.pathOf(u.arn()).startsWith(iamPath))
                        .flatMap(u -> suggestion(u.userName(), () -> u.tags(), new HashMap<>()));
            }
        } catch (IamException e) {
            return Outcome.refused(Reason.IAM_CHECK_FAILED, "code", e.code());
        } catch (NotifierException e) {
            return Outcome.refused(Reason.PERSON_CHECK_FAILED, "code", e.code());
        }
        if (now.isEmpty() || !now.get().slackUserId().equals(person)) {
            return Outcome.refused(Reason.SUGGESTION_OUT_OF_DATE, "user", iamUserName, "person", person);
        }
        // A link request like the command's: another approver approves it.
        return intake.submit(new Intake.NewRequest(Kind.LINK, actor, now.get().iamUserName(), person, List.of(), reason),
                Optional.empty());
    }

    private Snapshot fresh() {
        synchronized (reading) {
            Snapshot s = snapshot;
            Instant now = clock.instant();
            if (s != null && now.isBefore(s.readAt().plus(REPORT_LIFETIME))) {
                return s;
            }
            retry.call(IamRetry.Mode.TRANSIENT, iam::generateCredentialReport, e -> { });
            // ReportInProgress is transient: the retry waits while IAM finishes it.
            CredentialReport report = retry.call(IamRetry.Mode.TRANSIENT, iam::credentialReport, e -> { })
                    .orElseThrow(() -> new IamException(IamException.Kind.NO_SUCH_ENTITY, "ReportNotPresent",
                            "IAM has no credential report though one was asked for"));
            Snapshot next = new Snapshot(report, clock.instant(), suggestions(report));
            snapshot = next;
            log.info("credential report of {} read: {} IAM users under {}, {} suggested links", report.generated(),
                    report.users().stream().filter(this::underPath).count(), iamPath, next.suggestions().size());
            return next;
        }
    }

    /**
     * A suggestion for each unlinked user under the path named or tagged with an address (ListUserTags for
     * those not named with one; one lookup per address). A failure stops the lookups and keeps what was found.
     */
    private Map<String, Suggestion> suggestions(CredentialReport report) {
        Map<String, Link> linked = linkedByName();
        Map<String, Optional<People.Person>> lookedUp = new HashMap<>();
        Map<String, Suggestion> found = new HashMap<>();
        for (CredentialReport.User u : report.users()) {
            if (!underPath(u) || linked.containsKey(key(u.name()))) {
                continue;
            }
            try {
                suggestion(u.name(), () -> tags(u.name()), lookedUp).ifPresent(s -> found.put(key(s.iamUserName()), s));
            } catch (IamException | NotifierException e) {
                log.warn("suggested links: stopped at IAM user {} ({}); {} found", u.name(), e.getMessage(), found.size());
                break;
            }
        }
        return Map.copyOf(found);
    }

    /** The tags of a user listed in the report; none if it was deleted since. */
    private Map<String, String> tags(String name) {
        try {
            return retry.call(IamRetry.Mode.TRANSIENT, () -> iam.tagsOf(name), e -> { });
        } catch (IamException e) {
            if (e.kind() == IamException.Kind.NO_SUCH_ENTITY) {
                return Map.of();
            }
            throw e;
        }
    }

    private Optional<Suggestion> suggestion(String name, java.util.function.Supplier<Map<String, String>> tags,
                                            Map<String, Optional<People.Person>> lookedUp) {
        String email;
        Suggestion.Source source;
        if (EMAIL.matcher(name).matches()) {
            email = name;
            source = Suggestion.Source.NAME;
        } else {
            Optional<String> tagged = tags.get().entrySet().stream().filter(t -> t.getKey().equalsIgnoreCase(EMAIL_TAG))
                    .map(Map.Entry::getValue).map(String::strip).filter(v -> EMAIL.matcher(v).matches()).findFirst();
            if (tagged.isEmpty()) {
                return Optional.empty();
            }
            email = tagged.get();
            source = Suggestion.Source.TAG;
        }
        Optional<People.Person> person = lookedUp.computeIfAbsent(email.toLowerCase(Locale.ROOT), directory::withEmail);
        // Only a person who could hold access now is suggested: not a deactivated member, a bot or a guest.
        return person.filter(p -> PersonFitness.problem(Optional.of(p), p.id()).isEmpty())
                .map(p -> new Suggestion(name, email, source, p.id()));
    }

    private Roster roster(Snapshot s) {
        Map<String, Link> linked = linkedByName();
        List<Row> rows = s.report().users().stream().filter(this::underPath)
                .sorted(Comparator.comparing(u -> key(u.name())))
                .map(u -> {
                    Optional<Link> link = Optional.ofNullable(linked.get(key(u.name())));
                    // A suggestion stands while the user is unlinked.
                    Optional<Suggestion> suggestion = link.isPresent() ? Optional.empty()
                            : Optional.ofNullable(s.suggestions().get(key(u.name())));
                    return new Row(u, link, suggestion);
                }).toList();
        return new Roster(s.report().generated(), s.readAt(), iamPath, rows);
    }

    /**
     * The links by IAM user name. The report names users, not UserIds: a link is matched by the name, and
     * anything done about a row (a link request, an MFA setup) checks the UserId again in IAM.
     */
    private Map<String, Link> linkedByName() {
        Map<String, Link> byName = new HashMap<>();
        links.all().forEach(l -> byName.put(key(l.iamUserName()), l));
        return byName;
    }

    private boolean underPath(CredentialReport.User u) {
        return u.path().startsWith(iamPath);
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
