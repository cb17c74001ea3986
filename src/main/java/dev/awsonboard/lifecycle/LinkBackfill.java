package dev.awsonboard.lifecycle;

import dev.awsonboard.lifecycle.model.Kind;
import dev.awsonboard.lifecycle.model.Link;
import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.lifecycle.model.Status;
import dev.awsonboard.lifecycle.model.Tags;
import dev.awsonboard.lifecycle.port.IamException;
import dev.awsonboard.lifecycle.port.IamGateway;
import dev.awsonboard.lifecycle.port.Leases;
import dev.awsonboard.lifecycle.port.Links;
import dev.awsonboard.lifecycle.port.OneTimeSteps;
import dev.awsonboard.lifecycle.port.RequestStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Once per database, after the upgrade that brought links: the IAM users the bot made or reset for
 * people before links existed get theirs, from the request history (the replay ownership used to be)
 * and what IAM says of each user now. A user that still carries the request-id tag of the
 * onboarding that made it is ONBOARDED for that person; one that carries the bot's slack-user tag is
 * ADOPTED; anything else is left unlinked (an approver can link it). Idempotent; one replica does it
 * (a lease), and a failure leaves it to the next sweep.
 */
final class LinkBackfill {
    private static final Logger log = LoggerFactory.getLogger(LinkBackfill.class);
    static final String STEP = "links-backfill";
    /** The statuses that gave a person an IAM user or took it away. */
    private static final Set<Status> HOLDING = EnumSet.of(Status.DONE, Status.AWAITING_MFA, Status.AWAITING_PASSWORD);

    private final RequestStore store;
    private final Links links;
    private final IamGateway iam;
    private final IamRetry retry;
    private final Ownership ownership;
    private final OneTimeSteps steps;
    private final Leases leases;
    private final Lease lease;
    private final Clock clock;
    private volatile boolean done;

    LinkBackfill(RequestStore store, Links links, IamGateway iam, IamRetry retry, Ownership ownership, OneTimeSteps steps,
                 Leases leases, Lease lease, Clock clock) {
        this.store = store;
        this.links = links;
        this.iam = iam;
        this.retry = retry;
        this.ownership = ownership;
        this.steps = steps;
        this.leases = leases;
        this.lease = lease;
        this.clock = clock;
    }

    /** Runs the backfill unless it is done; how many links it made. */
    int runIfNeeded() {
        if (done || (done = steps.isDone(STEP))) {
            return 0;
        }
        String key = "one-time:" + STEP;
        if (!leases.claim(key, lease.owner(), clock.instant(), clock.instant().plus(lease.ttl()))) {
            return 0; // another replica is at it
        }
        try {
            int made = backfill();
            steps.markDone(STEP, clock.instant());
            done = true;
            log.info("links: {} made from the request history", made);
            return made;
        } catch (IamException e) {
            log.warn("links: the backfill stopped ({}); the next sweep goes on", e.code());
            return 0;
        } finally {
            leases.release(key, lease.owner());
        }
    }

    private int backfill() {
        // name (ignoring case) -> the onboarding or reset that last gave it to someone; an offboarding takes it away
        Map<String, Request> held = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (Request r : store.findByStatus(HOLDING)) { // oldest first
            if (r.targetUserId() == null) {
                continue;
            }
            if (r.kind() == Kind.OFFBOARD) {
                if (r.status() == Status.DONE) {
                    held.remove(r.iamUserName());
                }
            } else {
                held.put(r.iamUserName(), r);
            }
        }
        int made = 0;
        for (Request r : held.values()) {
            if (links.byName(r.iamUserName()).isPresent()) {
                continue;
            }
            Optional<IamGateway.ExistingUser> user = retry.call(IamRetry.Mode.TRANSIENT, () -> iam.findUser(r.iamUserName()), e -> { });
            if (user.isEmpty()) {
                continue;
            }
            IamGateway.ExistingUser u = user.get();
            Optional<Request> madeIt = store.find(Optional.ofNullable(u.tags().get(Tags.REQUEST_ID)).orElse(""))
                    .filter(o -> o.kind() == Kind.ONBOARD && r.targetUserId().equals(o.targetUserId()));
            if (madeIt.isPresent()) {
                Request o = madeIt.get();
                ownership.put(u, o.targetUserId(), Link.How.ONBOARDED,
                        o.approverUserId() == null ? AuditLog.BOT : o.approverUserId(), o.updatedAt());
                made++;
            } else if (ownership.linkOf(u).isPresent()) {
                made++;
            }
        }
        return made;
    }
}
