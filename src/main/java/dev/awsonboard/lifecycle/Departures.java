package dev.awsonboard.lifecycle;

import dev.awsonboard.lifecycle.model.Kind;
import dev.awsonboard.lifecycle.model.Notice;
import dev.awsonboard.lifecycle.model.Reason;
import dev.awsonboard.lifecycle.model.Status;
import dev.awsonboard.lifecycle.model.Step;
import dev.awsonboard.lifecycle.model.Outcome;
import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.lifecycle.port.RequestStore;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;

/**
 * Use case: Slack says a person was deactivated (they left the workspace). The bot itself asks the
 * approvers to offboard each IAM user it made or reset for them; nothing is removed until an approver
 * approves. A repeated event files nothing new: the store takes one pending request per IAM user, and
 * an offboarded user is no longer theirs. Their running grants end at once: temporary access of someone
 * who left is taken away without waiting for anyone.
 */
public final class Departures {
    private static final Logger log = LoggerFactory.getLogger(Departures.class);

    private final Intake intake;
    private final Ownership ownership;
    private final boolean enabled;
    private final String botUserId;
    private final AuditLog audit;
    private final RequestStore store;
    private final GrantEnds grantEnds;

    /**
     * @param enabled   {@code offboardWhenDeactivated}
     * @param botUserId the bot's own Slack user id, the requester of these offboardings; null: none are filed
     */
    Departures(Intake intake, Ownership ownership, RequestStore store, Clock clock, boolean enabled, String botUserId,
               GrantEnds grantEnds) {
        this.intake = intake;
        this.store = store;
        this.grantEnds = grantEnds;
        this.ownership = ownership;
        this.enabled = enabled;
        this.botUserId = botUserId;
        this.audit = new AuditLog(store, clock);
    }

    /**
     * @param reason the request's reason as the approvers read it (the adapter words it)
     * @return one outcome per IAM user of the person: filed, or why not (e.g. one is already open)
     */
    public List<Outcome<Request>> personLeft(String personId, String reason) {
        endGrants(personId);
        if (!enabled || botUserId == null) {
            return List.of();
        }
        List<Outcome<Request>> outcomes = new ArrayList<>();
        for (String name : ownership.iamUsersOf(personId)) {
            Outcome<Request> outcome = intake.submit(new Intake.NewRequest(Kind.OFFBOARD, botUserId, name, personId,
                    List.of(), reason), Optional.empty());
            if (outcome instanceof Outcome.Done<Request> done) {
                audit.record(done.value().id(), AuditLog.BOT, "person-left", "person=" + personId + " iamUser=" + name, "ok");
                log.info("request {}: {} was deactivated in Slack; offboarding of IAM user {} put before the approvers",
                        done.value().id(), personId, name);
            } else {
                log.info("{} was deactivated in Slack; no new offboarding of IAM user {}: {}", personId, name,
                        outcome.notice().reason());
            }
            outcomes.add(outcome);
        }
        return outcomes;
    }

    private void endGrants(String personId) {
        for (Request r : store.findByTarget(personId, EnumSet.of(Status.GRANTED))) {
            Optional<Request> ending = r.step() == Step.GRANT_ENDING ? Optional.of(r)
                    : grantEnds.endEarly(r, Notice.of(Reason.PERSON_LEFT, "person", personId));
            if (ending.isPresent()) {
                audit.record(r.id(), AuditLog.BOT, "person-left", "person=" + personId + " group=" + Grant.group(r), "ok");
                grantEnds.end(r.id()); // recorded as ending: if another worker holds it now, the next sweep finishes it
            }
        }
    }
}
