package dev.awsonboard.lifecycle;

import java.time.Duration;

/**
 * Who this worker is and how long its claim on a request lasts without renewal. A crashed
 * worker's requests are taken over once its claim expires.
 */
public record Lease(String owner, Duration ttl) {
}
