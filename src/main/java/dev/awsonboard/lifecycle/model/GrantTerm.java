package dev.awsonboard.lifecycle.model;

import java.time.Duration;
import java.time.Instant;

/**
 * How long a grant lasts, and once it started, when it ends.
 *
 * @param length how long was asked for
 * @param endsAt when the membership is taken away again; null until the person was added
 */
public record GrantTerm(Duration length, Instant endsAt) {

    public GrantTerm startingAt(Instant now) {
        return new GrantTerm(length, now.plus(length));
    }

    public GrantTerm endingAt(Instant at) {
        return new GrantTerm(length, at);
    }
}
