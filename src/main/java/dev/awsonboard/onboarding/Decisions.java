package dev.awsonboard.onboarding;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Executor;

/** Use case: an approver approves or denies a request. Approval hands the request to provisioning. */
public final class Decisions {
    private static final Logger log = LoggerFactory.getLogger(Decisions.class);

    private final RequestStore store;
    private final Notifier notifier;
    private final AccessPolicy policy;
    private final Clock clock;
    private final AuditLog audit;
    private final Executor provisioning;
    private final Provisioner provisioner;

    public Decisions(RequestStore store, Notifier notifier, AccessPolicy policy, Clock clock,
                     Provisioner provisioner, Executor provisioning) {
        this.store = store;
        this.notifier = notifier;
        this.policy = policy;
        this.clock = clock;
        this.audit = new AuditLog(store, clock);
        this.provisioner = provisioner;
        this.provisioning = provisioning;
    }

    public Outcome<Request> approve(String requestId, String actor) {
        return decide(requestId, actor, Status.APPROVED);
    }

    public Outcome<Request> deny(String requestId, String actor) {
        return decide(requestId, actor, Status.DENIED);
    }

    private Outcome<Request> decide(String requestId, String actor, Status decision) {
        String verb = decision == Status.APPROVED ? "approve" : "deny";
        Optional<Request> found = store.find(requestId);
        if (found.isEmpty()) {
            return Outcome.refused("I don't know that request any more.");
        }
        Request request = found.get();
        if (!policy.isApprover(actor)) {
            audit.record(requestId, actor, verb, "not an approver", "refused");
            return Outcome.refused("Only approvers can " + verb + " requests.");
        }
        if (decision == Status.APPROVED && actor.equals(request.requesterUserId()) && !policy.allowSelfApproval()) {
            audit.record(requestId, actor, verb, "own request", "refused");
            return Outcome.refused("You made this request, so another approver has to approve it.");
        }
        if (request.status() != Status.REQUESTED) {
            return Outcome.refused(alreadyDecided(request));
        }
        Optional<Request> stored = store.replace(request,
                request.withStatus(decision, clock.instant()).withApprover(actor, clock.instant()));
        if (stored.isEmpty()) {
            // Someone else decided between our read and our write: theirs stands.
            return Outcome.refused(store.find(requestId).map(Decisions::alreadyDecided).orElse("This request changed; try again."));
        }
        request = stored.get();
        audit.record(requestId, actor, verb, "iamUser=" + request.iamUserName(), "ok");
        log.info("request {} {} by {}", requestId, decision, actor);
        // Telling people happens after the ack, in the same task as provisioning so the approval
        // message is never updated out of order.
        Request decided = request;
        if (decision == Status.APPROVED) {
            provisioning.execute(() -> {
                tell(decided);
                provisioner.run(requestId);
            });
            return Outcome.done(request, "Approved. Creating IAM user " + request.iamUserName() + " now.");
        }
        provisioning.execute(() -> tell(decided));
        return Outcome.done(request, "Denied. The requester is being told.");
    }

    private void tell(Request request) {
        try {
            notifier.refreshApprovalRequest(request);
            notifier.notifyRequester(request);
        } catch (NotifierException e) {
            // Recorded, not dropped: the decision stands and the trail says who was not told.
            audit.record(request.id(), AuditLog.BOT, "slack:notify-decision", "", e.code());
            log.warn("request {}: could not update Slack after the decision: {}", request.id(), e.code());
        }
    }

    private static String alreadyDecided(Request r) {
        String by = r.approverUserId() == null ? "" : " by <@" + r.approverUserId() + ">";
        return "This request is already " + r.status().label() + by + ".";
    }
}
