package dev.awsonboard.lifecycle;

import dev.awsonboard.lifecycle.model.AccessPolicy;
import dev.awsonboard.lifecycle.model.IamNames;
import dev.awsonboard.lifecycle.model.Notice;
import dev.awsonboard.lifecycle.model.Outcome;
import dev.awsonboard.lifecycle.model.Reason;
import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.lifecycle.model.Status;
import dev.awsonboard.lifecycle.port.IamException;
import dev.awsonboard.lifecycle.port.IamGateway;
import dev.awsonboard.lifecycle.port.RequestStore;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Use case: what the bot knows and what IAM says about a person's IAM users: groups, MFA,
 * console password, last sign-in, and the requests still open. Approvers may look at anyone;
 * others at themselves only. Read-only; asks IAM, so it runs after Slack has been answered.
 */
public final class StatusQuery {
    private final RequestStore store;
    private final IamGateway iam;
    private final AccessPolicy policy;
    private final Ownership ownership;
    private final IamRetry retry;

    StatusQuery(RequestStore store, IamGateway iam, AccessPolicy policy, Ownership ownership, IamRetry retry) {
        this.store = store;
        this.iam = iam;
        this.policy = policy;
        this.ownership = ownership;
        this.retry = retry;
    }

    /** One IAM user as IAM sees it now; {@code exists} false when IAM no longer has it. */
    public record UserFacts(String iamUserName, boolean exists, String arn, List<String> groups,
                            List<IamGateway.MfaDevice> mfaDevices, boolean consolePassword,
                            Optional<Instant> passwordLastUsed, Instant created) {
    }

    /** @param person the Slack user asked about, when known */
    public record Report(String person, List<UserFacts> users, List<Request> open) {
    }

    /**
     * @param iamUserName  the IAM user asked about, or null
     * @param targetUserId the person asked about, or null; neither: the caller themselves
     */
    public Outcome<Report> status(String actor, String iamUserName, String targetUserId) {
        String person = iamUserName == null && targetUserId == null ? actor : targetUserId;
        if (iamUserName != null) {
            Optional<Notice> problem = IamNames.userNameProblem(iamUserName);
            if (problem.isPresent()) {
                return Outcome.refused(problem.get());
            }
        }
        // Decided from our own records before IAM is asked anything.
        boolean allowed = policy.isApprover(actor) || (iamUserName == null ? actor.equals(person)
                : ownership.holds(actor, iamUserName));
        if (!allowed) {
            return Outcome.refused(Reason.STATUS_NOT_ALLOWED);
        }
        Set<String> names = new LinkedHashSet<>();
        List<Request> open = new ArrayList<>();
        if (iamUserName != null) {
            names.add(iamUserName);
            open.addAll(store.findOpenByIamUserName(iamUserName));
        } else {
            names.addAll(ownership.iamUsersOf(person));
            store.findByTarget(person, Status.OPEN).forEach(r -> { // by index: not the person's whole history
                open.add(r);
                names.add(r.iamUserName());
            });
        }
        List<UserFacts> users = new ArrayList<>();
        try {
            for (String name : names) {
                users.add(facts(name));
            }
        } catch (IamException e) {
            return Outcome.refused(Reason.IAM_CHECK_FAILED, "code", e.code());
        }
        Map<String, Request> unique = new LinkedHashMap<>();
        open.forEach(r -> unique.put(r.id(), r));
        return Outcome.done(new Report(person, users, List.copyOf(unique.values())), Notice.of(Reason.STATUS));
    }

    private UserFacts facts(String name) {
        Optional<IamGateway.ExistingUser> user = read(() -> iam.findUser(name));
        if (user.isEmpty()) {
            return new UserFacts(name, false, null, List.of(), List.of(), false, Optional.empty(), null);
        }
        IamGateway.ExistingUser u = user.get();
        return new UserFacts(u.userName(), true, u.arn(), read(() -> iam.groupsOf(name)), read(() -> iam.mfaDevices(name)),
                read(() -> iam.hasLoginProfile(name)), u.passwordLastUsed(), u.created());
    }

    private <T> T read(java.util.function.Supplier<T> call) {
        return retry.call(IamRetry.Mode.TRANSIENT, call, e -> { });
    }
}
