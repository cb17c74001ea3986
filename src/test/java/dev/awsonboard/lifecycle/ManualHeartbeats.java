package dev.awsonboard.lifecycle;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Heartbeats a use-case test beats by hand ({@link #beat}): a worker's claim is renewed only then. */
final class ManualHeartbeats implements Heartbeats {
    private final List<Runnable> beating = new ArrayList<>();

    @Override
    public synchronized Beat start(Duration every, Runnable beat) {
        beating.add(beat);
        return () -> {
            synchronized (this) {
                beating.remove(beat);
            }
        };
    }

    /** Every running heartbeat beats once, as the timer would after a fifth of the lease. */
    void beat() {
        List<Runnable> now;
        synchronized (this) {
            now = List.copyOf(beating);
        }
        now.forEach(Runnable::run);
    }
}
