package dev.awsonboard.lifecycle;

import dev.awsonboard.lifecycle.model.Kind;
import dev.awsonboard.lifecycle.model.Link;
import dev.awsonboard.lifecycle.model.Notice;
import dev.awsonboard.lifecycle.model.Reason;
import dev.awsonboard.lifecycle.model.Status;
import dev.awsonboard.lifecycle.model.Step;
import dev.awsonboard.lifecycle.model.Outcome;
import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.lifecycle.port.Links;
import dev.awsonboard.lifecycle.port.OneTimeSteps;
import dev.awsonboard.lifecycle.port.Outbox;
import dev.awsonboard.lifecycle.port.RequestStore;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * Use case: Slack says a person was deactivated (they left the workspace). The bot itself asks the
 * approvers to offboard each IAM user it made or reset for them; nothing is removed until an approver
 * approves. A repeated event files nothing new: the store takes one pending request per IAM user, and
 * an offboarded user is no longer theirs. Each offboarding filed for a person's IAM user is remembered
 * (a one-time step per person and UserId), so neither the event nor the periodic check
 * ({@link DepartureCheck}) files it again after an approver denied it. Their running grants end at once:
 * temporary access of someone who left is taken away without waiting for anyone. The event's departure
 * is recorded at its acknowledgement, in the outbox, so a crash before the filing loses nothing.
 */
public final class Departures {
    private static final Logger log = LoggerFactory.getLogger(Departures.class);

    private final Intake intake;
    private final Links links;
    /** The offboardings filed for people who left: {@link #filedKey}. */
    private final OneTimeSteps filed;
    private final Clock clock;
    private final boolean enabled;
    private final String botUserId;
    private final AuditLog audit;
    private final RequestStore store;
    private final GrantEnds grantEnds;
    private final Outbox outbox;
    private final Effects effects;
    private final Executor afterAck;
    private final CrashProbe probe;

    /**
     * @param enabled   {@code offboardWhenDeactivated}
     * @param botUserId the bot's own Slack user id, the requester of these offboardings; null: none are filed
     */
    Departures(Intake intake, Links links, OneTimeSteps filed, RequestStore store, Clock clock, boolean enabled,
               String botUserId, GrantEnds grantEnds, Outbox outbox, Effects effects, Executor afterAck, CrashProbe probe) {
        this.outbox = outbox;
        this.effects = effects;
        this.afterAck = afterAck;
        this.probe = probe;
        this.intake = intake;
        this.links = links;
        this.filed = filed;
        this.clock = clock;
        this.store = store;
        this.grantEnds = grantEnds;
        this.enabled = enabled;
        this.botUserId = botUserId;
        this.audit = new AuditLog(store, clock);
    }

    /** Whether offboardings are filed for people who leave ({@code offboardWhenDeactivated}, and the bot knows itself). */
    public boolean enabled() {
        return enabled && botUserId != null;
    }

    /** Whether an offboarding was filed for every IAM user linked to this person already (nothing left to ask Slack about). */
    boolean allFiledFor(String personId) {
        return links.ofPerson(personId).stream().allMatch(l -> filed.isDone(filedKey(personId, l)));
    }

    /**
     * At the acknowledgement of Slack's event: records that the person left, in the store, then ends their
     * grants and files the offboardings after the answer. The record is owed until that is done
     * ({@link Outbox}), so a crash between the acknowledgement (after which Slack sends the event no more)
     * and the filing loses nothing: the sweep does it. A store that cannot record it throws, and Slack
     * sends the event again.
     *
     * @param reason the request's reason as the approvers read it (the adapter words it)
     */
    public void left(String personId, String reason) {
        String subject = "departure:" + personId;
        outbox.owe(subject, List.of(new Outbox.Owed(Outbox.Effect.PERSON_LEFT, personId, reason)), clock.instant());
        probe.reached("departure recorded");
        afterAck.execute(() -> effects.settle(subject));
    }

    /**
     * Ends the person's grants and files the offboardings of their IAM users, now.
     *
     * @param reason the request's reason as the approvers read it (the adapter words it)
     * @return one outcome per IAM user of the person not filed for before: filed, or why not (e.g. one is already open)
     */
    public List<Outcome<Request>> personLeft(String personId, String reason) {
        return fileOffboardings(personId, reason, null);
    }

    /**
     * As {@link #personLeft}; a user for whom the bot filed an offboarding at or after {@code since} (an
     * earlier drain of the same departure that died before it was remembered) gets none again.
     */
    List<Outcome<Request>> fileOffboardings(String personId, String reason, Instant since) {
        endGrants(personId);
        if (!enabled()) {
            return List.of();
        }
        List<Outcome<Request>> outcomes = new ArrayList<>();
        for (Link link : links.ofPerson(personId)) {
            String name = link.iamUserName();
            if (filed.isDone(filedKey(personId, link))) {
                continue; // filed once; if an approver denied it, that stands
            }
            if (since != null && filedSince(name, since)) {
                filed.markDone(filedKey(personId, link), clock.instant());
                continue;
            }
            Outcome<Request> outcome = intake.submit(new Intake.NewRequest(Kind.OFFBOARD, botUserId, name, personId,
                    List.of(), reason), Optional.empty());
            if (outcome instanceof Outcome.Done<Request> done) {
                filed.markDone(filedKey(personId, link), clock.instant());
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

    /** Per person and IAM user (by UserId: a name made again for someone else is another user). */
    private static String filedKey(String personId, Link link) {
        return "departure:" + personId + ":" + link.iamUserId();
    }

    /** A person who left keeps no temporary access: each running grant ends now. */
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
