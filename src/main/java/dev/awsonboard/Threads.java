package dev.awsonboard;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The bot's threads and their priorities. Answers people wait on (modals, ephemeral replies, codes)
 * run on interactive threads and never queue behind bulk IAM work; work nobody is waiting on at
 * that moment (checks, provisioning, Home redraws, sweeps) runs on background threads.
 */
final class Threads {
    /** Checks, provisioning, resumes: background. */
    private final ExecutorService workers = Executors.newFixedThreadPool(4, background("onboard-worker"));
    private final ExecutorService interactive = Executors.newFixedThreadPool(8, named("onboard-interactive"));
    /** App Home publishes, each after its burst of changes. */
    private final ScheduledExecutorService home = Executors.newSingleThreadScheduledExecutor(background("onboard-home"));
    private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(background("onboard-sweeper"));
    /** Slow periodic checks (the departure check paces its Slack calls), kept off the sweep's thread. */
    private final ScheduledExecutorService checks = Executors.newSingleThreadScheduledExecutor(background("onboard-checks"));

    ExecutorService workers() {
        return workers;
    }

    ExecutorService interactive() {
        return interactive;
    }

    /** Runs {@code task} on the Home thread after {@code delay}. */
    void onHomeThread(Runnable task, Duration delay) {
        try {
            home.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // Shutting down: the Home is drawn again when the person next opens it.
        }
    }

    /** Runs {@code sweep} every {@code every}, the first time one {@code every} from now. */
    void sweepEvery(Duration every, Runnable sweep) {
        long millis = every.toMillis();
        sweeper.scheduleWithFixedDelay(sweep, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** Runs {@code check} every {@code every} on the checks' thread, the first time one {@code every} from now. */
    void checkEvery(Duration every, Runnable check) {
        long millis = every.toMillis();
        checks.scheduleWithFixedDelay(check, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** First step of closing: no more sweeps, checks or Home redraws. */
    void stopSchedules() {
        sweeper.shutdownNow();
        checks.shutdownNow();
        // Pending Home redraws are dropped; one under way finishes before IAM and the database close under it.
        home.shutdownNow();
        try {
            home.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Once nothing feeds them any more: lets the work under way finish, within a bound. */
    void drain() {
        for (ExecutorService pool : List.of(interactive, workers)) {
            pool.shutdown();
            try {
                if (!pool.awaitTermination(10, TimeUnit.SECONDS)) {
                    pool.shutdownNow();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                pool.shutdownNow();
            }
        }
    }

    /**
     * Threads of work nobody is waiting on at that moment (checks, provisioning, Home redraws, sweeps):
     * lowest priority, so that under a burst the acknowledgements get the cores first. The JVM maps
     * it to a nicer OS priority only when started with -XX:ThreadPriorityPolicy=1 (bin/aws-onboard does).
     */
    private static ThreadFactory background(String prefix) {
        ThreadFactory named = named(prefix);
        return r -> {
            Thread t = named.newThread(r);
            t.setPriority(Thread.MIN_PRIORITY);
            return t;
        };
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
