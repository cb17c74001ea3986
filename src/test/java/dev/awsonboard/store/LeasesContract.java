package dev.awsonboard.store;

import dev.awsonboard.lifecycle.port.Leases;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@link Leases} contract: one worker among all replicas holds a key until it gives it up or
 * its claim expires. Run on the JDBC leases by {@link JdbcLeasesContract} (SQLite and PostgreSQL)
 * and on the domain tests' in-memory leases by {@link InMemoryLeasesTest}.
 */
public abstract class LeasesContract {
    private static final Instant T0 = Instant.parse("2026-03-04T05:06:07.123456789Z");
    private static final Duration TTL = Duration.ofMinutes(5);

    /** The leases of the running test; every call reaches the same claims (on a database: as another replica). */
    protected abstract Leases leases();

    @Test
    void aKeyNobodyHoldsIsClaimedAndThenHeld() {
        Leases leases = leases();

        assertThat(leases.claim("r-1", "worker-a", T0, T0.plus(TTL))).isTrue();
        assertThat(leases.claim("r-1", "worker-b", T0, T0.plus(TTL))).isFalse();
    }

    @Test
    void aRenewalExtendsOnlyALeaseItsOwnerStillHoldsAndNeverTakesOneAnew() {
        Leases leases = leases();
        leases.claim("r-1", "worker-a", T0, T0.plus(TTL));

        assertThat(leases.renew("r-1", "worker-a", T0.plusSeconds(60), T0.plusSeconds(60).plus(TTL))).isTrue();
        assertThat(leases().claim("r-1", "worker-b", T0.plus(TTL).plusSeconds(1), T0.plus(TTL).plusSeconds(1).plus(TTL)))
                .as("renewed past its first expiry").isFalse();
        // Taken over once it ran out, and given up again: the first owner learns it lost it.
        assertThat(leases.claim("r-1", "worker-b", T0.plusSeconds(60).plus(TTL).plusNanos(1), T0.plus(TTL.multipliedBy(3)))).isTrue();
        leases.release("r-1", "worker-b");
        assertThat(leases.renew("r-1", "worker-a", T0.plus(TTL.multipliedBy(3)), T0.plus(TTL.multipliedBy(4)))).isFalse();
        assertThat(leases.held("r-1", T0.plus(TTL.multipliedBy(3)))).isFalse();
        assertThat(leases.renew("r-2", "worker-a", T0, T0.plus(TTL))).as("never claimed").isFalse();
    }

    @Test
    void aLookSaysWhetherAKeyIsHeldUpToItsExpiryAndTakesNothing() {
        Leases leases = leases();
        assertThat(leases.held("r-1", T0)).isFalse();
        leases.claim("r-1", "worker-a", T0, T0.plus(TTL));

        assertThat(leases().held("r-1", T0.plus(TTL))).isTrue();
        assertThat(leases.held("r-1", T0.plus(TTL).plusNanos(1))).isFalse();
        assertThat(leases.claim("r-2", "worker-b", T0, T0.plus(TTL))).as("a look took nothing").isTrue();
        leases.release("r-1", "worker-a");
        assertThat(leases.held("r-1", T0)).isFalse();
    }

    @Test
    void theOwnerRenewsItsClaimAndTheRenewalLastsBeyondTheFirstExpiry() {
        Leases leases = leases();
        leases.claim("r-1", "worker-a", T0, T0.plus(TTL));

        assertThat(leases.claim("r-1", "worker-a", T0.plusSeconds(240), T0.plusSeconds(240).plus(TTL))).isTrue();

        // The first claim would have expired by now; the renewal still keeps another worker out.
        assertThat(leases.claim("r-1", "worker-b", T0.plusSeconds(360), T0.plusSeconds(360).plus(TTL))).isFalse();
    }

    @Test
    void anotherOwnerIsRefusedUpToTheExpiryInstantAndGetsTheKeyJustAfter() {
        Leases leases = leases();
        Instant expiry = T0.plus(TTL);
        leases.claim("r-1", "worker-a", T0, expiry);

        assertThat(leases.claim("r-1", "worker-b", T0.plusSeconds(60), expiry.plusSeconds(60))).isFalse();
        assertThat(leases.claim("r-1", "worker-b", expiry, expiry.plus(TTL))).isFalse();
        assertThat(leases.claim("r-1", "worker-b", expiry.plusNanos(1), expiry.plus(TTL))).isTrue();
    }

    @Test
    void anExpiredClaimIsTakenOverAndItsFormerOwnerIsThenRefused() {
        Leases leases = leases();
        leases.claim("r-1", "crashed", T0, T0.plus(TTL));
        Instant later = T0.plus(TTL).plusSeconds(60);

        assertThat(leases.claim("r-1", "worker-b", later, later.plus(TTL))).isTrue();

        // The crashed worker, back again, finds the key held by the one that took it over.
        assertThat(leases.claim("r-1", "crashed", later.plusSeconds(1), later.plus(TTL))).isFalse();
    }

    @Test
    void releaseByTheOwnerFreesTheKeyAtOnce() {
        Leases leases = leases();
        leases.claim("r-1", "worker-a", T0, T0.plus(TTL));

        leases.release("r-1", "worker-a");

        assertThat(leases.claim("r-1", "worker-b", T0.plusSeconds(1), T0.plus(TTL))).isTrue();
    }

    @Test
    void releaseByAnotherOwnerLeavesTheClaimAsItWas() {
        Leases leases = leases();
        leases.claim("r-1", "worker-a", T0, T0.plus(TTL));

        leases.release("r-1", "worker-b");
        leases.release("r-never-claimed", "worker-b");

        assertThat(leases.claim("r-1", "worker-b", T0.plusSeconds(1), T0.plus(TTL))).isFalse();
        assertThat(leases.claim("r-never-claimed", "worker-b", T0, T0.plus(TTL))).isTrue();
    }

    @Test
    void eachKeyIsLeasedOnItsOwn() {
        Leases leases = leases();
        leases.claim("r-1", "worker-a", T0, T0.plus(TTL));

        assertThat(leases.claim("r-2", "worker-b", T0, T0.plus(TTL))).isTrue();
        leases.release("r-2", "worker-b");
        assertThat(leases.claim("r-1", "worker-b", T0, T0.plus(TTL))).isFalse();
    }

    @Test
    void concurrentClaimsFromTwoReplicasHaveExactlyOneWinner() throws Exception {
        List<Leases> replicas = List.of(leases(), leases());
        int workers = 16;
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        try {
            List<Future<Boolean>> claims = new ArrayList<>();
            for (int i = 0; i < workers; i++) {
                Leases replica = replicas.get(i % 2);
                String owner = "worker-" + i;
                claims.add(pool.submit(() -> {
                    go.await();
                    return replica.claim("r-contested", owner, T0, T0.plus(TTL));
                }));
            }
            go.countDown();
            int won = 0;
            for (Future<Boolean> claim : claims) {
                won += claim.get(60, TimeUnit.SECONDS) ? 1 : 0;
            }

            assertThat(won).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }
}
