package dev.awsonboard.lifecycle;

import dev.awsonboard.lifecycle.model.Kind;
import dev.awsonboard.lifecycle.model.MessageRef;
import dev.awsonboard.lifecycle.model.Notice;
import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.lifecycle.model.Status;
import dev.awsonboard.lifecycle.model.Step;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A request kind's whole story, told in one file per kind: who may ask, what keeps it out, what
 * is checked (without a remote call) at the acknowledgement, the checks and the plan before
 * approval, the steps after it, and the undo. {@link Kinds} is the table of them.
 */
interface RequestKind {

    Kind kind();

    // --- before anything is stored ---

    /**
     * Why {@code requester} may not ask for this kind about {@code person}, if not. The person is the
     * one the command named (null if none) at the acknowledgement, and the IAM user's owner in the
     * checks ({@link dev.awsonboard.lifecycle.model.AccessPolicy#NOBODY} for nobody's user).
     */
    Optional<Notice> refusal(String requester, String person);

    /** An open request for the same IAM user in one of these statuses keeps a new one of this kind out. */
    Set<Status> blockedBy();

    /** What was typed, checked without a remote call: what the request is about. Throws {@link Refusal}. */
    Intake.Subject subject(Intake.NewRequest cmd);

    // --- after the acknowledgement, before approval ---

    /**
     * The checks that ask Slack and IAM (only reads): the request as the approvers will see it.
     * Throws {@link Refusal} when it must not go before them.
     */
    Request check(Checks checks, Request r);

    /**
     * Whether the approver who asks decides it with the same click (it grants nothing: an MFA setup):
     * once checked it is approved by its requester, without an approval message.
     */
    default boolean decidedByItsRequester() {
        return false;
    }

    // --- after approval ---

    /** Every step this kind records, in order (including steps recorded inside another step). */
    List<Step> order();

    /** One {@link Run#step} per step, in order; a resumed run skips the steps already recorded. */
    void carryOut(Run run);

    /** The status once every step is done: the person's turn, or DONE. */
    Status finished();

    /** Whether the person it is for hears from the bot when someone else asked for it (a grant: their access). */
    default boolean tellsPerson() {
        return false;
    }

    /**
     * The person's buttons (codes, Show password), posted once the status that makes them valid is
     * stored ({@link #finished}), so no click meets a request still running; null when the kind has
     * none. Throws {@link dev.awsonboard.lifecycle.port.NotifierException} when Slack refuses.
     */
    default MessageRef postButtons(Request r) {
        return null;
    }

    // --- the way down ---

    /**
     * Undoes what the steps did, after a failure or an expiry; safe to run again (the outbox retries
     * it until it is done). Returns the request as stored: the same copy when everything is undone, a
     * newer one marked with leftovers when something stays in IAM for now.
     */
    Request undo(Request r);
}
