package dev.awsonboard.store;

import dev.awsonboard.lifecycle.port.OneTimeSteps;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Objects;

import static dev.awsonboard.store.SqlErrors.failure;

/** {@link OneTimeSteps} in the one_time_step table (V8). */
public final class JdbcOneTimeSteps implements OneTimeSteps {
    private final DataSource reads;
    private final Writes writes;

    public JdbcOneTimeSteps(DataSource reads, Writes writes) {
        this.reads = Objects.requireNonNull(reads, "reads");
        this.writes = Objects.requireNonNull(writes, "writes");
    }

    @Override
    public boolean isDone(String name) {
        try (Connection c = reads.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT 1 FROM one_time_step WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw failure("read a one-time step", e);
        }
    }

    @Override
    public void markDone(String name, Instant at) {
        try {
            writes.run(c -> {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO one_time_step (name, done_at) VALUES (?, ?)")) {
                    ps.setString(1, name);
                    ps.setString(2, Timestamps.format(at));
                    return ps.executeUpdate();
                } catch (SQLException e) {
                    if (SqlErrors.isDuplicateKey(e)) {
                        return 0; // another replica recorded it first
                    }
                    throw e;
                }
            });
        } catch (SQLException e) {
            throw failure("record a one-time step", e);
        }
    }
}
