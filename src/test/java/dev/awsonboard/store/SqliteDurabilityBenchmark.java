package dev.awsonboard.store;

import dev.awsonboard.lifecycle.model.AuditEntry;
import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.lifecycle.model.Status;
import dev.awsonboard.lifecycle.port.Outbox;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Not a test: what SQLite's {@code synchronous=FULL} (every commit on disk before it is answered)
 * costs the writes people wait for, against {@code NORMAL}, on this machine's disk (issue 21). Two
 * database files side by side in one process, one per mode, taking turns of {@code block} writes so
 * that the machine's load of the moment falls on both alike. Each write is the one a slash command's
 * acknowledgement makes (the request and its first audit row, refused if one is open) or a Deny
 * click's (a compare-and-set with what it owes); one writer at a time, then {@code burst} writers at
 * once (the single writer thread batches them into one commit). Prints p50/p99 per write and mode,
 * and FULL's ratio to NORMAL.
 *
 * <pre>
 * mvn -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp target/test-classes:target/classes:$(cat target/cp.txt) dev.awsonboard.store.SqliteDurabilityBenchmark [samples=2000] [block=50] [burst=16] [dir=/tmp]
 * </pre>
 */
public final class SqliteDurabilityBenchmark {
    static final List<String> MODES = List.of("NORMAL", "FULL");
    static final String ACK = "ack write (insert + audit)";
    static final String CLICK = "Deny click write (compare-and-set + owed)";
    static final String ACK_BURST = "ack write, %d writers at once";

    private SqliteDurabilityBenchmark() {
    }

    record Settings(int samples, int block, int burst, Path dir) {
        static Settings parse(String[] args) {
            Map<String, String> kv = new LinkedHashMap<>();
            Arrays.stream(args).map(a -> a.split("=", 2)).filter(p -> p.length == 2).forEach(p -> kv.put(p[0], p[1]));
            return new Settings(Integer.parseInt(kv.getOrDefault("samples", "2000")), Integer.parseInt(kv.getOrDefault("block", "50")),
                    Integer.parseInt(kv.getOrDefault("burst", "16")), Path.of(kv.getOrDefault("dir", System.getProperty("java.io.tmpdir"))));
        }
    }

    /** Microseconds per write, by what was written and the mode. */
    static final class Figures {
        final Map<String, Map<String, List<Long>>> micros = new LinkedHashMap<>();

        void add(String what, String mode, long nanos) {
            micros.computeIfAbsent(what, w -> new LinkedHashMap<>()).computeIfAbsent(mode, m -> new ArrayList<>()).add(nanos / 1_000);
        }

        static long percentile(List<Long> values, double p) {
            List<Long> sorted = values.stream().sorted().toList();
            return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
        }

        void print(PrintStream out) {
            out.printf("%-48s %-7s %8s %8s %8s%n", "write", "mode", "n", "p50 us", "p99 us");
            micros.forEach((what, byMode) -> {
                byMode.forEach((mode, v) -> out.printf("%-48s %-7s %8d %8d %8d%n", what, mode, v.size(), percentile(v, 0.5), percentile(v, 0.99)));
                if (byMode.keySet().containsAll(MODES)) {
                    List<Long> normal = byMode.get("NORMAL");
                    List<Long> full = byMode.get("FULL");
                    out.printf("%-48s FULL/NORMAL p50 %.2fx, p99 %.2fx%n", what,
                            (double) percentile(full, 0.5) / Math.max(1, percentile(normal, 0.5)),
                            (double) percentile(full, 0.99) / Math.max(1, percentile(normal, 0.99)));
                }
            });
        }
    }

    public static void main(String[] args) throws Exception {
        Settings s = Settings.parse(args);
        Figures f = run(s);
        f.print(System.out);
    }

    static Figures run(Settings s) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory(s.dir(), "durability-");
        Map<String, Side> sides = new LinkedHashMap<>();
        Figures f = new Figures();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, s.burst()));
        try {
            for (String mode : MODES) {
                Database db = Database.open("jdbc:sqlite:" + dir.resolve(mode.toLowerCase() + ".db"), mode);
                sides.put(mode, new Side(db, new JdbcRequestStore(db.dataSource(), db.writes())));
            }
            String burst = ACK_BURST.formatted(s.burst());
            for (int done = 0; done < s.samples(); done += s.block()) {
                int n = Math.min(s.block(), s.samples() - done);
                for (String mode : MODES) {
                    Side side = sides.get(mode);
                    for (int i = 0; i < n; i++) {
                        long t0 = System.nanoTime();
                        Request r = side.ack();
                        f.add(ACK, mode, System.nanoTime() - t0);
                        t0 = System.nanoTime();
                        side.deny(r);
                        f.add(CLICK, mode, System.nanoTime() - t0);
                    }
                    List<Future<Long>> all = new ArrayList<>();
                    for (int i = 0; i < n; i++) {
                        all.add(pool.submit(() -> {
                            long t0 = System.nanoTime();
                            side.ack();
                            return System.nanoTime() - t0;
                        }));
                    }
                    for (Future<Long> one : all) {
                        try {
                            f.add(burst, mode, one.get());
                        } catch (java.util.concurrent.ExecutionException e) {
                            throw new IllegalStateException(e.getCause());
                        }
                    }
                }
            }
            return f;
        } finally {
            pool.shutdownNow();
            sides.values().forEach(side -> side.db.close());
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** One database file in one mode, and the writes made on it. */
    private static final class Side {
        private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");
        final Database db;
        final JdbcRequestStore store;
        final AtomicLong ids = new AtomicLong();

        Side(Database db, JdbcRequestStore store) {
            this.db = db;
            this.store = store;
        }

        Request ack() {
            String id = "r-" + ids.incrementAndGet();
            Request r = Request.newRequest(id, "user" + id, "U0TARGET", "U0REQUESTER", List.of("developers"), "joining", T0);
            if (!store.insertUnlessOpen(r, new AuditEntry(id, T0, "U0REQUESTER", "request", "", "ok"),
                    EnumSet.copyOf(Status.PENDING))) {
                throw new IllegalStateException("refused: " + id);
            }
            return r;
        }

        void deny(Request r) {
            Request next = r.withStatus(Status.DENIED, T0.plusSeconds(1));
            if (store.replace(r, next, null, List.of(Outbox.Owed.of(Outbox.Effect.TELL_APPROVERS, Status.DENIED),
                    Outbox.Owed.of(Outbox.Effect.TELL_REQUESTER, Status.DENIED))).isEmpty()) {
                throw new IllegalStateException("lost: " + r.id());
            }
        }
    }
}
