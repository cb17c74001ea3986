package dev.awsonboard.lifecycle;

import dev.awsonboard.lifecycle.model.AccessPolicy;
import dev.awsonboard.lifecycle.model.Kind;
import dev.awsonboard.lifecycle.model.Notice;
import dev.awsonboard.lifecycle.model.Outcome;
import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.lifecycle.model.Status;
import dev.awsonboard.lifecycle.model.Step;
import dev.awsonboard.lifecycle.port.RequestStore;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Use case: what App Home shows one person. Everyone: their IAM users as IAM sees them now (through
 * {@link StatusQuery}), their open requests and setups with the next step each offers, and what they
 * may ask for about their own IAM users. Approvers also: the requests waiting for a decision, the
 * latest decisions and a few counts. Read-only; asks IAM, so it runs after Slack has been answered.
 */
public final class Overview {
    /** How far back "recent" decisions and counts of finished requests look. */
    public static final Duration RECENT = Duration.ofDays(30);
    static final int RECENT_DECISIONS = 5;
    /** How many of the requests waiting for a decision are listed (oldest first); the counts say how many in all. */
    public static final int WAITING_LISTED = 15;
    /** How many of a person's open requests are listed (oldest first); the count says how many in all. */
    public static final int OPEN_LISTED = 10;

    /** A next step a person can take on an open request, each an existing button. */
    public enum Step { ENTER_CODES, SHOW_PASSWORD, CANCEL, END_GRANT }

    /** An open request of the person's (as the one concerned or as requester) and what they can do next. */
    public record Open(Request request, List<Step> steps) {
        public Open {
            steps = List.copyOf(steps);
        }
    }

    /**
     * The person's IAM users.
     *
     * @param users       as IAM said when it was asked
     * @param notLookedUp theirs by the bot's records, IAM not asked (a redraw nobody asked for; see {@link #recorded})
     * @param problem     why IAM could not be read, when it could not
     */
    public record Identity(List<StatusQuery.UserFacts> users, List<String> notLookedUp, Optional<Notice> problem) {
        public Identity {
            users = List.copyOf(users);
            notLookedUp = List.copyOf(notLookedUp);
        }

        public Identity(List<StatusQuery.UserFacts> users, Optional<Notice> problem) {
            this(users, List.of(), problem);
        }
    }

    /** What the person may ask for themselves about one of their IAM users. */
    public record Offer(String iamUserName, List<Kind> kinds) {
        public Offer {
            kinds = List.copyOf(kinds);
        }
    }

    /**
     * @param waitingForApproval requests waiting for an approver now
     * @param awaitingMfa        setups waiting for their person's codes now
     * @param doneRecently       requests done within {@link #RECENT}
     * @param failedRecently     requests failed within {@link #RECENT}
     */
    public record Counts(long waitingForApproval, long awaitingMfa, long doneRecently, long failedRecently) {
    }

    /** Why an approver may not approve a request waiting in their queue. */
    public enum NotYours {
        /** They asked for it, or it is about them. */
        OWN,
        /** They approved it already; it waits for another approver. */
        APPROVED,
        /** Its approval rules name other approvers. */
        OTHER_APPROVERS
    }

    /** A request waiting for approval; {@code why} says why the viewer may not approve it, when they may not. */
    public record Waiting(Request request, boolean mayApprove, NotYours why) {
        /** A request the viewer may approve, or may not because it is theirs. */
        public Waiting(Request request, boolean mayApprove) {
            this(request, mayApprove, mayApprove ? null : NotYours.OWN);
        }
    }

    /**
     * @param waiting         the oldest {@link #WAITING_LISTED}
     * @param recentDecisions latest first
     * @param grants          the grants running now, the {@link #GRANTS_LISTED} that end soonest
     * @param grantCount      how many grants run in all
     */
    public record Approvals(List<Waiting> waiting, List<Request> recentDecisions, Counts counts, List<Request> grants,
                            long grantCount) {
        public Approvals {
            waiting = List.copyOf(waiting);
            recentDecisions = List.copyOf(recentDecisions);
            grants = List.copyOf(grants);
        }

        /** No grant running. */
        public Approvals(List<Waiting> waiting, List<Request> recentDecisions, Counts counts) {
            this(waiting, recentDecisions, counts, List.of(), 0);
        }
    }

    /** How many running grants an approver's Home lists (soonest end first); the count says how many in all. */
    public static final int GRANTS_LISTED = 10;

    /**
     * Everything one person's App Home shows, as of {@code now}.
     *
     * @param open      the oldest {@link #OPEN_LISTED} of their open requests
     * @param openCount how many open requests they have in all
     */
    public record Personal(String userId, Instant now, Identity identity, List<Open> open, long openCount, List<Offer> offers,
                           Optional<Approvals> approvals) {
        public Personal {
            open = List.copyOf(open);
            offers = List.copyOf(offers);
        }

        /** All their open requests listed. */
        public Personal(String userId, Instant now, Identity identity, List<Open> open, List<Offer> offers,
                        Optional<Approvals> approvals) {
            this(userId, now, identity, open, open.size(), offers, approvals);
        }
    }

    /** What a person may ask for themselves from App Home. */
    static final List<Kind> SELF_SERVICE = List.of(Kind.RESET_MFA, Kind.RESET_PASSWORD);

    private final RequestStore store;
    private final StatusQuery status;
    private final Ownership ownership;
    private final PasswordReveal passwords;
    private final AccessPolicy policy;
    private final Approvers approvers;
    private final Clock clock;

