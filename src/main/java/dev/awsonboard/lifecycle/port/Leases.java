package dev.awsonboard.lifecycle.port;

import java.time.Instant;

/**
 * Who works on what: a worker claims a request (or another named piece of work) before it acts on
 * it, so that one worker among all replicas does. A claim lasts until it is given up or expires;
 * a crashed worker's claims expire and are taken over.
 */
public interface Leases {

    /**
     * Takes, or renews, the right to work on {@code key} until {@code until}. False while another
     * owner holds a lease that has not expired at {@code now}. Atomic across processes sharing the
     * database.
     */
    boolean claim(String key, String owner, Instant now, Instant until);

    /**
     * Extends the lease {@code owner} holds to {@code until}; false when it holds it no more (another
     * owner took it over, or it was given up since). Unlike {@link #claim}, never takes it anew: a
     * worker's heartbeat learns that someone else held the key in between, even if they let it go.
     */
    boolean renew(String key, String owner, Instant now, Instant until);

    /** Gives the lease up, if {@code owner} still holds it. */
    void release(String key, String owner);

    /** Whether anyone holds {@code key} at {@code now} (a claim not yet expired): a look, which takes nothing. */
    boolean held(String key, Instant now);
}
