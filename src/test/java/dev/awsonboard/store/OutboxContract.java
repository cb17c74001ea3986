package dev.awsonboard.store;

import dev.awsonboard.lifecycle.port.Outbox;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static dev.awsonboard.lifecycle.port.Outbox.Effect.DELETE_QR;
import static dev.awsonboard.lifecycle.port.Outbox.Effect.TELL_REQUESTER;
import static dev.awsonboard.lifecycle.port.Outbox.Effect.UNDO;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@link Outbox} contract: run on the JDBC outbox (SQLite and PostgreSQL) and on the domain tests'
 * in-memory one. Effects are kept in the order owed, are due until settled, and a failed try waits.
 */
public abstract class OutboxContract {
    protected static final Instant T0 = Instant.parse("2026-01-02T03:04:05.123456789Z");

    /** The outbox of the running test; every call reaches the same effects (another replica, on a database). */
    protected abstract Outbox outbox();

    @Test
    void effectsAreKeptInTheOrderOwedAndForgottenOnceSettled() {
        Outbox outbox = outbox();
        outbox.owe("r-1", List.of(Outbox.Owed.of(UNDO), new Outbox.Owed(DELETE_QR, "F0QR", ""),
                new Outbox.Owed(TELL_REQUESTER, "FAILED", "detail")), T0);

        List<Outbox.Entry> owed = outbox().owedBy("r-1");
        assertThat(owed).extracting(Outbox.Entry::effect).containsExactly(UNDO, DELETE_QR, TELL_REQUESTER);
        assertThat(owed.get(1).target()).isEqualTo("F0QR");
        assertThat(owed.get(2).detail()).isEqualTo("detail");
        assertThat(owed).allSatisfy(e -> {
            assertThat(e.attempts()).isZero();
            assertThat(e.dueAt()).isEqualTo(T0);
            assertThat(e.recordedAt()).isEqualTo(T0);
        });

        outbox.settled(owed.get(0));
        assertThat(outbox().owedBy("r-1")).extracting(Outbox.Entry::effect).containsExactly(DELETE_QR, TELL_REQUESTER);
        assertThat(outbox.count(DELETE_QR)).isEqualTo(1);
        assertThat(outbox.owedBy("r-other")).isEmpty();
    }

    @Test
    void aSubjectIsDueWhileAnyOfItsEffectsIsDueOldestFirst() {
        Outbox outbox = outbox();
        outbox.owe("r-new", List.of(Outbox.Owed.of(UNDO)), T0.plusSeconds(5));
        outbox.owe("r-old", List.of(Outbox.Owed.of(UNDO)), T0);

        assertThat(outbox.due(T0, 10)).containsExactly("r-old");
        assertThat(outbox.due(T0.plusSeconds(5), 10)).containsExactly("r-old", "r-new");
        assertThat(outbox.due(T0.plusSeconds(5), 1)).containsExactly("r-old");
    }

    @Test
    void aFailedTryIsCountedAndWaitsUntilItsRetry() {
        Outbox outbox = outbox();
        outbox.owe("r-1", List.of(new Outbox.Owed(DELETE_QR, "F0QR", "")), T0);
        Outbox.Entry entry = outbox.owedBy("r-1").get(0);

        outbox.failed(entry, "ratelimited", T0.plus(Duration.ofMinutes(2)));

        assertThat(outbox.due(T0.plusSeconds(60), 10)).isEmpty();
        assertThat(outbox.due(T0.plus(Duration.ofMinutes(2)), 10)).containsExactly("r-1");
        Outbox.Entry failed = outbox().owedBy("r-1").get(0);
        assertThat(failed.attempts()).isEqualTo(1);
        assertThat(failed.dueAt()).isEqualTo(T0.plus(Duration.ofMinutes(2)));
        outbox.settled(failed);
        assertThat(outbox.owedBy("r-1")).isEmpty();
    }

    @Test
    void settlingAnEntryTwiceForgetsNothingOwedSinceUnderTheSameSeq() {
        Outbox outbox = outbox();
        outbox.owe("r-1", List.of(Outbox.Owed.of(UNDO)), T0);
        Outbox.Entry first = outbox.owedBy("r-1").get(0);
        outbox.settled(first);
        outbox.owe("r-1", List.of(new Outbox.Owed(TELL_REQUESTER, "EXPIRED", "")), T0.plusSeconds(1));

        outbox.settled(first); // a second drain that still held the first entry

        assertThat(outbox.owedBy("r-1")).extracting(Outbox.Entry::effect).containsExactly(TELL_REQUESTER);
    }
}
