package dev.awsonboard.web;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What GET /readyz answers: every dependency check passed, or which failed and why (a short
 * code, never a secret). Each check runs with a time limit; a check may be cached (Slack's
 * auth.test is, so probes do not hammer Slack).
 */
public final class Readiness implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Readiness.class);
    private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(3);

    /** One dependency check: empty when healthy, else a short reason. */
    public interface Check {
        Optional<String> problem() throws Exception;
    }

    public record Result(boolean ready, Map<String, String> problems) {
        public String text() {
            if (ready) {
                return "ready";
            }
            List<String> lines = new ArrayList<>();
            problems.forEach((name, why) -> lines.add(name + ": " + why));
            return "not ready\n" + String.join("\n", lines);
        }
    }

    private final Map<String, Check> checks = new LinkedHashMap<>();
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "readyz-check");
        t.setDaemon(true);
        return t;
    });

    public Readiness add(String name, Check check) {
        checks.put(name, check);
        return this;
    }

    public Result check() {
        Map<String, Future<Optional<String>>> running = new LinkedHashMap<>();
        checks.forEach((name, check) -> running.put(name, executor.submit(check::problem)));
        Map<String, String> problems = new LinkedHashMap<>();
        long deadline = System.nanoTime() + CHECK_TIMEOUT.toNanos();
        running.forEach((name, future) -> {
            try {
                future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS).ifPresent(p -> problems.put(name, p));
            } catch (TimeoutException e) {
                future.cancel(true);
                problems.put(name, "timed out");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                problems.put(name, "interrupted");
            } catch (Exception e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                problems.put(name, cause.getClass().getSimpleName());
            }
        });
        if (!problems.isEmpty()) {
            log.warn("not ready: {}", problems);
        }
        return new Result(problems.isEmpty(), Map.copyOf(problems));
    }

    /**
     * Remembers {@code check}'s answer: a pass for {@code okFor}, a failure for {@code failedFor}
     * (shorter, so recovery shows soon), by {@code clock}.
     */
    public static Check cached(Check check, Clock clock, Duration okFor, Duration failedFor) {
        return new Check() {
            private Optional<String> last;
            private Instant until = Instant.MIN;

            @Override
            public synchronized Optional<String> problem() throws Exception {
                Instant now = clock.instant();
                if (last != null && now.isBefore(until)) {
                    return last;
                }
                Optional<String> answer;
                try {
                    answer = check.problem();
                } catch (Exception e) {
                    answer = Optional.of(e.getClass().getSimpleName());
                }
                last = answer;
                until = now.plus(answer.isEmpty() ? okFor : failedFor);
                return answer;
            }
        };
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
