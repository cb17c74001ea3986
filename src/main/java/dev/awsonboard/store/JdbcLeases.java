package dev.awsonboard.store;

import dev.awsonboard.lifecycle.port.Leases;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Objects;

import static dev.awsonboard.store.SqlErrors.failure;

/**
 * {@link Leases} in the request_lease table (V2). A claim is one write of two statements, each
 * atomic on its own: take over a lease that is ours or expired, else create it; a concurrent
 * creator makes the insert clash on the key, and then the other one holds it.
 */
public final class JdbcLeases implements Leases {
    /** Where every write goes (one writer thread on SQLite, see {@link Writes}). */
    private final Writes writes;

    /** @param writes {@link Database#writes()}, shared by every store on the database */
    public JdbcLeases(Writes writes) {
        this.writes = Objects.requireNonNull(writes, "writes");
    }

    @Override
    public boolean claim(String requestId, String owner, Instant now, Instant until) {
        try {
            return writes.run(c -> claim(c, requestId, owner, now, until));
        } catch (SQLException e) {
            throw failure("claim request lease", e);
        }
    }

    private static boolean claim(Connection c, String requestId, String owner, Instant now, Instant until) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE request_lease SET owner = ?, expires_at = ? "
                + "WHERE request_id = ? AND (owner = ? OR expires_at < ?)")) {
            ps.setString(1, owner);
            ps.setString(2, Timestamps.format(until));
            ps.setString(3, requestId);
            ps.setString(4, owner);
            ps.setString(5, Timestamps.format(now));
            if (ps.executeUpdate() == 1) {
                return true;
            }
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO request_lease (request_id, owner, expires_at) VALUES (?, ?, ?)")) {
            ps.setString(1, requestId);
            ps.setString(2, owner);
            ps.setString(3, Timestamps.format(until));
            ps.executeUpdate();
            return true;
        } catch (SQLException e) {
            if (SqlErrors.isDuplicateKey(e)) {
                return false; // someone else holds it
            }
            throw e;
        }
    }

    @Override
    public boolean renew(String key, String owner, Instant now, Instant until) {
        try {
            return writes.run(c -> {
                try (PreparedStatement ps = c.prepareStatement("UPDATE request_lease SET expires_at = ? WHERE request_id = ? AND owner = ?")) {
                    ps.setString(1, Timestamps.format(until));
                    ps.setString(2, key);
                    ps.setString(3, owner);
                    return ps.executeUpdate() == 1;
                }
            });
        } catch (SQLException e) {
            throw failure("renew request lease", e);
        }
    }

    @Override
    public boolean held(String key, Instant now) {
        try {
            // A read, through the one way this adapter reaches the database.
            return writes.run(c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM request_lease WHERE request_id = ? AND expires_at >= ?")) {
                    ps.setString(1, key);
                    ps.setString(2, Timestamps.format(now));
                    try (java.sql.ResultSet rs = ps.executeQuery()) {
                        return rs.next();
                    }
                }
            });
        } catch (SQLException e) {
            throw failure("read request lease", e);
        }
    }

    @Override
    public void release(String requestId, String owner) {
        try {
            writes.run(c -> {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM request_lease WHERE request_id = ? AND owner = ?")) {
                    ps.setString(1, requestId);
                    ps.setString(2, owner);
                    return ps.executeUpdate();
                }
            });
        } catch (SQLException e) {
            throw failure("release request lease", e);
        }
    }
}
