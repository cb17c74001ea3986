package dev.awsonboard.lifecycle;

import dev.awsonboard.lifecycle.model.Notice;
import dev.awsonboard.lifecycle.model.Reason;
import dev.awsonboard.lifecycle.port.People;

import java.util.Optional;

/** What makes a Slack account unfit to hold AWS access, if anything: asked before approval and again before a run. */
final class PersonFitness {
    private PersonFitness() {
    }

    static Optional<Notice> problem(Optional<People.Person> person, String userId) {
        if (person.isEmpty()) {
            return Optional.of(Notice.of(Reason.PERSON_NOT_FOUND, "person", userId));
        }
        People.Person p = person.get();
        if (p.deactivated()) {
            return Optional.of(Notice.of(Reason.PERSON_DEACTIVATED, "person", userId));
        }
        if (p.bot()) {
            return Optional.of(Notice.of(Reason.PERSON_IS_BOT, "person", userId));
        }
        if (p.guest()) {
            return Optional.of(Notice.of(Reason.PERSON_IS_GUEST, "person", userId));
        }
        return Optional.empty();
    }
}
