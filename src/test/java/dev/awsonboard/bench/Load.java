package dev.awsonboard.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

/**
 * Sends requests to the bot over a fixed number of kept-alive connections, one thread each, and
 * records how long each took to be answered.
 *
 * <p>Open loop ({@code rate > 0}): request {@code i} is due at {@code start + i / rate} whatever
 * happened before, and its latency counts from when it was due, so time spent queued behind a
 * slow answer is counted rather than hidden (no coordinated omission). Closed loop
 * ({@code rate <= 0}): every connection sends its next request as soon as the last was answered,
 * which measures throughput.
 */
final class Load {
    /** One request: built just before it is due (signing and all), then sent. */
    interface Job {
        Prepared prepare();
    }

    /** A request ready to go out. */
    record Prepared(String contentType, byte[] body, String... headers) {
    }

    /** What a run did: every answer in job order (null where sending failed), and their latencies. */
    record Result(String kind, List<Connection.Answer> answers, Latencies latencies, int refused, int failed, long elapsedNanos) {
        int acked() {
            return answers.size() - refused - failed;
        }

        double perSecond() {
            return acked() / (elapsedNanos / 1e9);
        }
    }

    private Load() {
    }

    /**
     * @param accepted whether an answer is the ack this kind should get (200 and the right words); others count as refused
     */
    static Result run(String kind, String host, int port, int connections, double rate, List<? extends Job> jobs,
                      Predicate<Connection.Answer> accepted) {
        int n = jobs.size();
        AtomicReferenceArray<Connection.Answer> answers = new AtomicReferenceArray<>(n);
        long[] nanos = new long[n];
        AtomicInteger failed = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        int threads = Math.max(1, Math.min(connections, n));
        CountDownLatch done = new CountDownLatch(threads);
        long start = System.nanoTime() + 20_000_000; // every thread ready before the first request is due
        double gap = rate > 0 ? 1e9 / rate : 0;
        for (int k = 0; k < threads; k++) {
            int first = k;
            Thread t = new Thread(() -> {
                try (Connection c = new Connection(host, port)) {
                    for (int i = first; i < n; i += threads) {
                        Prepared p = jobs.get(i).prepare();
                        long due;
                        if (rate > 0) {
                            due = start + (long) (i * gap);
                            long wait = due - System.nanoTime();
                            if (wait > 0) {
                                LockSupport.parkNanos(wait);
                                while (System.nanoTime() < due) {
                                    Thread.onSpinWait();
                                }
                            }
                        } else {
                            due = System.nanoTime();
                        }
                        try {
                            Connection.Answer a = c.post("/slack/events", p.contentType(), p.body(), p.headers());
                            nanos[i] = System.nanoTime() - due;
                            answers.set(i, a);
                            if (!accepted.test(a)) {
                                refused.incrementAndGet();
                            }
                        } catch (IOException e) {
                            nanos[i] = -1;
                            failed.incrementAndGet();
                        }
                    }
                } finally {
                    done.countDown();
                }
            }, "load-" + kind + "-" + k);
            t.setDaemon(true);
            t.start();
        }
        try {
            done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        long elapsed = System.nanoTime() - start;
        List<Connection.Answer> all = new ArrayList<>(n);
        Latencies latencies = new Latencies(kind);
        for (int i = 0; i < n; i++) {
            all.add(answers.get(i));
            if (nanos[i] >= 0 && answers.get(i) != null) {
                latencies.add(nanos[i]);
            }
        }
        return new Result(kind, Collections.unmodifiableList(all), latencies, refused.get(), failed.get(), elapsed);
    }
}
