package dev.awsonboard.lifecycle;

import dev.awsonboard.lifecycle.model.Holding;
import dev.awsonboard.lifecycle.model.ProvisioningSettings;
import dev.awsonboard.lifecycle.model.Reason;
import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.lifecycle.port.IamException;
import dev.awsonboard.lifecycle.port.IamGateway;
import dev.awsonboard.lifecycle.port.NotifierException;
import dev.awsonboard.lifecycle.port.People;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The reads a kind's checks make after the acknowledgement (Slack about the person, IAM about the
 * user), each turning a problem into the {@link Refusal} that ends the request with words people
 * read. Only reads: nothing here changes IAM.
 */
final class Checks {
    private static final Logger log = LoggerFactory.getLogger(Checks.class);

    private final IamGateway iam;
    private final IamRetry retry;
    private final People people;
    private final Ownership ownership;
    private final Inventory inventory;
    private final ProvisioningSettings settings;
    private final AccountFacts account;
    private final Clock clock;

    Checks(IamGateway iam, IamRetry retry, People people, Ownership ownership, ProvisioningSettings settings,
           AccountFacts account, Clock clock) {
        this.iam = iam;
        this.retry = retry;
        this.people = people;
        this.ownership = ownership;
        this.inventory = new Inventory(iam, retry);
        this.settings = settings;
        this.account = account;
        this.clock = clock;
    }

    ProvisioningSettings settings() {
        return settings;
    }

    /** An IAM read the checks need, retried while IAM is unavailable; the request is rejected if it still fails. */
    <T> T read(java.util.function.Supplier<T> call) {
        try {
            return retry.call(IamRetry.Mode.TRANSIENT, call, e -> { });
        } catch (IamException e) {
            log.warn("could not read IAM: {}", e.getMessage());
            throw Refusal.of(Reason.IAM_CHECK_FAILED, "code", e.code());
        }
    }

    /** The IAM user if it exists. */
    Optional<IamGateway.ExistingUser> findUser(String name) {
        try {
            return retry.call(IamRetry.Mode.TRANSIENT, () -> iam.findUser(name), e -> { });
        } catch (IamException e) {
            log.warn("could not look up IAM user {}: {}", name, e.getMessage());
            throw Refusal.of(Reason.IAM_CHECK_FAILED, "code", e.code());
        }
    }

    /** The IAM user the request names, which must exist. */
    IamGateway.ExistingUser existingUser(Request r) {
        return findUser(r.iamUserName()).orElseThrow(() -> Refusal.of(Reason.IAM_USER_NOT_FOUND, "user", r.iamUserName()));
    }

    /** A new user's name must be free in the account (IAM compares names ignoring case). */
    void nameFree(String name) {
        Optional<IamGateway.ExistingUser> taken = findUser(name);
        if (taken.isPresent()) {
            throw Refusal.of(Reason.USER_EXISTS, "user", taken.get().userName());
        }
    }

    /** The person must be fit to hold AWS access: a member of the workspace, active, not a bot or guest. */
    void personFit(String userId) {
        Optional<People.Person> person;
        try {
            person = people.find(userId);
        } catch (NotifierException e) {
            throw Refusal.of(Reason.PERSON_CHECK_FAILED, "code", e.code());
        }
        PersonFitness.problem(person, userId).ifPresent(n -> {
            throw Refusal.of(n.reason(), "person", userId);
        });
    }

    /**
     * The person the IAM user belongs to, null when nobody is known. The request acts for them,
     * never for whoever the command named: naming oneself for someone else's user must not bring
     * that user's password or QR to oneself.
     */
    String owner(Request r, IamGateway.ExistingUser user) {
        String owner = ownership.ownerOf(user);
        if (r.targetUserId() != null && !r.targetUserId().equals(owner)) {
            throw owner == null
                    ? Refusal.of(Reason.IAM_USER_OWNER_UNKNOWN, "user", user.userName())
                    : Refusal.of(Reason.IAM_USER_BELONGS_TO_OTHER, "user", user.userName(), "owner", owner,
                            "person", r.targetUserId());
        }
        return owner;
    }

    /** The owner, who must be known: a reset is for somebody. */
    String knownOwner(Request r, IamGateway.ExistingUser user) {
        String owner = owner(r, user);
        if (owner == null) {
            throw Refusal.of(Reason.IAM_USER_OWNER_UNKNOWN, "user", user.userName());
        }
        return owner;
    }

    /** An IAM user and the person it belongs to. */
    record Owned(IamGateway.ExistingUser user, String owner) {
    }

    /**
     * A reset's checks: the IAM user exists and belongs to a known person, fit to hold access, whom
     * the requester may ask for under {@code kind}'s rule.
     */
    Owned ownedUser(RequestKind kind, Request r) {
        IamGateway.ExistingUser user = existingUser(r);
        String owner = knownOwner(r, user);
        personFit(owner);
        kind.refusal(r.requesterUserId(), owner).ifPresent(n -> {
            throw new Refusal(n);
        });
        return new Owned(user, owner);
    }

    /** What the user holds of these types now, for the approvers to read; all types when none are given. */
    List<Holding> holdings(String user, Holding.Type... types) {
        try {
            if (types.length == 0) {
                return inventory.of(user);
            }
            List<Holding> all = new ArrayList<>();
            for (Holding.Type type : types) {
                all.addAll(inventory.of(user, type));
            }
            return all;
        } catch (IamException e) {
            log.warn("could not read what IAM user {} holds: {}", user, e.getMessage());
            throw Refusal.of(Reason.IAM_CHECK_FAILED, "code", e.code());
        }
    }

    /**
     * The request as the approvers will see it: whose user it is, the user as IAM knows it (its name as
     * IAM spells it, which the MFA device then takes; its ARN and UserId), the sign-in URL, and the plan.
     */
    Request forApprovers(Request r, IamGateway.ExistingUser user, String owner, List<Holding> plan) {
        String url = settings.signInUrl().orElseGet(() ->
                "https://" + account.label(Request.accountIdOf(user.arn())) + ".signin.aws.amazon.com/console");
        return r.withTarget(owner, clock.instant()).withUser(user.userName(), user.arn(), user.userId(), url, clock.instant())
                .withPlan(plan, clock.instant());
    }
}
