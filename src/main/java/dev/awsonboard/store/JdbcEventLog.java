package dev.awsonboard.store;

import dev.awsonboard.slack.inbound.EventLog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;

/**
 * {@link EventLog} in the slack_event table (V4). Taking an event is one atomic statement (an
 * insert, or an update of a stale STARTED row), so two replicas never both handle one delivery.
 */
public final class JdbcEventLog implements EventLog {
    private final Writes writes;

    /** @param writes {@link Database#writes()}: taking an event is on the acknowledgement's path, so it queues with every other write rather than contending for SQLite's lock */
    public JdbcEventLog(Writes writes) {
        this.writes = writes;
    }

    @Override
    public boolean start(String eventId, Instant now) {
        try {
            return writes.run(c -> take(c, eventId, now));
        } catch (SQLException e) {
            throw new StoreException("take a Slack event failed", e, false);
        }
    }

    private static boolean take(Connection c, String eventId, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO slack_event (event_id, state, claimed_at) VALUES (?, 'STARTED', ?)")) {
            ps.setString(1, eventId);
            ps.setString(2, Timestamps.format(now));
            ps.executeUpdate();
            return true;
        } catch (SQLException e) {
            if (!SqlErrors.isDuplicateKey(e)) {
                throw e;
            }
        }
        // Seen before: take it over only if that delivery started long ago and never finished.
        try (PreparedStatement ps = c.prepareStatement("UPDATE slack_event SET claimed_at = ? "
                + "WHERE event_id = ? AND state = 'STARTED' AND claimed_at < ?")) {
            ps.setString(1, Timestamps.format(now));
            ps.setString(2, eventId);
            ps.setString(3, Timestamps.format(now.minus(IN_FLIGHT)));
            return ps.executeUpdate() == 1;
        }
    }

    @Override
    public void handled(String eventId) {
        try {
            writes.run(c -> {
                try (PreparedStatement ps = c.prepareStatement("UPDATE slack_event SET state = 'HANDLED' WHERE event_id = ?")) {
                    ps.setString(1, eventId);
                    return ps.executeUpdate();
                }
            });
        } catch (SQLException e) {
            throw new StoreException("mark a Slack event handled failed", e, false);
        }
    }

    @Override
    public int forgetBefore(Instant before) {
        try {
            return writes.run(c -> {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM slack_event WHERE claimed_at < ?")) {
                    ps.setString(1, Timestamps.format(before));
                    return ps.executeUpdate();
                }
            });
        } catch (SQLException e) {
            throw new StoreException("forget old Slack events failed", e, false);
        }
    }
}
