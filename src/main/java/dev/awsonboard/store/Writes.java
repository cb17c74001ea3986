package dev.awsonboard.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How a store's writes reach the database. Each write is a short piece of work on a connection;
 * what it returns (or throws) comes back to the caller once it is committed.
 *
 * <p>{@link #direct} runs it on a pooled connection in auto-commit: right for a database that locks
 * rows (PostgreSQL). {@link #serial} is for SQLite, which lets one writer in at a time: a second
 * writer gets SQLITE_BUSY and its busy handler sleeps and retries (1, 2, 5, 10... ms) while holding
 * a pooled connection, and handing a lock from one of sixty-odd request threads to the next costs a
 * trip through the scheduler each time. Instead one thread does every write, taking whatever has
 * queued up meanwhile into one transaction (group commit): a burst of acknowledgements costs one
 * commit, not one lock hand-off per statement, and the pool stays free for readers.
 */
public abstract class Writes implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Writes.class);

    /** One write: statements on {@code c}, which must not commit, roll back or keep {@code c}. */
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** Runs {@code work} and returns what it returned once that is durable (committed). */
    public abstract <T> T run(Work<T> work) throws SQLException;

    /**
     * Runs {@code work} as {@link #run} does, its statements committed together or not at all (a
     * status and the effects it owes): if any of them fails, none of them stays.
     */
    public abstract <T> T atomic(Work<T> work) throws SQLException;

    @Override
    public void close() {
    }

    /** Writes waiting for the writer (tests). */
    int queued() {
        return 0;
    }

    /** Every write on its own pooled connection, in auto-commit. */
    public static Writes direct(DataSource dataSource) {
        return new Writes() {
            @Override
            public <T> T run(Work<T> work) throws SQLException {
                try (Connection c = dataSource.getConnection()) {
                    return work.run(c);
                }
            }

            @Override
            public <T> T atomic(Work<T> work) throws SQLException {
                try (Connection c = dataSource.getConnection()) {
                    c.setAutoCommit(false);
                    try {
                        T result = work.run(c);
                        c.commit();
                        return result;
                    } catch (SQLException | RuntimeException e) {
                        c.rollback();
                        throw e;
                    } finally {
                        c.setAutoCommit(true);
                    }
                }
            }
        };
    }

    /** Every write by one thread, batched into transactions (SQLite). */
    public static Writes serial(DataSource dataSource) {
        return new Serial(dataSource);
    }

    /** Most writes one transaction takes: enough for any burst, small enough to keep each commit short. */
    static final int MAX_BATCH = 256;

    private static final class Serial extends Writes {
        private final DataSource dataSource;
        /**
         * Writes someone is waiting on at that moment (an acknowledgement, on a thread of normal
         * priority) before background ones (lowest-priority threads), then in the order they came:
         * behind a backlog of provisioning writes, an Approve click waited seconds for its turn.
         * Each caller waits for its own write, so no caller's writes are reordered among themselves.
         */
        private final BlockingQueue<Task<?>> queue = new PriorityBlockingQueue<>(64,
                Comparator.comparing((Task<?> t) -> t.background).thenComparingLong(t -> t.seq));
        private final AtomicLong arrivals = new AtomicLong();
        private final Thread writer;
        private volatile boolean closed;

        Serial(DataSource dataSource) {
            this.dataSource = dataSource;
            this.writer = new Thread(this::loop, "sqlite-writer");
            writer.setDaemon(true);
            writer.start();
        }

        @Override
        int queued() {
            return queue.size();
        }

        @Override
        public <T> T run(Work<T> work) throws SQLException {
            return submit(work, false);
        }

        @Override
        public <T> T atomic(Work<T> work) throws SQLException {
            return submit(work, true);
        }

        private <T> T submit(Work<T> work, boolean atomic) throws SQLException {
            if (Thread.currentThread() == writer) {
                throw new IllegalStateException("a write must not wait for another write");
            }
            if (closed) {
                throw new SQLException("the database is closed");
            }
            Task<T> task = new Task<>(work, Thread.currentThread().getPriority() == Thread.MIN_PRIORITY,
                    arrivals.incrementAndGet(), atomic);
            queue.add(task);
            return task.await();
        }

        private void loop() {
            List<Task<?>> batch = new ArrayList<>(MAX_BATCH);
            while (!closed || !queue.isEmpty()) {
                try {
                    Task<?> first = queue.poll(100, TimeUnit.MILLISECONDS);
                    if (first == null) {
                        continue;
                    }
                    batch.add(first);
                    queue.drainTo(batch, MAX_BATCH - 1);
                    write(batch);
                } catch (InterruptedException e) {
                    // close() interrupts only to stop waiting; the queue is drained first
                } catch (RuntimeException | Error e) {
                    // Nothing may stop the writer: every caller would wait for ever.
                    batch.forEach(t -> t.fail(new SQLException("write failed: " + e.getClass().getSimpleName(), e)));
                    log.error("the database writer failed on a batch: {}", e.getClass().getSimpleName(), e);
                } finally {
                    batch.clear();
                }
            }
        }

        /** The batch in one transaction; if anything but a refused statement goes wrong, each on its own. */
        private void write(List<Task<?>> batch) {
            try (Connection c = dataSource.getConnection()) {
                if (batch.size() == 1) {
                    batch.get(0).runAlone(c);
                    return;
                }
                if (inOneTransaction(c, batch)) {
                    return;
                }
                for (Task<?> t : batch) {
                    t.runAlone(c);
                }
            } catch (SQLException e) {
                batch.forEach(t -> t.fail(e)); // no connection at all
            }
        }

        private static boolean inOneTransaction(Connection c, List<Task<?>> batch) throws SQLException {
            try (Statement st = c.createStatement()) {
                // IMMEDIATE takes the write lock up front (waiting busy_timeout for another process), so
                // no statement in the transaction can fail to upgrade a read snapshot (SQLITE_BUSY_SNAPSHOT).
                st.execute("BEGIN IMMEDIATE");
                boolean committed = false;
                try {
                    for (Task<?> t : batch) {
                        if (!t.runInTransaction(c, st)) {
                            return false;
                        }
                    }
                    st.execute("COMMIT");
                    committed = true;
                } catch (SQLException commitFailed) {
                    return false;
                } finally {
                    if (!committed) {
                        rollback(st);
                        batch.forEach(Task::forget);
                    }
                }
            }
            batch.forEach(Task::complete);
            return true;
        }

        private static void rollback(Statement st) {
            try {
                st.execute("ROLLBACK");
            } catch (SQLException e) {
                // no transaction left to roll back: SQLite already ended it
            }
        }

        @Override
        public void close() {
            closed = true;
            writer.interrupt();
            try {
                writer.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Task<?> left;
            while ((left = queue.poll()) != null) {
                left.fail(new SQLException("the database is closed"));
            }
        }
    }

    /** One queued write, and its outcome for the thread waiting on it. */
    private static final class Task<T> {
        private final Work<T> work;
        private final boolean background;
        private final long seq;
        /** Its statements stand or fall together ({@link Writes#atomic}). */
        private final boolean atomic;
        private final CountDownLatch done = new CountDownLatch(1);
        private T result;
        private SQLException failure;

        Task(Work<T> work, boolean background, long seq, boolean atomic) {
            this.work = work;
            this.background = background;
            this.seq = seq;
            this.atomic = atomic;
        }

        /** Runs inside the batch's transaction; false when the transaction can no longer be trusted. */
        boolean runInTransaction(Connection c, Statement st) {
            try {
                if (atomic) {
                    st.execute("SAVEPOINT atomic_write");
                }
                result = work.run(c);
                if (atomic) {
                    st.execute("RELEASE atomic_write");
                }
                return true;
            } catch (SQLException e) {
                if (isRefusedStatement(e)) {
                    // SQLite undid this statement only; the transaction and the others stand. An atomic
                    // write's earlier statements go with it, back to its savepoint.
                    failure = e;
                    return !atomic || rolledBackToSavepoint(st);
                }
                return false;
            } catch (RuntimeException e) {
                return false;
            }
        }

        private static boolean rolledBackToSavepoint(Statement st) {
            try {
                st.execute("ROLLBACK TO atomic_write");
                st.execute("RELEASE atomic_write");
                return true;
            } catch (SQLException e) {
                return false;
            }
        }

        /** The batch was rolled back: this write will be run again on its own. */
        void forget() {
            result = null;
            failure = null;
        }

        void complete() {
            done.countDown();
        }

        /** Runs on its own: in auto-commit, or in a transaction of its own when atomic. */
        void runAlone(Connection c) {
            if (atomic) {
                runAloneAtomically(c);
                return;
            }
            try {
                result = work.run(c);
            } catch (SQLException e) {
                failure = e;
            } catch (RuntimeException e) {
                failure = new SQLException("write failed: " + e.getClass().getSimpleName(), e);
            }
            done.countDown();
        }

        private void runAloneAtomically(Connection c) {
            try (Statement st = c.createStatement()) {
                st.execute("BEGIN IMMEDIATE");
                try {
                    result = work.run(c);
                    st.execute("COMMIT");
                } catch (SQLException | RuntimeException e) {
                    result = null;
                    failure = e instanceof SQLException sql ? sql : new SQLException("write failed: " + e.getClass().getSimpleName(), e);
                    Serial.rollback(st);
                }
            } catch (SQLException e) {
                failure = e; // no transaction could begin
            }
            done.countDown();
        }

        void fail(SQLException e) {
            if (done.getCount() > 0) {
                failure = e;
                done.countDown();
            }
        }

        T await() throws SQLException {
            boolean interrupted = false;
            while (true) {
                try {
                    done.await();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true; // the write is queued; its outcome is still owed
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            if (failure != null) {
                throw failure;
            }
            return result;
        }
    }

    /** A constraint refused one statement: SQLite rolls back that statement alone (ON CONFLICT ABORT). */
    static boolean isRefusedStatement(SQLException e) {
        return e instanceof SQLiteException se && (se.getResultCode().code & 0xff) == SQLiteErrorCode.SQLITE_CONSTRAINT.code;
    }
}
