package dev.awsonboard.slack.webapi;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Runs an action for a key once per burst: the first touch schedules it after a delay, and touches
 * until it starts join that run. A touch while it runs schedules the next one, so the last change
 * of a burst is never left out.
 */
public final class Debounce<K> {
    /** Runs a task after a delay, on some thread; production hands it to a scheduled executor. */
    public interface Scheduler {
        void schedule(Runnable task, Duration delay);
    }

    private final Scheduler scheduler;
    private final Duration delay;
    private final Consumer<K> action;
    private final Set<K> pending = ConcurrentHashMap.newKeySet();

    Debounce(Scheduler scheduler, Duration delay, Consumer<K> action) {
        this.scheduler = scheduler;
        this.delay = delay;
        this.action = action;
    }

    /** Something of {@code key} changed: it runs after the delay unless a run is already waiting. */
    void touch(K key) {
        if (pending.add(key)) {
            scheduler.schedule(() -> {
                pending.remove(key); // before the run: a change during it gets a run of its own
                action.accept(key);
            }, delay);
        }
    }

    /** Runs for {@code key} as soon as the scheduler can, whatever waits. */
    void now(K key) {
        scheduler.schedule(() -> action.accept(key), Duration.ZERO);
    }
}
