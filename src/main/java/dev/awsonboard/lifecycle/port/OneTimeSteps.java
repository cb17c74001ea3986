package dev.awsonboard.lifecycle.port;

import java.time.Instant;

/** Work done once per database, whatever the replicas and restarts (a backfill after an upgrade). */
public interface OneTimeSteps {

    boolean isDone(String name);

    /** Records that {@code name} is done; recording twice is no error. */
    void markDone(String name, Instant at);
}
