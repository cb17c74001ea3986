package dev.awsonboard.store;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/** The SQLite writer: many callers, one thread, transactions of whatever queued up meanwhile. */
class WritesTest {
    @TempDir
    Path dir;
    Database db;
    Writes writes;
    ExecutorService callers = Executors.newFixedThreadPool(16);

    @BeforeEach
    void open() throws SQLException {
        db = Database.open("jdbc:sqlite:" + dir.resolve("writes.db"));
        writes = db.writes();
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER NOT NULL)");
        }
    }

    @AfterEach
    void close() {
        callers.shutdownNow();
        db.close();
    }

    @Test
    void writesFromManyThreadsAreEachCommittedOnceWithTheirOwnResult() throws Exception {
        List<Future<Integer>> results = new ArrayList<>();
        for (int i = 0; i < 800; i++) {
            String key = "k" + i;
            results.add(callers.submit(() -> writes.run(c -> insert(c, key, 1))));
        }
        for (Future<Integer> r : results) {
            assertThat(r.get(30, TimeUnit.SECONDS)).isEqualTo(1);
        }
        assertThat(count()).isEqualTo(800);
    }

    @Test
    void aStatementAConstraintRefusesFailsAloneAndTheRestOfItsBatchIsCommitted() throws Exception {
        writes.run(c -> insert(c, "taken", 0));
        CountDownLatch writerBusy = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Future<Integer> blocker = callers.submit(() -> writes.run(c -> {
            writerBusy.countDown();
            waitFor(release);
            return insert(c, "first", 1);
        }));
        writerBusy.await();
        Future<Integer> before = callers.submit(() -> writes.run(c -> insert(c, "before", 1)));
        await().atMost(Duration.ofSeconds(10)).until(() -> writes.queued() == 1);
        Future<Integer> refused = callers.submit(() -> writes.run(c -> insert(c, "taken", 1)));
        await().atMost(Duration.ofSeconds(10)).until(() -> writes.queued() == 2);
        Future<Integer> after = callers.submit(() -> writes.run(c -> insert(c, "after", 1)));
        await().atMost(Duration.ofSeconds(10)).until(() -> writes.queued() == 3);

        release.countDown();

        assertThat(blocker.get(10, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(before.get(10, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(after.get(10, TimeUnit.SECONDS)).isEqualTo(1);
        Throwable failure = catchThrowable(() -> refused.get(10, TimeUnit.SECONDS));
        assertThat(failure.getCause()).isInstanceOf(SQLException.class);
        assertThat(SqlErrors.isDuplicateKey((SQLException) failure.getCause())).isTrue();
        assertThat(count()).isEqualTo(4);
    }

    @Test
    void aFailureThatSpoilsTheTransactionLeavesTheOthersInTheBatchToRunOnTheirOwn() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Future<Integer> blocker = holdWriter(release);
        Future<Integer> good = callers.submit(() -> writes.run(c -> insert(c, "good", 1)));
        await().atMost(Duration.ofSeconds(10)).until(() -> writes.queued() == 1);
        Future<Integer> broken = callers.submit(() -> writes.run(c -> {
            try (Statement st = c.createStatement()) {
                return st.executeUpdate("INSERT INTO no_such_table VALUES (1)");
            }
        }));
        await().atMost(Duration.ofSeconds(10)).until(() -> writes.queued() == 2);
        Future<Integer> alsoGood = callers.submit(() -> writes.run(c -> insert(c, "also good", 1)));
        await().atMost(Duration.ofSeconds(10)).until(() -> writes.queued() == 3);

        release.countDown();

        assertThat(blocker.get(10, TimeUnit.SECONDS)).isZero();
        assertThat(good.get(10, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(alsoGood.get(10, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(catchThrowable(() -> broken.get(10, TimeUnit.SECONDS))).hasCauseInstanceOf(SQLException.class)
                .hasMessageContaining("no_such_table");
        assertThat(count()).isEqualTo(2);
    }

    @Test
    void aWriteSomeoneWaitsOnGoesBeforeQueuedBackgroundWritesAndEachKindKeepsItsOrder() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Future<Integer> blocker = holdWriter(release);
        List<String> order = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Future<Integer>> queued = new ArrayList<>();
        // background writes come from lowest-priority threads (the bot's workers), acks' from normal ones
        for (String name : List.of("background 1", "ack 1", "background 2", "ack 2")) {
            int before = writes.queued();
            java.util.concurrent.FutureTask<Integer> write = new java.util.concurrent.FutureTask<>(() -> writes.run(c -> {
                order.add(name);
                return insert(c, name, 1);
            }));
            Thread caller = new Thread(write, name);
            caller.setPriority(name.startsWith("background") ? Thread.MIN_PRIORITY : Thread.NORM_PRIORITY);
            caller.start();
            queued.add(write);
            await().atMost(Duration.ofSeconds(10)).until(() -> writes.queued() == before + 1);
        }

        release.countDown();

        assertThat(blocker.get(10, TimeUnit.SECONDS)).isZero();
        for (Future<Integer> f : queued) {
            assertThat(f.get(10, TimeUnit.SECONDS)).isEqualTo(1);
        }
        assertThat(order).containsExactly("ack 1", "ack 2", "background 1", "background 2");
    }

    @Test
    void closingTheDatabaseWritesWhatIsQueuedFirst() throws Exception {
        CountDownLatch writerBusy = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Future<Integer> blocker = callers.submit(() -> writes.run(c -> {
            writerBusy.countDown();
            waitFor(release);
            return insert(c, "first", 1);
        }));
        writerBusy.await();
        Future<Integer> queued = callers.submit(() -> writes.run(c -> insert(c, "queued", 1)));
        await().atMost(Duration.ofSeconds(10)).until(() -> writes.queued() == 1);
        Future<?> closing = callers.submit(writes::close);

        release.countDown();

        closing.get(10, TimeUnit.SECONDS);
        assertThat(blocker.get(10, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(queued.get(10, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(count()).isEqualTo(2);
        assertThat(catchThrowable(() -> writes.run(c -> insert(c, "late", 1)))).isInstanceOf(SQLException.class);
    }

    @Test
    void anAtomicWriteOnItsOwnLeavesNothingWhenItsSecondStatementIsRefused() throws Exception {
        writes.run(c -> insert(c, "taken", 0));

        Throwable failure = catchThrowable(() -> writes.atomic(c -> insert(c, "first half", 1) + insert(c, "taken", 1)));

        assertThat(failure).isInstanceOf(SQLException.class);
        assertThat(count()).as("the first half went with the second").isEqualTo(1);
        assertThat(writes.<Integer>atomic(c -> insert(c, "a", 1) + insert(c, "b", 1)).intValue()).isEqualTo(2);
        assertThat(count()).isEqualTo(3);
    }

    @Test
    void anAtomicWriteInABatchFallsBackToItsSavepointAndTheRestOfTheBatchStands() throws Exception {
        writes.run(c -> insert(c, "taken", 0));
        CountDownLatch release = new CountDownLatch(1);
        Future<Integer> blocker = holdWriter(release);
        Future<Integer> before = callers.submit(() -> writes.run(c -> insert(c, "before", 1)));
        await().atMost(Duration.ofSeconds(10)).until(() -> writes.queued() == 1);
        Future<Integer> refused = callers.submit(() -> writes.atomic(c -> insert(c, "first half", 1) + insert(c, "taken", 1)));
        await().atMost(Duration.ofSeconds(10)).until(() -> writes.queued() == 2);
        Future<Integer> after = callers.submit(() -> writes.run(c -> insert(c, "after", 1)));
        await().atMost(Duration.ofSeconds(10)).until(() -> writes.queued() == 3);

        release.countDown();

        assertThat(blocker.get(10, TimeUnit.SECONDS)).isZero();
        assertThat(before.get(10, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(after.get(10, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(catchThrowable(() -> refused.get(10, TimeUnit.SECONDS))).hasCauseInstanceOf(SQLException.class);
        assertThat(count()).isEqualTo(3); // taken, before, after: no "first half"
    }

    @Test
    void anAtomicWriteOnPooledConnectionsRollsBackAsAWhole() throws Exception {
        Writes direct = Writes.direct(db.dataSource());
        direct.run(c -> insert(c, "taken", 0));

        assertThat(catchThrowable(() -> direct.atomic(c -> insert(c, "first half", 1) + insert(c, "taken", 1))))
                .isInstanceOf(SQLException.class);

        assertThat(count()).isEqualTo(1);
        assertThat(direct.<Integer>run(c -> insert(c, "auto-commit again", 1)).intValue()).isEqualTo(1);
        assertThat(count()).isEqualTo(2);
    }

    /** A first write that holds the writer until {@code release}, so that the next ones queue up. */
    private Future<Integer> holdWriter(CountDownLatch release) throws InterruptedException {
        CountDownLatch writerBusy = new CountDownLatch(1);
        Future<Integer> blocker = callers.submit(() -> writes.run(c -> {
            writerBusy.countDown();
            waitFor(release);
            return 0;
        }));
        writerBusy.await();
        return blocker;
    }

    private static int insert(Connection c, String key, int value) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO t (k, v) VALUES (?, ?)")) {
            ps.setString(1, key);
            ps.setInt(2, value);
            return ps.executeUpdate();
        }
    }

    private int count() throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM t")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static void waitFor(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
