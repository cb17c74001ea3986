package dev.awsonboard.lifecycle;

import dev.awsonboard.lifecycle.port.Leases;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One worker's hold on a request's lease: taken before it acts, renewed by heartbeat while it works
 * (every fifth of the lease), given up when it is done. It is lost once another worker holds the key
 * (it took over a lease it saw expired: a stalled worker, a clock ahead) or once it ran out without a
 * renewal; from then on the worker stops at its next IAM call or write ({@link #check}), and undoes
 * nothing: whatever it still meant to write is a compare-and-set against its own last copy, which the
 * other worker has moved on.
 */
final class Claim implements AutoCloseable {
    /** Every claim has an owner of its own, within the process's ({@link Lease#owner}). */
    private static final AtomicLong CLAIMS = new AtomicLong();

    private final Leases leases;
    private final String key;
    private final String owner;
    private final Lease lease;
    private final Clock clock;
    private volatile Instant until;
    private volatile boolean lost;
    private Heartbeats.Beat beat;

    private Claim(Leases leases, String key, Lease lease, Clock clock) {
        this.leases = leases;
        this.key = key;
        this.owner = lease.owner() + "#" + CLAIMS.incrementAndGet();
        this.lease = lease;
        this.clock = clock;
    }

    /** The claim on {@code key}, beating, unless another worker holds it. */
    static Optional<Claim> take(Leases leases, Heartbeats heartbeats, String key, Lease lease, Clock clock) {
        Claim c = new Claim(leases, key, lease, clock);
        Instant now = clock.instant();
        if (!leases.claim(key, c.owner, now, now.plus(lease.ttl()))) {
            return Optional.empty();
        }
        c.until = now.plus(lease.ttl());
        c.beat = heartbeats.start(lease.ttl().dividedBy(5), c::renew);
        return Optional.of(c);
    }

    /** The heartbeat: renews the lease, or finds it lost. */
    void renew() {
        if (lost) {
            return;
        }
        Instant now = clock.instant();
        if (now.isAfter(until)) {
            lost = true; // it ran out unrenewed: another worker may have run since, whatever the table says now
            return;
        }
        // A renewal, not a claim: if anyone held the key in between, even if they let it go, it is lost.
        if (leases.renew(key, owner, now, now.plus(lease.ttl()))) {
            until = now.plus(lease.ttl());
        } else {
            lost = true;
        }
    }

    boolean lost() {
        return lost || clock.instant().isAfter(until);
    }

    /** Before anything the worker does to the world or the store: stops it once the claim is lost. */
    void check() {
        if (lost()) {
            lost = true;
            throw new Run.Superseded();
        }
    }

    /**
     * Renews the lease now, before something another worker could neither recognise nor take back (a QR
     * shared into a DM, a person told something): a worker that stalled unaware while another took over
     * learns it here, not after the fact. Stops the worker if the claim is lost.
     */
    void confirm() {
        check();
        Instant now = clock.instant();
        if (!leases.renew(key, owner, now, now.plus(lease.ttl()))) {
            lost = true;
            throw new Run.Superseded();
        }
        until = now.plus(lease.ttl());
    }

    /** Stops beating; a worker that finished gives the lease up, one that died (an Error) lets it run out. */
    void stop(boolean release) {
        if (beat != null) {
            beat.close();
        }
        if (release && !lost) {
            leases.release(key, owner);
        }
    }

    @Override
    public void close() {
        stop(true);
    }
}
