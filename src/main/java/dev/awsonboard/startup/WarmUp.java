package dev.awsonboard.startup;

import dev.awsonboard.slack.webapi.SlackClients;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * What every start needs first, loaded on a thread of its own while the main thread reads the
 * configuration: logging (~65 ms), then Slack's client (~100 ms, its TLS set-up included). The
 * main thread would otherwise do both itself, one after the other, on the way to ready.
 */
public final class WarmUp {
    /** How long the start waits for logging before setting it up itself. */
    static final long LOGGING_WAIT_SECONDS = 5;

    private final CountDownLatch logging = new CountDownLatch(1);

    private WarmUp() {
    }

    /** Starts the warm-up and returns at once. */
    public static WarmUp beside() {
        WarmUp warmUp = new WarmUp();
        Thread t = new Thread(warmUp::run, "start-warm-up");
        t.setDaemon(true);
        t.start();
        return warmUp;
    }

    private void run() {
        try {
            LoggerFactory.getILoggerFactory();
        } catch (RuntimeException | LinkageError e) {
            // the start sets logging up itself, and says what went wrong there
        } finally {
            logging.countDown();
        }
        SlackClients.warmUp();
    }

    /**
     * Waits until logging is set up. A logger asked for on another thread while SLF4J sets up would
     * be a stand-in whose lines SLF4J replays later, with a warning on stderr.
     */
    public void awaitLogging() {
        try {
            logging.await(LOGGING_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
