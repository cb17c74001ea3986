package dev.awsonboard.lifecycle;

import dev.awsonboard.lifecycle.model.AccessPolicy;
import dev.awsonboard.lifecycle.model.GrantTerm;
import dev.awsonboard.lifecycle.model.IamNames;
import dev.awsonboard.lifecycle.model.Kind;
import dev.awsonboard.lifecycle.model.Notice;
import dev.awsonboard.lifecycle.model.Outcome;
import dev.awsonboard.lifecycle.model.Reason;
import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.lifecycle.model.Status;
import dev.awsonboard.lifecycle.port.RequestStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Use case, the acknowledgement's half: someone asks for something about an IAM user. {@link #submit}
 * checks what it can without asking anyone (the kind's rules for who may ask and what was typed,
 * the store for a request in the way) and stores the request, so Slack gets its answer at once;
 * {@link Screening} then asks Slack and IAM, after the answer.
 */
public final class Intake {
    private static final Logger log = LoggerFactory.getLogger(Intake.class);
    public static final int MAX_REASON = 500;

    /** The parts of an onboarding request a person fills in, each with its own error in a form. */
    public enum Field { IAM_USER_NAME, TARGET_USER, GROUPS, REASON }

    /**
     * @param iamUserName  the IAM user; for a reset or an offboarding it may be null when the person is named
     * @param targetUserId the Slack user the IAM user is (or will be) for; null when only the IAM user is named
     * @param grantFor     how long a grant lasts; null for other kinds
     */
    public record NewRequest(Kind kind, String requesterId, String iamUserName, String targetUserId,
                             List<String> groups, String reason, java.time.Duration grantFor) {
        public NewRequest {
            groups = groups == null ? List.of() : List.copyOf(groups);
            reason = reason == null ? "" : reason.strip();
            iamUserName = iamUserName == null || iamUserName.isBlank() ? null : iamUserName.strip();
        }

        public NewRequest(Kind kind, String requesterId, String iamUserName, String targetUserId, List<String> groups, String reason) {
            this(kind, requesterId, iamUserName, targetUserId, groups, reason, null);
        }
    }

    /** What a request is about, as its kind read it from what was typed. */
    record Subject(String iamUserName, List<String> groups) {
        Subject {
            groups = List.copyOf(groups);
        }

        /** An IAM user named as such (link, unlink): the name is required and must be one IAM accepts. */
        static Subject namedUser(NewRequest cmd) {
            if (cmd.reason().length() > MAX_REASON) {
                throw Refusal.of(Reason.REASON_TOO_LONG, "max", MAX_REASON);
            }
            if (cmd.iamUserName() == null) {
                throw Refusal.of(Reason.USER_NAME_MISSING);
            }
            IamNames.userNameProblem(cmd.iamUserName()).ifPresent(problem -> {
                throw new Refusal(problem);
            });
            return new Subject(cmd.iamUserName(), List.of());
        }

        /**
         * An IAM user that exists (resets, offboarding): named, or the one IAM user the bot knows of the
         * named person. No remote call: IAM is read in the checks.
         */
        static Subject existingUser(NewRequest cmd, Ownership ownership) {
            if (cmd.reason().length() > MAX_REASON) {
                throw Refusal.of(Reason.REASON_TOO_LONG, "max", MAX_REASON);
            }
            String name = cmd.iamUserName();
            if (name != null) {
                IamNames.userNameProblem(name).ifPresent(problem -> {
                    throw new Refusal(problem);
                });
                return new Subject(name, List.of());
            }
            if (cmd.targetUserId() == null) {
                throw Refusal.of(Reason.TARGET_MISSING);
            }
            List<String> names = ownership.iamUsersOf(cmd.targetUserId());
            if (names.isEmpty()) {
                throw Refusal.of(Reason.NO_IAM_USER_FOR_PERSON, "person", cmd.targetUserId());
            }
            if (names.size() > 1) {
                throw Refusal.of(Reason.SEVERAL_IAM_USERS_FOR_PERSON, "person", cmd.targetUserId(),
                        "users", String.join(", ", names));
            }
            return new Subject(names.get(0), List.of());
        }
    }

    /** Where the requester hears how the checks went (e.g. the slash command's response URL). */
    public interface Reply {
        void send(Request request);
    }

    /** Every open status: a new request waits until the IAM user has nothing open, a setup waiting for its person included. */
    static final Set<Status> BLOCKED_BY_ANY_OPEN = blockedByAnyOpen();

