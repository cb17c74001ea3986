package dev.awsonboard.store;

import dev.awsonboard.lifecycle.model.AuditEntry;
import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.lifecycle.model.Step;
import dev.awsonboard.lifecycle.port.RequestStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The contract on an SQLite file in a temporary directory, plus what only SQLite needs. */
class SqliteRequestStoreTest extends JdbcRequestStoreContract {
    @TempDir
    Path dir;

    /** A directory that does not exist yet, as on a first start with the default ./data/ path. */
    private Path dbFile() {
        return dir.resolve("data").resolve("aws-onboard.db");
    }

    @Override
    protected String jdbcUrl() {
        return "jdbc:sqlite:" + dbFile();
    }

    @Test
    void aRequestAndItsFirstAuditEntryGoToTheWriterAsOneWrite() {
        Database db = openDatabase();
        java.util.concurrent.atomic.AtomicInteger writes = new java.util.concurrent.atomic.AtomicInteger();
        Writes counting = new Writes() {
            @Override
            public <T> T run(Work<T> work) throws SQLException {
                writes.incrementAndGet();
                return db.writes().run(work);
            }

            @Override
            public <T> T atomic(Work<T> work) throws SQLException {
                writes.incrementAndGet();
                return db.writes().atomic(work);
            }
        };
        RequestStore store = new JdbcRequestStore(db.dataSource(), counting);

        store.insert(newRequest("r-one", "erin"), new AuditEntry("r-one", T0, "U0REQUESTER", "request", "", "ok"));

        assertThat(writes).hasValue(1);
        assertThat(store.auditTrail("r-one")).hasSize(1);
    }

    /**
     * Two processes on one file (two replicas, or a replica and a one-off command): a compare-and-set
     * reads the row before it writes, so unless its transaction takes the write lock up front, the other
     * process's commit in between fails it at once with SQLITE_BUSY instead of waiting its turn.
     */
    @Test
    void compareAndSetsFromTwoProcessesOnOneFileWaitForEachOtherInsteadOfFailing() throws Exception {
        Database one = openDatabase();
        Database other = openDatabase();
        List<RequestStore> stores = List.of(new JdbcRequestStore(one.dataSource(), one.writes()),
                new JdbcRequestStore(other.dataSource(), other.writes()));
        int perStore = 4;
        int changes = 60;
        for (int i = 0; i < 2 * perStore; i++) {
            stores.get(0).insert(newRequest("r-" + i, "user" + i));
        }
        ExecutorService pool = Executors.newFixedThreadPool(2 * perStore);
        try {
            List<Future<Request>> done = new ArrayList<>();
            for (int i = 0; i < 2 * perStore; i++) {
                RequestStore store = stores.get(i % 2);
                String id = "r-" + i;
                done.add(pool.submit(() -> {
                    Request r = store.find(id).orElseThrow();
                    for (int n = 0; n < changes; n++) {
                        Step step = n % 2 == 0 ? Step.USER_CREATED : Step.NONE;
                        r = store.replace(r, r.withStep(step, T0.plusSeconds(n))).orElseThrow();
                    }
                    return r;
                }));
            }
            for (Future<Request> f : done) {
                assertThat(f.get().version()).isEqualTo(changes);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void openingCreatesTheMissingDirectoryAndTheFile() {
        assertThat(dbFile().getParent()).doesNotExist();

        openDatabase();

        assertThat(Files.isRegularFile(dbFile())).isTrue();
    }

    @Test
    void connectionsUseWriteAheadLogAndABusyTimeout() throws SQLException {
        Database db = openDatabase();
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("PRAGMA journal_mode")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualToIgnoringCase("wal");
            }
            try (ResultSet rs = s.executeQuery("PRAGMA busy_timeout")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(Database.SQLITE_BUSY_TIMEOUT_MS);
            }
        }
    }

    @Test
    void everyCommitIsOnDiskBeforeItIsAnsweredSoAHostCrashLosesNothingAcknowledged() throws SQLException {
        Database db = openDatabase();
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("PRAGMA synchronous")) {
            rs.next();
            assertThat(rs.getInt(1)).as("FULL").isEqualTo(2);
        }
    }

    @Test
    void inMemoryDatabaseKeepsDataAcrossConnections() {
        try (Database db = Database.open("jdbc:sqlite::memory:")) {
            RequestStore store = new JdbcRequestStore(db.dataSource());
            store.insert(newRequest("r-mem", "alice"));

            assertThat(store.find("r-mem")).isPresent();
        }
    }

    @Test
    void loggedUrlCarriesNoCredentials() {
        assertThat(Database.redact("jdbc:postgresql://onboard:s3cret@db.internal:5432/onboard?ssl=true&password=s3cret&sslpassword=k3y"))
                .isEqualTo("jdbc:postgresql://db.internal:5432/onboard?ssl=true&password=*****&sslpassword=*****")
                .doesNotContain("s3cret").doesNotContain("k3y");
        assertThat(Database.redact("jdbc:postgresql://db/onboard?user=bot&Password=x")).isEqualTo("jdbc:postgresql://db/onboard?user=bot&Password=*****");
        assertThat(Database.redact("jdbc:sqlite:./data/aws-onboard.db")).isEqualTo("jdbc:sqlite:./data/aws-onboard.db");
    }

    @Test
    void failureToOpenKeepsCredentialsOutOfTheMessageAndItsCauses() {
        String url = "jdbc:nosuchdb://onboard:s3cret@db.internal/onboard?password=s3cret";

        assertThatThrownBy(() -> Database.open(url))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("jdbc:nosuchdb://db.internal/onboard?password=*****")
                .satisfies(e -> {
                    assertThat(e.getCause()).isNotNull();
                    for (Throwable t = e; t != null; t = t.getCause()) {
                        assertThat(String.valueOf(t.getMessage())).doesNotContain("s3cret");
                    }
                });
    }
}
