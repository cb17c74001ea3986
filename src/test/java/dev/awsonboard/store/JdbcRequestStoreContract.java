package dev.awsonboard.store;

import dev.awsonboard.lifecycle.model.AuditEntry;
import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.lifecycle.model.Status;
import dev.awsonboard.lifecycle.port.Outbox;
import dev.awsonboard.lifecycle.port.RequestStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@link RequestStore} contract run against {@link JdbcRequestStore} on a real database, plus
 * what a database adds: requests outlive the process, migrations run once. One subclass per
 * database: it only says where that database is ({@link #jdbcUrl()}) and adds what only that
 * database needs: {@link SqliteRequestStoreTest} (a file in a temporary directory) and
 * {@link PostgresRequestStoreTest} (a fresh schema on a real server).
 */
public abstract class JdbcRequestStoreContract extends RequestStoreContract {
    /** Thread-safe: a test may start several "replicas" at once. */
    private final List<Database> opened = new CopyOnWriteArrayList<>();

    /** A database private to the running test; the same URL every time within one test. */
    protected abstract String jdbcUrl();

    /** Opens (and migrates) the test's database; closed after the test. */
    protected Database openDatabase() {
        Database db = Database.open(jdbcUrl());
        opened.add(db);
        return db;
    }

    @Override
    protected RequestStore newStore() {
        Database db = openDatabase();
        // As the bot builds it: writes through the database's own path (one writer thread on SQLite).
        return new JdbcRequestStore(db.dataSource(), db.writes());
    }

    @Override
    protected Outbox outbox() {
        Database db = openDatabase();
        return new JdbcOutbox(db.dataSource(), db.writes());
    }

    @Override
    protected void assertKeyClash(Throwable failure) {
        assertThat(failure).isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.isDuplicateKey()).isTrue());
    }

    @AfterEach
    void closeDatabases() {
        opened.forEach(Database::close);
    }

    @Test
    void requestsAndAuditTrailSurviveReopeningTheDatabase() {
        Database first = openDatabase();
        RequestStore before = new JdbcRequestStore(first.dataSource(), first.writes());
        Request original = newRequest("r-restart", "alice");
        before.insert(original);
        Request approved = before.replace(original, original.withStatus(Status.APPROVED, T0)).orElseThrow();
        AuditEntry entry = new AuditEntry("r-restart", T0, "U0APP", "approve", null, "ok");
        before.audit(entry);
        first.close();

        RequestStore after = newStore();

        assertThat(after.find("r-restart")).contains(approved);
        assertThat(after.findByStatus(Status.RESUMABLE)).containsExactly(approved);
        assertThat(after.auditTrail("r-restart")).containsExactly(entry);
        // The version survived too: a stale writer from before the restart still loses.
        assertThat(after.replace(original, original.withStatus(Status.DENIED, T0))).isEmpty();
    }

    @Test
    void reopeningTheDatabaseAppliesNoMigrationTwice() throws SQLException {
        Database first = openDatabase();
        List<String> appliedFirst = appliedMigrations(first);
        first.close();

        Database second = openDatabase();
        List<String> appliedSecond = appliedMigrations(second);
        second.close();
        Database third = openDatabase();

        assertThat(appliedFirst).contains("1");
        assertThat(appliedSecond).isEqualTo(appliedFirst);
        assertThat(appliedMigrations(third)).isEqualTo(appliedFirst).doesNotHaveDuplicates();
    }
    /** Versions recorded as successfully applied in Flyway's history table, in order. */
    private static List<String> appliedMigrations(Database db) throws SQLException {
        try (Connection c = db.dataSource().getConnection();
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT version, success FROM flyway_schema_history ORDER BY installed_rank")) {
            List<String> versions = new ArrayList<>();
            while (rs.next()) {
                if (rs.getString("version") != null && rs.getBoolean("success")) {
                    versions.add(rs.getString("version"));
                }
            }
            return versions;
        }
    }
}