    Overview(RequestStore store, StatusQuery status, Ownership ownership, PasswordReveal passwords, AccessPolicy policy,
             Approvers approvers, Clock clock) {
        this.store = store;
        this.approvers = approvers;
        this.status = status;
        this.ownership = ownership;
        this.passwords = passwords;
        this.policy = policy;
        this.clock = clock;
    }

    /** Everything, IAM asked about the person's users now. */
    public Personal of(String userId) {
        return of(userId, identity(userId));
    }

    /** Everything, with the person's identity as already known (asked earlier, or {@link #recorded}). */
    public Personal of(String userId, Identity identity) {
        Instant now = clock.instant();
        List<String> names = ownership.iamUsersOf(userId);
        // Only this person's requests, by index, and a screenful: every change redraws a Home, and
        // reading every open request for each made a wave of onboardings quadratic.
        List<Request> theirs = store.findOpenConcerning(userId, OPEN_LISTED);
        long count = theirs.size() < OPEN_LISTED ? theirs.size() : store.countOpenConcerning(userId);
        return new Personal(userId, now, identity, theirs.stream().map(r -> open(r, userId)).toList(), count,
                offers(userId, names), approvers.isApprover(userId) ? Optional.of(approvals(userId, now)) : Optional.empty());
    }

    /** The person's IAM users as IAM says now (a few reads per user). */
    public Identity identity(String userId) {
        List<String> names = ownership.iamUsersOf(userId);
        if (names.isEmpty()) {
            return new Identity(List.of(), Optional.empty());
        }
        Outcome<StatusQuery.Report> report = status.status(userId, null, null);
        if (!(report instanceof Outcome.Done<StatusQuery.Report> done)) {
            return new Identity(List.of(), Optional.of(report.notice()));
        }
        // The report also names users of requests still waiting for approval, which IAM does not have yet.
        Set<String> theirs = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        theirs.addAll(names);
        return new Identity(done.value().users().stream().filter(u -> theirs.contains(u.iamUserName())).toList(),
                Optional.empty());
    }

    /** The person's IAM users by the bot's own records, without asking IAM. */
    public Identity recorded(String userId) {
        return new Identity(List.of(), ownership.iamUsersOf(userId), Optional.empty());
    }

    private Open open(Request r, String userId) {
        List<Step> steps = new ArrayList<>();
        if (userId.equals(r.targetUserId()) && r.status() == Status.AWAITING_MFA) {
            steps.add(Step.ENTER_CODES);
        }
        if (passwords.offered(r, userId)) {
            steps.add(Step.SHOW_PASSWORD);
        }
        if (userId.equals(r.requesterUserId()) && (r.status() == Status.SUBMITTED || r.status() == Status.REQUESTED)) {
            steps.add(Step.CANCEL);
        }
        if (r.status() == Status.GRANTED && r.step() != dev.awsonboard.lifecycle.model.Step.GRANT_ENDING) {
            steps.add(Step.END_GRANT); // the person's or the requester's own grant, which either may end
        }
        return new Open(r, steps);
    }

    /** A reset of each of their IAM users that has nothing open, where the rules let them ask for themselves. */
    private List<Offer> offers(String userId, List<String> names) {
        List<Kind> kinds = SELF_SERVICE.stream().filter(k -> policy.mayRequest(k, userId, userId)).toList();
        if (kinds.isEmpty()) {
            return List.of();
        }
        // A grant running does not keep a reset out (Grant#blockedBy), so it does not hide the offer either.
        return names.stream().filter(n -> store.findOpenByIamUserName(n).stream().allMatch(r -> r.status() == Status.GRANTED))
                .map(n -> new Offer(n, kinds)).toList();
    }

    private Approvals approvals(String userId, Instant now) {
        // Every change redraws each approver's Home: read a screenful and counts, never the whole
        // queue or month (a burst of 20,000 requests made each redraw read them all).
        List<Waiting> waiting = store.findOldest(Status.REQUESTED, WAITING_LISTED).stream()
                .map(r -> waiting(userId, r)).toList();
        List<Request> decisions = store.findLatestDecided(now.minus(RECENT), RECENT_DECISIONS);
        Map<Status, Long> current = store.countByStatus();
        Map<Status, Long> recent = store.countUpdatedSince(now.minus(RECENT));
        List<Request> grants = store.findByStatus(java.util.EnumSet.of(Status.GRANTED)).stream()
                .sorted(java.util.Comparator.comparing(r -> r.grant() == null || r.grant().endsAt() == null ? Instant.MAX : r.grant().endsAt()))
                .toList();
        return new Approvals(waiting, decisions, new Counts(current.getOrDefault(Status.REQUESTED, 0L),
                current.getOrDefault(Status.AWAITING_MFA, 0L), recent.getOrDefault(Status.DONE, 0L),
                recent.getOrDefault(Status.FAILED, 0L)), grants.stream().limit(GRANTS_LISTED).toList(), grants.size());
    }

    /** The same rules Decisions applies to the click, without waiting for Slack's user groups. */
    private Waiting waiting(String userId, Request r) {
        if (approvers.mayApproveNow(r, userId)) {
            return new Waiting(r, true, null);
        }
        NotYours why = r.approvers().contains(userId) ? NotYours.APPROVED
                : !policy.allowSelfApproval() && (userId.equals(r.requesterUserId()) || userId.equals(r.targetUserId()))
                ? NotYours.OWN : NotYours.OTHER_APPROVERS;
        return new Waiting(r, false, why);
    }
}
