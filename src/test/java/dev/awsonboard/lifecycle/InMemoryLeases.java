package dev.awsonboard.lifecycle;

import dev.awsonboard.lifecycle.port.Leases;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * {@link Leases} in memory, for use-case tests that need no database; held to the same contract as
 * the JDBC leases (the store tests' {@code LeasesContract}). A claim is taken over only once it
 * expired strictly before {@code now}, as the JDBC statement's {@code expires_at < now} says.
 */
public final class InMemoryLeases implements Leases {
    private record Claim(String owner, Instant until) {
    }

    private final Map<String, Claim> claims = new HashMap<>();

    @Override
    public synchronized boolean claim(String key, String owner, Instant now, Instant until) {
        Claim held = claims.get(key);
        if (held != null && !held.owner().equals(owner) && !held.until().isBefore(now)) {
            return false;
        }
        claims.put(key, new Claim(owner, until));
        return true;
    }

    @Override
    public synchronized boolean renew(String key, String owner, Instant now, Instant until) {
        Claim held = claims.get(key);
        if (held == null || !held.owner().equals(owner)) {
            return false;
        }
        claims.put(key, new Claim(owner, until));
        return true;
    }

    @Override
    public synchronized boolean held(String key, Instant now) {
        Claim held = claims.get(key);
        return held != null && !held.until().isBefore(now);
    }

    @Override
    public synchronized void release(String key, String owner) {
        claims.computeIfPresent(key, (k, held) -> held.owner().equals(owner) ? null : held);
    }
}
