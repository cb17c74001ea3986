package dev.awsonboard.lifecycle.port;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What the bot still owes the world: effects recorded in the same write as the change that owes
 * them ({@link RequestStore#replace(dev.awsonboard.lifecycle.model.Request, dev.awsonboard.lifecycle.model.Request, List)}),
 * or on their own ({@link #owe}), and forgotten only once carried out. A crash between a status and
 * its effects therefore leaves them owed, and whoever drains the outbox next (the writer right after
 * its write, else every sweep, on any replica) carries them out. Each effect must be safe to carry
 * out again: a drain can die after the effect and before {@link #settled}.
 *
 * <p>A subject is whatever owes: a request id, or a name of another thing (a person who left).
 */
public interface Outbox {

    /** What is owed. The drain ({@code Effects}) says how each is carried out. */
    enum Effect {
        /** The request kind's undo in IAM (an onboarding's user, an MFA reset's unused device). */
        UNDO,
        /** Only the request's own MFA device, if nobody enabled it (a setup replaced by another request). */
        DELETE_DEVICE,
        /** A Slack file: the QR image, which holds an MFA seed. Target: the file id. */
        DELETE_QR,
        /** The person's buttons (codes, Show password), posted once the status that makes them valid is stored. */
        POST_SETUP,
        /** The person's setup ended without success: its buttons close and they are told why. */
        CLOSE_SETUP,
        /** The person is told they are done. Detail: {@link #OFFER_PASSWORD} when a first password is offered. */
        TELL_COMPLETED,
        /** Every approval message of the request is redrawn. */
        TELL_APPROVERS,
        /** The requester is told where the request stands. */
        TELL_REQUESTER,
        /** The person the request is for is told where it stands, when someone else asked (a grant: their access). */
        TELL_PERSON,
        /** A person left the workspace: offboardings of their IAM users are filed. Target: the person; detail: the reason. */
        PERSON_LEFT
    }

    /** {@link Effect#TELL_COMPLETED}'s detail when the person is offered their first password. */
    String OFFER_PASSWORD = "offer-password";

    /**
     * An effect as a write owes it.
     *
     * @param target what it acts on: a file id, a person; for the effects that tell people, the status
     *               they tell of (a notice is dropped once its request has moved on to another status,
     *               whose own write owes what to say then)
     * @param detail anything else it needs, never a secret; "" when nothing
     */
    record Owed(Effect effect, String target, String detail) {
        public Owed {
            Objects.requireNonNull(effect, "effect");
            target = target == null ? "" : target;
            detail = detail == null ? "" : detail;
        }

        public static Owed of(Effect effect) {
            return new Owed(effect, "", "");
        }

        public static Owed of(Effect effect, Object target) {
            return new Owed(effect, target instanceof Enum<?> e ? e.name() : String.valueOf(target), "");
        }
    }

    /**
     * An owed effect as stored.
     *
     * @param seq      its place among its subject's effects, which are carried out in that order
     * @param attempts how many tries failed so far
     * @param dueAt    when it may next be tried
     */
    record Entry(String subject, long seq, Effect effect, String target, String detail, Instant recordedAt, long attempts,
                 Instant dueAt) {
    }

    /** Records effects {@code subject} owes apart from any change of a request, in order; due at once. */
    void owe(String subject, List<Owed> owed, Instant now);

    /** What {@code subject} still owes, in order. */
    List<Entry> owedBy(String subject);

    /** The subjects with an effect due at {@code now}, the oldest first, at most {@code limit}. */
    List<String> due(Instant now, int limit);

    /** The effect was carried out (or is no longer owed): it is forgotten. */
    void settled(Entry entry);

    /** A try failed with {@code code}; it stays owed until {@code retryAt}. */
    void failed(Entry entry, String code, Instant retryAt);

    /** How many effects of this kind are owed (a metric: QR images still in Slack). */
    long count(Effect effect);
}
