package dev.awsonboard.lifecycle.port;

import dev.awsonboard.lifecycle.model.Request;

import java.time.Duration;
import java.util.List;

/**
 * Sends the reminders {@link Reminders} decided on. The adapter renders the words; failures throw
 * {@link NotifierException}.
 */
public interface ReminderSender {

    /**
     * A reply in the thread of each approval message the named approvers can see, naming them.
     *
     * @param approvers the approvers outside their quiet hours, who are named in the reminder
     * @param waiting   how long the request has waited for approval
     */
    void remindApprovers(Request request, List<String> approvers, Duration waiting);

    /** A DM to the person whose setup waits for them, saying how long is left before it expires. */
    void remindPerson(Request request, Duration left);

    /** A DM to the person whose grant ends soon, saying when, and how to ask again or end it now. */
    void remindGrantEnding(Request request, Duration left);
}
