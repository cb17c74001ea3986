package dev.awsonboard.bench;

import java.util.Arrays;

/** Latencies of one kind of request, and their percentiles (nearest rank). */
final class Latencies {
    private final String kind;
    private long[] nanos = new long[1024];
    private int size;

    Latencies(String kind) {
        this.kind = kind;
    }

    synchronized void add(long value) {
        if (size == nanos.length) {
            nanos = Arrays.copyOf(nanos, size * 2);
        }
        nanos[size++] = value;
    }

    synchronized int count() {
        return size;
    }

    String kind() {
        return kind;
    }

    /** The {@code p}-th percentile in milliseconds (p in 0..100); NaN when nothing was recorded. */
    synchronized double percentileMs(double p) {
        if (size == 0) {
            return Double.NaN;
        }
        long[] sorted = Arrays.copyOf(nanos, size);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * size);
        return sorted[Math.max(0, Math.min(size - 1, rank - 1))] / 1e6;
    }

    double maxMs() {
        return percentileMs(100);
    }

    /** {@code kind  n  p50  p95  p99  max} as one aligned line. */
    String line() {
        return line(kind);
    }

    String line(String label) {
        return String.format(java.util.Locale.ROOT, "%-52s n=%6d  p50 %8.2f ms  p95 %8.2f ms  p99 %8.2f ms  max %8.2f ms", label, count(),
                percentileMs(50), percentileMs(95), percentileMs(99), maxMs());
    }
}