    private static Set<Status> blockedByAnyOpen() {
        Set<Status> s = EnumSet.copyOf(Status.PENDING);
        s.addAll(Status.AWAITING_PERSON);
        return s;
    }

    private final RequestStore store;
    private final Kinds kinds;
    private final Onboarding onboarding;
    private final AccessPolicy policy;
    private final Screening screening;
    private final Clock clock;
    private final Supplier<String> ids;
    private final AuditLog audit;
    private final Executor afterAck;

    Intake(RequestStore store, Kinds kinds, AccessPolicy policy, Screening screening, Clock clock, Supplier<String> ids,
           Executor afterAck) {
        this.store = store;
        this.kinds = kinds;
        this.onboarding = (Onboarding) kinds.of(Kind.ONBOARD);
        this.policy = policy;
        this.screening = screening;
        this.clock = clock;
        this.ids = ids;
        this.audit = new AuditLog(store, clock);
        this.afterAck = afterAck;
    }

    public List<String> offeredGroups() {
        return onboarding.offeredGroups();
    }

    /** May this person ask for onboarding at all (before a form is opened for them). */
    public boolean mayRequest(String userId) {
        return policy.mayRequest(userId);
    }

    /** Field-by-field problems with an onboarding form; empty when it is fine. No remote call. */
    public Map<Field, Notice> problems(NewRequest cmd) {
        return onboarding.problems(cmd);
    }

    /**
     * Checks what needs no remote call and stores the request; the rest of the checks run after
     * the caller has answered Slack, and their outcome reaches the requester through {@code reply}
     * (or a DM when there is none, e.g. after a restart).
     */
    public Outcome<Request> submit(NewRequest cmd, Optional<Reply> reply) {
        RequestKind kind = kinds.of(cmd.kind());
        Subject subject;
        try {
            kind.refusal(cmd.requesterId(), cmd.targetUserId()).ifPresent(n -> {
                throw new Refusal(n);
            });
            subject = kind.subject(cmd);
        } catch (Refusal refused) {
            return Outcome.refused(refused.notice);
        }
        String name = subject.iamUserName();
        Request request = Request.submitted(ids.get(), cmd.kind(), name, cmd.targetUserId(), cmd.requesterId(),
                subject.groups(), cmd.reason(), clock.instant());
        if (cmd.grantFor() != null) {
            request = request.withGrant(new GrantTerm(cmd.grantFor(), null), request.createdAt());
        }
        boolean stored;
        try {
            // The store looks for a blocking request as it inserts: no read of its own on the ack's path.
            stored = store.insertUnlessOpen(request, audit.entry(request.id(), cmd.requesterId(), "request", "kind=" + cmd.kind()
                    + " iamUser=" + name + " for=" + request.targetUserId()
                    + (subject.groups().isEmpty() ? "" : " groups=" + subject.groups())
                    + (cmd.grantFor() == null ? "" : " for=" + cmd.grantFor()), "ok"), kind.blockedBy());
        } catch (RequestStore.PendingRequestExists e) {
            stored = false; // another submission for the same user got in first, at the same moment
        }
        if (!stored) {
            // Which request is in the way, read now that there is one (it may have ended meanwhile).
            return Outcome.refused(busy(kind, name).orElse(Notice.of(Reason.OPEN_REQUEST_EXISTS, "id", "", "user", name)));
        }
        log.info("request {} ({} of IAM user {}) submitted by {}", request.id(), cmd.kind(), name, cmd.requesterId());
        String id = request.id();
        afterAck.execute(() -> screening.check(id, reply));
        return Outcome.done(request, Notice.of(Reason.SUBMITTED, "id", id, "kind", cmd.kind(), "user", name));
    }

    /** Why a new request for this IAM user cannot be taken now, if it cannot: the open request in its way. */
    private Optional<Notice> busy(RequestKind kind, String name) {
        for (Request open : store.findOpenByIamUserName(name)) {
            if (kind.blockedBy().contains(open.status())) {
                Reason why = Status.PENDING.contains(open.status()) ? Reason.OPEN_REQUEST_EXISTS : Reason.SETUP_ALREADY_OPEN;
                return Optional.of(Notice.of(why, "id", open.id(), "user", open.iamUserName()));
            }
        }
        return Optional.empty();
    }
}
