package dev.awsonboard.lifecycle;

import dev.awsonboard.lifecycle.port.IamException;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The one retry policy for IAM calls (the SDK itself retries nothing): transient failures
 * (throttling, 5xx, I/O, EntityTemporarilyUnmodifiable, ConcurrentModification) are tried again
 * with exponential backoff within a budget of wall time; a call about an entity the flow knows
 * exists may also retry NoSuchEntity, which IAM answers for a while after a create (eventual
 * consistency). Anything else fails at once.
 *
 * <p>The budget counts the attempts as well as the waits between them: an attempt can take up to
 * the SDK's attempt timeout (10 s), and counting only the waits let one call run ten attempts and
 * two minutes under a brownout, longer than a step was thought to take. No attempt starts once the
 * budget is spent, so a call lasts at most the budget plus one attempt ({@link #longestCall}).
 */
public final class IamRetry {
    private final Duration budget;
    private final long firstDelayMillis;
    private final long maxDelayMillis;
    private final LongConsumer pause;
    private final LongSupplier nanoTime;

    /**
     * @param budget the most wall time one call spends in attempts and waits before it stops trying
     * @param pause  waits the given milliseconds (production sleeps on a worker thread; tests count)
     */
    public IamRetry(Duration budget, Duration firstDelay, Duration maxDelay, LongConsumer pause) {
        this(budget, firstDelay, maxDelay, pause, System::nanoTime);
    }

    /** @param nanoTime the wall clock the budget is counted on (tests make attempts take time) */
    IamRetry(Duration budget, Duration firstDelay, Duration maxDelay, LongConsumer pause, LongSupplier nanoTime) {
        this.budget = budget;
        this.firstDelayMillis = firstDelay.toMillis();
        this.maxDelayMillis = maxDelay.toMillis();
        this.pause = pause;
        this.nanoTime = nanoTime;
    }

    /**
     * The longest one call can take when each attempt is given up after {@code attemptTimeout}: the
     * budget, then one last attempt begun just before it ran out. A lease must outlast this.
     */
    public Duration longestCall(Duration attemptTimeout) {
        return budget.plus(attemptTimeout);
    }

    /** 0.2 s doubling to 5 s, at most 30 s of attempts and waits per call. */
    public static IamRetry standard(LongConsumer pause) {
        return new IamRetry(Duration.ofSeconds(30), Duration.ofMillis(200), Duration.ofSeconds(5), pause);
    }

    /** Never waits: one attempt. */
    public static IamRetry none() {
        return new IamRetry(Duration.ZERO, Duration.ZERO, Duration.ZERO, millis -> { });
    }

    /** Which failures a call may retry. */
    public enum Mode {
        /** Only transient failures. */
        TRANSIENT(EnumSet.noneOf(IamException.Kind.class)),
        /** The entity is known to exist (we just created or found it): NoSuchEntity is lag too. */
        EXISTS(EnumSet.of(IamException.Kind.NO_SUCH_ENTITY)),
        /** The entity was just deleted and is being made again: EntityAlreadyExists is lag too. */
        RECREATE(EnumSet.of(IamException.Kind.ALREADY_EXISTS));

        private final Set<IamException.Kind> alsoRetried;

        Mode(Set<IamException.Kind> alsoRetried) {
            this.alsoRetried = alsoRetried;
        }

        boolean retries(IamException e) {
            return e.kind().isTransient() || alsoRetried.contains(e.kind());
        }
    }

    /**
     * Runs {@code body} until it succeeds, fails for good, or the budget is spent; each failed
     * attempt is told to {@code onFailure} (for the audit trail) before the wait.
     */
    public <T> T call(Mode mode, Supplier<T> body, Consumer<IamException> onFailure) {
        long started = nanoTime.getAsLong();
        // A pause that returns before its time (a test's, which only counts) still counts as waited.
        long unslept = 0;
        for (int attempt = 1; ; attempt++) {
            try {
                return body.get();
            } catch (IamException e) {
                onFailure.accept(e);
                long delay = delay(attempt);
                long spent = (nanoTime.getAsLong() - started) / 1_000_000 + unslept;
                if (!mode.retries(e) || delay <= 0 || spent + delay >= budget.toMillis()) {
                    throw e;
                }
                long before = nanoTime.getAsLong();
                pause.accept(delay);
                unslept += Math.max(0, delay - (nanoTime.getAsLong() - before) / 1_000_000);
            }
        }
    }

    public void run(Mode mode, Runnable body, Consumer<IamException> onFailure) {
        call(mode, () -> {
            body.run();
            return null;
        }, onFailure);
    }

    /** A short wait for something other than IAM, as this policy waits (tests count it, or act in it). */
    void pause(long millis) {
        pause.accept(millis);
    }

    /** The wait before re-reading something IAM may not show yet (confirming a deletion). */
    void pauseBeforeCheck(int check) {
        long d = delay(check);
        if (d > 0) {
            pause.accept(d);
        }
    }

    long delay(int attempt) {
        long d = firstDelayMillis << Math.min(attempt - 1, 20);
        return Math.min(maxDelayMillis, d);
    }
}
