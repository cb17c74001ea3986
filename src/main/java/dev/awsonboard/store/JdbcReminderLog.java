package dev.awsonboard.store;

import dev.awsonboard.lifecycle.port.ReminderLog;
import dev.awsonboard.lifecycle.model.Status;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Objects;
import java.util.Optional;

/**
 * {@link ReminderLog} on the request row's reminder columns (V6). Each write is one statement
 * that compares and sets the counters, atomic on SQLite and PostgreSQL alike; it leaves version
 * and updated_at alone, so it never races the request's own compare-and-set.
 */
public final class JdbcReminderLog implements ReminderLog {
    private final DataSource dataSource;

    public JdbcReminderLog(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    @Override
    public Optional<Reminded> reminded(String requestId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT approval_reminders, setup_reminders, reminded_at FROM onboarding_request WHERE id = ?")) {
            ps.setString(1, requestId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                String at = rs.getString(3);
                return Optional.of(new Reminded(rs.getInt(1), rs.getInt(2), Timestamps.parse(at)));
            }
        } catch (SQLException e) {
            throw new StoreException("read reminders failed" + state(e), e);
        }
    }

    @Override
    public boolean record(String requestId, Status status, Reminded expected, Reminded next) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE onboarding_request "
                     + "SET approval_reminders = ?, setup_reminders = ?, reminded_at = ? "
                     + "WHERE id = ? AND status = ? AND approval_reminders = ? AND setup_reminders = ?")) {
            ps.setLong(1, next.approval());
            ps.setLong(2, next.setup());
            ps.setString(3, Timestamps.format(next.at()));
            ps.setString(4, requestId);
            ps.setString(5, status.name());
            ps.setLong(6, expected.approval());
            ps.setLong(7, expected.setup());
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new StoreException("record reminder failed" + state(e), e);
        }
    }

    private static String state(SQLException e) {
        return e.getSQLState() == null ? "" : " (SQLState " + e.getSQLState() + ")";
    }
}
