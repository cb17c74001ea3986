package dev.awsonboard.lifecycle;

import dev.awsonboard.lifecycle.port.IamException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The retry policy's budget is wall time: the attempts count as well as the waits between them. */
class IamRetryTest {
    private static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(10);
    private final AtomicLong nanos = new AtomicLong();
    private final AtomicInteger attempts = new AtomicInteger();

    /** The standard policy on a clock that moves only when an attempt takes time or a pause really waits. */
    private IamRetry policy(boolean pausesWait) {
        return new IamRetry(Duration.ofSeconds(30), Duration.ofMillis(200), Duration.ofSeconds(5),
                millis -> {
                    if (pausesWait) {
                        nanos.addAndGet(millis * 1_000_000);
                    }
                }, nanos::get);
    }

    /** An attempt that runs into the SDK's attempt timeout: 10 s, then a transient failure. */
    private Object timingOut() {
        attempts.incrementAndGet();
        nanos.addAndGet(ATTEMPT_TIMEOUT.toNanos());
        throw new IamException(IamException.Kind.UNAVAILABLE, "ClientError", "attempt timed out");
    }

    @Test
    void attemptsThatEachRunIntoTheTimeoutUseUpTheBudgetInAFewTriesNotTenAndTwoMinutes() {
        IamRetry retry = policy(true);

        assertThatThrownBy(() -> retry.call(IamRetry.Mode.TRANSIENT, this::timingOut, e -> { }))
                .isInstanceOf(IamException.class);

        Duration took = Duration.ofNanos(nanos.get());
        assertThat(took).isLessThanOrEqualTo(retry.longestCall(ATTEMPT_TIMEOUT)).isLessThan(Duration.ofSeconds(45));
        assertThat(attempts.get()).isEqualTo(3);
    }

    @Test
    void quickFailuresAreStillTriedUntilTheWaitsFillTheBudget() {
        IamRetry retry = policy(true);

        assertThatThrownBy(() -> retry.call(IamRetry.Mode.TRANSIENT, () -> {
            attempts.incrementAndGet();
            throw new IamException(IamException.Kind.THROTTLED, "Throttling", "slow down");
        }, e -> { })).isInstanceOf(IamException.class);

        // 0.2 + 0.4 + 0.8 + 1.6 + 3.2 + 5 + 5 + 5 + 5 s of waits; the next 5 s would pass 30 s.
        assertThat(attempts.get()).isEqualTo(10);
        assertThat(Duration.ofNanos(nanos.get())).isEqualTo(Duration.ofMillis(26_200));
    }

    @Test
    void aPauseThatOnlyCountsAsInTestsIsTakenAsTheWaitItStoodFor() {
        IamRetry counting = policy(false);

        assertThatThrownBy(() -> counting.call(IamRetry.Mode.TRANSIENT, () -> {
            attempts.incrementAndGet();
            throw new IamException(IamException.Kind.THROTTLED, "Throttling", "slow down");
        }, e -> { })).isInstanceOf(IamException.class);

        assertThat(attempts.get()).isEqualTo(10);
    }

    @Test
    void theLongestStandardCallIsItsBudgetAndOneAttempt() {
        assertThat(IamRetry.standard(m -> { }).longestCall(ATTEMPT_TIMEOUT)).isEqualTo(Duration.ofSeconds(40));
    }
}
