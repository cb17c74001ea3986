package dev.awsonboard.lifecycle;

import dev.awsonboard.lifecycle.model.Kind;
import dev.awsonboard.lifecycle.model.Outcome;
import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.lifecycle.port.Outbox;
import dev.awsonboard.lifecycle.port.RequestStore;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * Use case: Slack says a person was deactivated (they left the workspace). The bot itself asks the
 * approvers to offboard each IAM user it made or reset for them; nothing is removed until an approver
 * approves. A repeated event files nothing new: the store takes one pending request per IAM user, and
 * an offboarded user is no longer theirs.
 */
public final class Departures {
    private static final Logger log = LoggerFactory.getLogger(Departures.class);

    private final Intake intake;
    private final Ownership ownership;
    private final boolean enabled;
    private final String botUserId;
    private final AuditLog audit;
    private final RequestStore store;
    private final Outbox outbox;
    private final Effects effects;
    private final Executor afterAck;
    private final CrashProbe probe;
    private final Clock clock;

    /**
     * @param enabled   {@code offboardWhenDeactivated}
     * @param botUserId the bot's own Slack user id, the requester of these offboardings; null: none are filed
     */
    Departures(Intake intake, Ownership ownership, RequestStore store, Clock clock, boolean enabled, String botUserId,
               Outbox outbox, Effects effects, Executor afterAck, CrashProbe probe) {
        this.outbox = outbox;
        this.effects = effects;
        this.afterAck = afterAck;
        this.probe = probe;
        this.clock = clock;
        this.intake = intake;
        this.ownership = ownership;
        this.enabled = enabled;
        this.botUserId = botUserId;
        this.audit = new AuditLog(store, clock);
        this.store = store;
    }

    /**
     * At the acknowledgement of Slack's event: records that the person left, in the store, then files the
     * offboardings after the answer. The record is owed until they are filed ({@link Outbox}), so a crash
     * between the acknowledgement (after which Slack sends the event no more) and the filing loses
     * nothing: the sweep files them. A store that cannot record it throws, and Slack sends the event again.
     *
     * @param reason the request's reason as the approvers read it (the adapter words it)
     */
    public void left(String personId, String reason) {
        if (!enabled || botUserId == null) {
            return;
        }
        String subject = "departure:" + personId;
        outbox.owe(subject, List.of(new Outbox.Owed(Outbox.Effect.PERSON_LEFT, personId, reason)), clock.instant());
        probe.reached("departure recorded");
        afterAck.execute(() -> effects.settle(subject));
    }

    /**
     * Files the offboardings of a person who left, now.
     *
     * @param reason the request's reason as the approvers read it (the adapter words it)
     * @return one outcome per IAM user of the person: filed, or why not (e.g. one is already open)
     */
    public List<Outcome<Request>> personLeft(String personId, String reason) {
        return fileOffboardings(personId, reason, null);
    }

    /**
     * Files the offboardings of a person who left, as {@link #personLeft}; a user for whom the bot filed
     * one at or after {@code since} (an earlier drain of the same departure that died before it was
     * recorded as done) gets none again.
     */
    List<Outcome<Request>> fileOffboardings(String personId, String reason, Instant since) {
        if (!enabled || botUserId == null) {
            return List.of();
        }
        List<Outcome<Request>> outcomes = new ArrayList<>();
        for (String name : ownership.iamUsersOf(personId)) {
            if (since != null && filedSince(name, since)) {
                continue;
            }
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

    private boolean filedSince(String iamUserName, Instant since) {
        return store.findByIamUserName(iamUserName).stream().anyMatch(r -> r.kind() == Kind.OFFBOARD
                && botUserId.equals(r.requesterUserId()) && !r.createdAt().isBefore(since));
    }
}
