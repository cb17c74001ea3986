package dev.awsonboard.lifecycle;

import dev.awsonboard.lifecycle.model.Holding;
import dev.awsonboard.lifecycle.model.MessageRef;
import dev.awsonboard.lifecycle.port.Leases;
import dev.awsonboard.lifecycle.port.IamException;
import dev.awsonboard.lifecycle.port.NotifierException;

import dev.awsonboard.lifecycle.model.AccessPolicy;
import dev.awsonboard.lifecycle.model.IamNames;
import dev.awsonboard.lifecycle.model.Kind;
import dev.awsonboard.lifecycle.model.Notice;
import dev.awsonboard.lifecycle.model.Outcome;
import dev.awsonboard.lifecycle.model.ProvisioningSettings;
import dev.awsonboard.lifecycle.model.Reason;
import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.lifecycle.model.Status;
import dev.awsonboard.lifecycle.model.Tags;
import dev.awsonboard.lifecycle.port.IamGateway;
import dev.awsonboard.lifecycle.port.Notifier;
import dev.awsonboard.lifecycle.port.People;
import dev.awsonboard.lifecycle.port.RequestStore;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Use case: someone asks for something about an IAM user. {@link #submit} checks what it can
 * without asking anyone (names, rules, the store) and stores the request, so Slack gets its
 * answer at once; {@link #check} then asks Slack about the person and IAM about the user, and
 * either puts the request before the approvers or rejects it, telling the requester either way.
 */
public final class Intake {
    private static final Logger log = LoggerFactory.getLogger(Intake.class);
    public static final int MAX_REASON = 500;
    private static final Pattern SLACK_USER_ID = Pattern.compile("[UW][A-Z0-9]{2,20}");

    /** The parts of an onboarding request a person fills in, each with its own error in a form. */
    public enum Field { IAM_USER_NAME, TARGET_USER, GROUPS, REASON }

    /**
     * @param iamUserName  the IAM user; for a reset or an offboarding it may be null when the person is named
     * @param targetUserId the Slack user the IAM user is (or will be) for; null when only the IAM user is named
     */
    public record NewRequest(Kind kind, String requesterId, String iamUserName, String targetUserId,
                             List<String> groups, String reason) {
        public NewRequest {
            groups = groups == null ? List.of() : List.copyOf(groups);
            reason = reason == null ? "" : reason.strip();
            iamUserName = iamUserName == null || iamUserName.isBlank() ? null : iamUserName.strip();
        }
    }

    /** Where the requester hears how the checks went (e.g. the slash command's response URL). */
    public interface Reply {
        void send(Request request);
    }

    /** Thrown inside the checks: the request is rejected with this notice. */
    private static final class Rejected extends RuntimeException {
        final Notice notice;

        Rejected(Reason reason, Object... args) {
            super(reason.name(), null, false, false);
            this.notice = Notice.of(reason, args);
        }
    }

    private final RequestStore store;
    private final Leases leases;
    private final IamGateway iam;
    private final People people;
    private final Notifier notifier;
    private final AccessPolicy policy;
    private final List<String> offeredGroups;
    private final ProvisioningSettings settings;
    private final AccountFacts account;
    private final Inventory inventory;
    private final Clock clock;
    private final Supplier<String> ids;
    private final AuditLog audit;
    private final IamRetry retry;
    private final Lease lease;
    private final Executor afterAck;
    /** The bot's own Slack user id: it files offboardings of people who left ({@link Departures}); null if unknown. */
    private final String botUserId;
    /** Checks running in this process, which share the lease owner with each other. */
    private final Set<String> checking = java.util.concurrent.ConcurrentHashMap.newKeySet();

    Intake(RequestStore store, Leases leases, IamGateway iam, People people, Notifier notifier, AccessPolicy policy,
           List<String> offeredGroups, ProvisioningSettings settings, AccountFacts account, Clock clock,
           Supplier<String> ids, IamRetry retry, Lease lease, Executor afterAck, String botUserId) {
        this.store = store;
        this.leases = leases;
        this.iam = iam;
        this.people = people;
        this.notifier = notifier;
        this.policy = policy;
        this.offeredGroups = List.copyOf(offeredGroups);
        this.settings = settings;
        this.account = account;
        this.inventory = new Inventory(iam, retry);
        this.clock = clock;
        this.ids = ids;
        this.audit = new AuditLog(store, clock);
        this.retry = retry;
        this.lease = lease;
        this.afterAck = afterAck;
        this.botUserId = botUserId;
    }

    public List<String> offeredGroups() {
        return offeredGroups;
    }

    /** May this person ask for onboarding at all (before a form is opened for them). */
    public boolean mayRequest(String userId) {
        return policy.mayRequest(userId);
    }

    /** Field-by-field problems with an onboarding form; empty when it is fine. No remote call. */
    public Map<Field, Notice> problems(NewRequest cmd) {
        Map<Field, Notice> problems = new LinkedHashMap<>();
        IamNames.userNameProblem(cmd.iamUserName()).ifPresent(p -> problems.put(Field.IAM_USER_NAME, p));
        if (cmd.targetUserId() == null || !SLACK_USER_ID.matcher(cmd.targetUserId()).matches()) {
            problems.put(Field.TARGET_USER, Notice.of(Reason.TARGET_MISSING));
        }
        List<String> unknown = cmd.groups().stream().filter(g -> !offeredGroups.contains(g)).toList();
        if (!unknown.isEmpty()) {
            problems.put(Field.GROUPS, offeredGroups.isEmpty() ? Notice.of(Reason.NO_GROUPS_OFFERED)
                    : Notice.of(Reason.GROUPS_NOT_OFFERED, "groups", String.join(", ", unknown), "offered", String.join(", ", offeredGroups)));
        }
        if (cmd.reason().length() > MAX_REASON) {
            problems.put(Field.REASON, Notice.of(Reason.REASON_TOO_LONG, "max", MAX_REASON));
        }
        return problems;
    }

    /**
     * Checks what needs no remote call and stores the request; the rest of the checks run after
     * the caller has answered Slack, and their outcome reaches the requester through {@code reply}
     * (or a DM when there is none, e.g. after a restart).
     */
    public Outcome<Request> submit(NewRequest cmd, Optional<Reply> reply) {
        Kind kind = cmd.kind();
        if (!mayRequest(kind, cmd.requesterId(), cmd.targetUserId())) {
            return Outcome.refused(kind != Kind.ONBOARD && policy.whoMayRequest().get(kind) == AccessPolicy.Who.SELF
                    ? Reason.ONLY_FOR_YOURSELF : Reason.NOT_ALLOWED_TO_REQUEST, "kind", kind);
        }
        String name = cmd.iamUserName();
        if (kind == Kind.ONBOARD) {
            Optional<Notice> problem = problems(cmd).values().stream().findFirst();
            if (problem.isPresent()) {
                return Outcome.refused(problem.get());
            }
        } else {
            if (cmd.reason().length() > MAX_REASON) {
                return Outcome.refused(Reason.REASON_TOO_LONG, "max", MAX_REASON);
            }
            if (name == null) {
                if (cmd.targetUserId() == null) {
                    return Outcome.refused(Reason.TARGET_MISSING);
                }
                List<String> names = iamUsersOf(cmd.targetUserId());
                if (names.isEmpty()) {
                    return Outcome.refused(Reason.NO_IAM_USER_FOR_PERSON, "person", cmd.targetUserId());
                }
                if (names.size() > 1) {
                    return Outcome.refused(Reason.SEVERAL_IAM_USERS_FOR_PERSON, "person", cmd.targetUserId(),
                            "users", String.join(", ", names));
                }
                name = names.get(0);
            } else {
                Optional<Notice> problem = IamNames.userNameProblem(name);
                if (problem.isPresent()) {
                    return Outcome.refused(problem.get());
                }
            }
        }
        List<String> groups = kind == Kind.ONBOARD ? new ArrayList<>(new LinkedHashSet<>(cmd.groups())) : List.of();
        Request request = Request.submitted(ids.get(), kind, name, cmd.targetUserId(), cmd.requesterId(), groups,
                cmd.reason(), clock.instant());
        boolean stored;
        try {
            // The store looks for a blocking request as it inserts: no read of its own on the ack's path.
            stored = store.insertUnlessOpen(request, audit.entry(request.id(), cmd.requesterId(), "request", "kind=" + kind
                    + " iamUser=" + name + " for=" + request.targetUserId() + (groups.isEmpty() ? "" : " groups=" + groups), "ok"),
                    blocking(kind));
        } catch (RequestStore.PendingRequestExists e) {
            stored = false; // another submission for the same user got in first, at the same moment
        }
        if (!stored) {
            // Which request is in the way, read now that there is one (it may have ended meanwhile).
            return Outcome.refused(busy(kind, name).orElse(Notice.of(Reason.OPEN_REQUEST_EXISTS, "id", "", "user", name)));
        }
        log.info("request {} ({} of IAM user {}) submitted by {}", request.id(), kind, name, cmd.requesterId());
        String id = request.id();
        afterAck.execute(() -> check(id, reply));
        return Outcome.done(request, Notice.of(Reason.SUBMITTED, "id", id, "kind", kind, "user", name));
    }

    /** The rules for people, and the bot's own offboardings of people who left, which approvers still decide. */
    private boolean mayRequest(Kind kind, String requester, String target) {
        return kind == Kind.OFFBOARD && requester != null && requester.equals(botUserId)
                || policy.mayRequest(kind, requester, target);
    }

    /** Offboarding replaces a setup still waiting for the person; anything else waits for it. */
    private static final Set<Status> BLOCKING_OFFBOARD = Status.PENDING;
    private static final Set<Status> BLOCKING_OTHERS = blockingOthers();

    private static Set<Status> blockingOthers() {
        Set<Status> s = EnumSet.copyOf(Status.PENDING);
        s.addAll(Status.AWAITING_PERSON);
        return s;
    }

    /** The statuses of an open request for the same IAM user that keep a new request of {@code kind} out. */
    private static Set<Status> blocking(Kind kind) {
        return kind == Kind.OFFBOARD ? BLOCKING_OFFBOARD : BLOCKING_OTHERS;
    }

    /** Why a new request for this IAM user cannot be taken now, if it cannot: the open request in its way. */
    private Optional<Notice> busy(Kind kind, String name) {
        for (Request open : store.findOpenByIamUserName(name)) {
            if (blocking(kind).contains(open.status())) {
                Reason why = Status.PENDING.contains(open.status()) ? Reason.OPEN_REQUEST_EXISTS : Reason.SETUP_ALREADY_OPEN;
                return Optional.of(Notice.of(why, "id", open.id(), "user", open.iamUserName()));
            }
        }
        return Optional.empty();
    }

    /** The statuses that give a person an IAM user or take it away; their waiting or refused requests can be many. */
    private static final Set<Status> HOLDING = holding();

    private static Set<Status> holding() {
        Set<Status> s = EnumSet.of(Status.DONE);
        s.addAll(Status.AWAITING_PERSON);
        return s;
    }

    /** The IAM users this bot made or reset for a person and has not offboarded since. */
    List<String> iamUsersOf(String slackUserId) {
        Set<String> names = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        for (Request r : store.findByTarget(slackUserId, HOLDING)) { // oldest first: an offboarding undoes what came before
            if (r.kind() == Kind.OFFBOARD && r.status() == Status.DONE) {
                names.remove(r.iamUserName());
            } else if (r.kind() != Kind.OFFBOARD) { // done, or its person is setting it up (HOLDING)
                names.add(r.iamUserName());
            }
        }
        return List.copyOf(names);
    }

    /**
     * The checks that ask Slack and IAM. Runs once per request across replicas (the request's
     * lease); a restart picks up requests left SUBMITTED ({@link Sweeper}).
     */
    public void check(String requestId, Optional<Reply> reply) {
        Optional<Request> found = store.find(requestId);
        if (found.isEmpty() || found.get().status() != Status.SUBMITTED) {
            return;
        }
        if (!checking.add(requestId)) {
            return;
        }
        try {
            if (leases.claim(checkLease(requestId), lease.owner(), clock.instant(), clock.instant().plus(lease.ttl()))) {
                checkClaimed(requestId, reply);
            }
        } finally {
            checking.remove(requestId);
        }
    }

    private void checkClaimed(String requestId, Optional<Reply> reply) {
        try (var ignored = org.slf4j.MDC.putCloseable("request_id", requestId)) {
            Request r = store.find(requestId).orElseThrow();
            if (r.status() != Status.SUBMITTED) {
                return;
            }
            Request outcome;
            try {
                outcome = putBeforeApprovers(r, checked(r));
            } catch (Rejected e) {
                outcome = reject(r, e.notice);
            }
            if (outcome != null) {
                tell(outcome, reply);
            }
        } finally {
            leases.release(checkLease(requestId), lease.owner());
        }
    }

    /**
     * The checks hold a lease of their own, not the request's: they end by telling the requester,
     * after the request is already before the approvers, and an approval taken meanwhile by
     * another replica found the request's lease held and left the run to the next sweep.
     */
    private static String checkLease(String requestId) {
        return "check:" + requestId;
    }

    private Request checked(Request r) {
        if (r.kind() == Kind.ONBOARD) {
            checkPerson(r.targetUserId());
            Optional<IamGateway.ExistingUser> taken = findUser(r.iamUserName());
            if (taken.isPresent()) {
                throw new Rejected(Reason.USER_EXISTS, "user", taken.get().userName());
            }
            return r;
        }
        IamGateway.ExistingUser user = findUser(r.iamUserName())
                .orElseThrow(() -> new Rejected(Reason.IAM_USER_NOT_FOUND, "user", r.iamUserName()));
        if (r.kind() == Kind.OFFBOARD && !settings.offboardAnyUser() && !user.tags().containsKey(Tags.REQUEST_ID)) {
            throw new Rejected(Reason.IAM_USER_NOT_OURS, "user", user.userName());
        }
        // The request acts for the person the IAM user belongs to, never for whoever the command named:
        // naming oneself for someone else's user must not bring that user's password or QR to oneself.
        String owner = ownerOf(user);
        if (r.targetUserId() != null && !r.targetUserId().equals(owner)) {
            throw owner == null
                    ? new Rejected(Reason.IAM_USER_OWNER_UNKNOWN, "user", user.userName())
                    : new Rejected(Reason.IAM_USER_BELONGS_TO_OTHER, "user", user.userName(), "owner", owner,
                            "person", r.targetUserId());
        }
        if (r.kind() != Kind.OFFBOARD) {
            if (owner == null) {
                throw new Rejected(Reason.IAM_USER_OWNER_UNKNOWN, "user", user.userName());
            }
            checkPerson(owner);
        }
        // Nobody's user (offboarding only): "for yourself" cannot hold, so only approvers may ask under that rule.
        if (!mayRequest(r.kind(), r.requesterUserId(), owner == null ? AccessPolicy.NOBODY : owner)) {
            throw new Rejected(Reason.ONLY_FOR_YOURSELF, "kind", r.kind());
        }
        String target = owner;
        String url = settings.signInUrl().orElseGet(() ->
                "https://" + account.label(Request.accountIdOf(user.arn())) + ".signin.aws.amazon.com/console");
        return r.withTarget(target, clock.instant()).withUser(user.arn(), url, clock.instant())
                .withPlan(plan(r.kind(), user.userName()), clock.instant());
    }

    /** Who the IAM user belongs to: our tag on it, else our own records. */
    private String ownerOf(IamGateway.ExistingUser user) {
        String tagged = user.tags().get(Tags.SLACK_USER);
        if (tagged != null && SLACK_USER_ID.matcher(tagged).matches()) {
            return tagged;
        }
        return store.findByIamUserName(user.userName()).stream()
                .filter(o -> o.kind() == Kind.ONBOARD && o.targetUserId() != null)
                .reduce((a, b) -> b).map(Request::targetUserId).orElse(null);
    }

    private List<Holding> plan(Kind kind, String user) {
        try {
            return switch (kind) {
                case OFFBOARD -> inventory.of(user);
                case RESET_MFA -> {
                    List<Holding> devices = new ArrayList<>(inventory.of(user, Holding.Type.VIRTUAL_MFA_DEVICE));
                    devices.addAll(inventory.of(user, Holding.Type.OTHER_MFA_DEVICE));
                    yield devices;
                }
                default -> List.of();
            };
        } catch (IamException e) {
            log.warn("could not read what IAM user {} holds: {}", user, e.getMessage());
            throw new Rejected(Reason.IAM_CHECK_FAILED, "code", e.code());
        }
    }

    private Optional<IamGateway.ExistingUser> findUser(String name) {
        try {
            return retry.call(IamRetry.Mode.TRANSIENT, () -> iam.findUser(name), e -> { });
        } catch (IamException e) {
            log.warn("could not look up IAM user {}: {}", name, e.getMessage());
            throw new Rejected(Reason.IAM_CHECK_FAILED, "code", e.code());
        }
    }

    private void checkPerson(String userId) {
        Optional<People.Person> person;
        try {
            person = people.find(userId);
        } catch (NotifierException e) {
            throw new Rejected(Reason.PERSON_CHECK_FAILED, "code", e.code());
        }
        Problem.of(person, userId).ifPresent(n -> {
            throw new Rejected(n.reason(), "person", userId);
        });
    }

    /** What makes a Slack account unfit to hold AWS access, if anything. */
    static final class Problem {
        private Problem() {
        }

        static Optional<Notice> of(Optional<People.Person> person, String userId) {
            if (person.isEmpty()) {
                return Optional.of(Notice.of(Reason.PERSON_NOT_FOUND, "person", userId));
            }
            People.Person p = person.get();
            if (p.deactivated()) {
                return Optional.of(Notice.of(Reason.PERSON_DEACTIVATED, "person", userId));
            }
            if (p.bot()) {
                return Optional.of(Notice.of(Reason.PERSON_IS_BOT, "person", userId));
            }
            if (p.guest()) {
                return Optional.of(Notice.of(Reason.PERSON_IS_GUEST, "person", userId));
            }
            return Optional.empty();
        }
    }

    /** Checked: waiting for approval, and the approvers are asked. */
    private Request putBeforeApprovers(Request submitted, Request checked) {
        Optional<Request> stored = store.replace(submitted, checked.withStatus(Status.REQUESTED, clock.instant()));
        if (stored.isEmpty()) {
            return null; // cancelled meanwhile: the canceller told people
        }
        Request r = stored.get();
        audit.record(r.id(), AuditLog.BOT, "checked", "for=" + r.targetUserId()
                + (r.plan().isEmpty() ? "" : " holds=" + r.plan().size()), "ok");
        return postApproval(r);
    }

    /** Asks the approvers; a request nobody can be asked about is rejected. Also used to repair after a crash. */
    Request postApproval(Request r) {
        try {
            List<MessageRef> refs = notifier.postApprovalRequest(r);
            return store.replace(r, r.withApprovalMessages(refs, clock.instant())).orElse(r);
        } catch (NotifierException e) {
            audit.record(r.id(), AuditLog.BOT, "slack:post-approval-request", "", e.code());
            return reject(r, Notice.of(Reason.APPROVERS_UNREACHABLE, "code", e.code()));
        }
    }

    private Request reject(Request r, Notice why) {
        Optional<Request> rejected = store.replace(r, r.withEnding(Status.REJECTED, why, clock.instant()));
        if (rejected.isEmpty()) {
            return null;
        }
        audit.record(r.id(), AuditLog.BOT, "reject", why.reason() + " " + why.args().values(), "rejected");
        log.info("request {} ({} of IAM user {}) rejected: {}", r.id(), r.kind(), r.iamUserName(), why.reason());
        return rejected.get();
    }

    private void tell(Request r, Optional<Reply> reply) {
        if (reply.isPresent()) {
            try {
                reply.get().send(r);
                return;
            } catch (RuntimeException e) {
                log.info("request {}: the reply to the requester failed ({}); sending a DM", r.id(), e.getMessage());
            }
        }
        try {
            notifier.notifyRequester(r);
        } catch (RuntimeException e) {
            audit.record(r.id(), AuditLog.BOT, "slack:notify-requester", "to=" + r.requesterUserId(), "failed");
            log.warn("request {}: could not tell the requester how the checks went: {}", r.id(), e.getMessage());
        }
    }
}
