package dev.awsonboard.store;

import dev.awsonboard.lifecycle.model.AuditEntry;
import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.lifecycle.model.Status;
import dev.awsonboard.lifecycle.port.Outbox;
import dev.awsonboard.lifecycle.port.RequestStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.flywaydb.core.Flyway;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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

    /** After every test, whatever it wrote or failed to: the counts the store keeps are what counting the requests says. */
    @AfterEach
    void closeDatabases() throws SQLException {
        try {
            if (!opened.isEmpty()) {
                try (Database db = Database.open(jdbcUrl())) {
                    assertThat(rows(db, "SELECT status, requests FROM request_status_count WHERE requests <> 0"))
                            .as("requests per status").isEqualTo(rows(db, "SELECT status, COUNT(*) FROM onboarding_request GROUP BY status"));
                    assertThat(rows(db, "SELECT changed_day || ' ' || status, requests FROM request_change_day WHERE requests <> 0"))
                            .as("requests per day of their last change and status").isEqualTo(rows(db,
                                    "SELECT substr(updated_at, 1, 10) || ' ' || status, COUNT(*) FROM onboarding_request "
                                            + "GROUP BY substr(updated_at, 1, 10), status"));
                    assertThat(rows(db, "SELECT changed_hour || ' ' || status, requests FROM request_change_count WHERE requests <> 0"))
                            .as("requests per hour of their last change and status").isEqualTo(rows(db,
                                    "SELECT substr(updated_at, 1, 13) || ' ' || status, COUNT(*) FROM onboarding_request "
                                            + "GROUP BY substr(updated_at, 1, 13), status"));
                }
            }
        } finally {
            opened.forEach(Database::close);
        }
    }

    /** A two-column result as key -> number. */
    private static Map<String, Long> rows(Database db, String sql) throws SQLException {
        Map<String, Long> out = new TreeMap<>();
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getLong(2));
            }
        }
        return out;
    }

    /** An upgrade: the requests already stored are counted by the migration that brings the counts. */
    @Test
    void requestsStoredBeforeTheCountsExistedAreCountedByTheUpgrade() throws Exception {
        String file = jdbcUrl().startsWith("jdbc:sqlite:") ? Database.sqliteFilePath(jdbcUrl()) : null;
        if (file != null) {
            java.nio.file.Files.createDirectories(java.nio.file.Path.of(file).toAbsolutePath().getParent());
        }
        Flyway.configure().dataSource(jdbcUrl(), null, null).locations("classpath:db/migration").target("9").load().migrate();
        Instant hour = T0.truncatedTo(ChronoUnit.HOURS);
        try (Connection c = DriverManager.getConnection(jdbcUrl());
             PreparedStatement ps = c.prepareStatement("INSERT INTO onboarding_request (id, status, step, iam_user_name, "
                     + "iam_user_name_lower, groups_json, reason, approval_messages_json, created_at, updated_at, version) "
                     + "VALUES (?, ?, 'NONE', ?, ?, '[]', '', '[]', ?, ?, 0)")) {
            String[][] rows = {{"DONE", "0"}, {"DONE", "1"}, {"DONE", "3601"}, {"FAILED", "7200"}, {"REQUESTED", "7300"}};
            for (int i = 0; i < rows.length; i++) {
                ps.setString(1, "r-old" + i);
                ps.setString(2, rows[i][0]);
                ps.setString(3, "old" + i);
                ps.setString(4, "old" + i);
                ps.setString(5, Timestamps.format(hour));
                ps.setString(6, Timestamps.format(hour.plusSeconds(Long.parseLong(rows[i][1]))));
                ps.executeUpdate();
            }
        }

        RequestStore store = newStore();
        Request waiting = store.find("r-old4").orElseThrow();
        store.replace(waiting, waiting.withStatus(Status.APPROVED, hour.plusSeconds(7400))).orElseThrow();

        assertThat(store.countByStatus()).containsEntry(Status.DONE, 3L).containsEntry(Status.FAILED, 1L)
                .containsEntry(Status.APPROVED, 1L).containsEntry(Status.REQUESTED, 0L);
        assertThat(store.countUpdatedSince(hour.plusSeconds(1))).containsEntry(Status.DONE, 2L).containsEntry(Status.FAILED, 1L)
                .containsEntry(Status.APPROVED, 1L);
        assertThat(store.countUpdatedSince(hour.plusSeconds(3602))).containsEntry(Status.DONE, 0L).containsEntry(Status.FAILED, 1L);
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
