package dev.awsonboard.lifecycle;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Beats while a worker holds a claim ({@link Claim}), renewing it every so often, so that a step as
 * long as it takes (IAM calls under retries, one after the other, Slack being slow) never outlives
 * its lease. Production beats on one timer thread; use-case tests beat by hand.
 */
interface Heartbeats {

    /** Runs {@code beat} every {@code every} until the handle is closed. */
    Beat start(Duration every, Runnable beat);

    /** A running heartbeat. */
    interface Beat extends AutoCloseable {
        @Override
        void close();
    }

    /** One daemon thread for every beat of the process; it goes away while nothing beats. */
    static Heartbeats timer() {
        Logger log = LoggerFactory.getLogger(Heartbeats.class);
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "onboard-heartbeat");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        timer.setKeepAliveTime(30, TimeUnit.SECONDS);
        timer.allowCoreThreadTimeOut(true);
        return (every, beat) -> {
            ScheduledFuture<?> beating = timer.scheduleWithFixedDelay(() -> {
                try {
                    beat.run();
                } catch (RuntimeException e) {
                    // The next beat tries again; a claim that ran out meanwhile is lost, not kept.
                    log.warn("a heartbeat failed: {}", e.getClass().getSimpleName());
                }
            }, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
            return () -> beating.cancel(false);
        };
    }
}
