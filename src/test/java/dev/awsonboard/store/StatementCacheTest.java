package dev.awsonboard.store;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.jdbc3.JDBC3PreparedStatement;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** SQLite statements kept per connection: reused, and each use starts clean. */
class StatementCacheTest {
    @TempDir
    Path dir;
    Database db;

    @BeforeEach
    void open() throws SQLException {
        db = Database.open("jdbc:sqlite:" + dir.resolve("cache.db"));
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER NOT NULL)");
            st.execute("INSERT INTO t VALUES ('a', 1), ('b', 2), ('c', 3)");
        }
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void theSameSqlOnTheSameConnectionIsPreparedOnce() throws SQLException {
        try (Connection c = db.dataSource().getConnection()) {
            Object first;
            try (PreparedStatement ps = c.prepareStatement("SELECT v FROM t WHERE k = ?")) {
                first = ps.unwrap(JDBC3PreparedStatement.class);
                ps.setString(1, "a");
                assertThat(single(ps)).isEqualTo(1);
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT v FROM t WHERE k = ?")) {
                assertThat(ps.unwrap(JDBC3PreparedStatement.class)).isSameAs(first);
                ps.setString(1, "b");
                assertThat(single(ps)).isEqualTo(2);
            }
        }
    }

    @Test
    void aReusedStatementStartsWithoutTheLastUsesParameters() throws SQLException {
        try (Connection c = db.dataSource().getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT ?")) {
                ps.setString(1, "left over");
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT ?"); ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertThat(rs.getString(1)).isNull();
            }
        }
    }

    @Test
    void closingAStatementEndsTheReadOfAResultSetLeftOpen() throws SQLException {
        try (Connection reader = db.dataSource().getConnection()) {
            PreparedStatement ps = reader.prepareStatement("SELECT v FROM t ORDER BY k");
            ResultSet rs = ps.executeQuery();
            assertThat(rs.next()).isTrue(); // a read in progress holds the WAL
            try (Connection other = db.dataSource().getConnection(); Statement st = other.createStatement()) {
                st.execute("INSERT INTO t VALUES ('d', 4)");
                assertThat(checkpointBlocked(st)).as("while the read is open").isTrue();
                ps.close();
                assertThat(rs.isClosed()).isTrue();
                assertThat(checkpointBlocked(st)).as("once the statement is closed").isFalse();
            }
        }
    }

    @Test
    void theSameSqlAgainWhileTheFirstIsOpenGetsAStatementOfItsOwn() throws SQLException {
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement outer = c.prepareStatement("SELECT v FROM t WHERE k >= ? ORDER BY k")) {
            outer.setString(1, "a");
            int sum = 0;
            try (ResultSet rs = outer.executeQuery()) {
                while (rs.next()) {
                    try (PreparedStatement inner = c.prepareStatement("SELECT v FROM t WHERE k >= ? ORDER BY k")) {
                        assertThat(inner.unwrap(JDBC3PreparedStatement.class)).isNotSameAs(outer.unwrap(JDBC3PreparedStatement.class));
                        inner.setString(1, "c");
                        assertThat(single(inner)).isEqualTo(3);
                    }
                    sum += rs.getInt(1);
                }
            }
            assertThat(sum).as("the outer query read to its end").isEqualTo(6);
        }
    }

    @Test
    void aClosedStatementRefusesToRunAgain() throws SQLException {
        try (Connection c = db.dataSource().getConnection()) {
            PreparedStatement ps = c.prepareStatement("SELECT v FROM t");
            ps.close();
            assertThat(ps.isClosed()).isTrue();
            assertThat(catchThrowable(ps::executeQuery)).isInstanceOf(SQLException.class).hasMessageContaining("closed");
        }
    }

    @Test
    void aConnectionKeepsAtMostItsBoundOfStatements() throws SQLException {
        StatementCache cache = db.dataSource().unwrap(StatementCache.class);
        try (Connection c = db.dataSource().getConnection()) {
            for (int i = 0; i < StatementCache.PER_CONNECTION + 10; i++) {
                try (PreparedStatement ps = c.prepareStatement("SELECT " + i)) {
                    assertThat(single(ps)).isEqualTo(i);
                }
            }
        }
        assertThat(cache.size()).isEqualTo(StatementCache.PER_CONNECTION);
    }

    @Test
    void writesThroughCachedStatementsAreCommitted() throws Exception {
        for (int i = 0; i < 50; i++) {
            String key = "w" + i;
            db.writes().run(c -> {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO t (k, v) VALUES (?, ?)")) {
                    ps.setString(1, key);
                    ps.setInt(2, 10);
                    return ps.executeUpdate();
                }
            });
        }
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM t WHERE v = 10")) {
            assertThat(single(ps)).isEqualTo(50);
        }
    }

    private static int single(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            assertThat(rs.next()).isTrue();
            return rs.getInt(1);
        }
    }

    /** True when a reader keeps SQLite from moving the whole WAL into the database (PASSIVE: never waits). */
    private static boolean checkpointBlocked(Statement st) throws SQLException {
        try (ResultSet rs = st.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
            rs.next();
            return rs.getInt(3) < rs.getInt(2); // frames moved < frames in the log
        }
    }
}
