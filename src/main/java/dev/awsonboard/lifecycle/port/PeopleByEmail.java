package dev.awsonboard.lifecycle.port;

import java.util.Optional;

/**
 * The workspace's people found by their e-mail address (Slack's {@code users.lookupByEmail}, scope
 * {@code users:read.email}): how an IAM user named or tagged with an address is matched to its person.
 * Failures to ask throw {@link NotifierException}.
 */
public interface PeopleByEmail {

    /** The member registered with this address; empty when there is none. */
    Optional<People.Person> withEmail(String email);
}
