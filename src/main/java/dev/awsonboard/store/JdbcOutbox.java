package dev.awsonboard.store;

import dev.awsonboard.lifecycle.port.Outbox;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import static dev.awsonboard.store.SqlErrors.failure;
import static dev.awsonboard.store.SqlErrors.isDuplicateKey;

/**
 * {@link Outbox} in the owed_effect table (V10). The request store writes a request's effects with
 * its compare-and-set, in one transaction, through {@link #insert}; everything else goes through
 * here. Reads use the pool, writes {@link Writes}.
 */
public final class JdbcOutbox implements Outbox {
    /** A concurrent owe on PostgreSQL can compute the same seq; retrying recomputes it (as the audit trail). */
    private static final int OWE_ATTEMPTS = 100;

    // seq is computed inside the inserting statement, so no writer slips in between a read of MAX(seq) and the insert.
    private static final String INSERT = "INSERT INTO owed_effect "
            + "(subject, seq, effect, target, detail, recorded_at, due_at, attempts) "
            + "SELECT ?, COALESCE(MAX(seq), 0) + 1, ?, ?, ?, ?, ?, 0 FROM owed_effect WHERE subject = ?";
    private static final String COLUMNS = "subject, seq, effect, target, detail, recorded_at, attempts, due_at";
    /** An entry is named by all that was written once: a seq freed by a settled effect may be taken again. */
    private static final String ENTRY = " WHERE subject = ? AND seq = ? AND effect = ? AND recorded_at = ?";

    private final DataSource dataSource;
    private final Writes writes;

    /** @param writes {@link Database#writes()}, shared by every store on the database */
    public JdbcOutbox(DataSource dataSource, Writes writes) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.writes = Objects.requireNonNull(writes, "writes");
    }

    /** The statements of a write that owes {@code owed}: on {@code c}, inside the caller's transaction, in order. */
    static void insert(Connection c, String subject, List<Owed> owed, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            for (Owed o : owed) {
                ps.setString(1, subject);
                ps.setString(2, o.effect().name());
                ps.setString(3, o.target());
                ps.setString(4, o.detail());
                ps.setString(5, Timestamps.format(now));
                ps.setString(6, Timestamps.format(now));
                ps.setString(7, subject);
                ps.executeUpdate();
            }
        }
    }

    @Override
    public void owe(String subject, List<Owed> owed, Instant now) {
        if (owed.isEmpty()) {
            return;
        }
        for (int attempt = 1; ; attempt++) {
            try {
                writes.atomic(c -> {
                    insert(c, subject, owed, now);
                    return null;
                });
                return;
            } catch (SQLException e) {
                if (attempt >= OWE_ATTEMPTS || !isDuplicateKey(e)) {
                    throw failure("record owed effects", e);
                }
            }
        }
    }

    @Override
    public List<Entry> owedBy(String subject) {
        return query("read owed effects", "SELECT " + COLUMNS + " FROM owed_effect WHERE subject = ? ORDER BY seq", List.of(subject),
                rs -> new Entry(rs.getString(1), rs.getLong(2), Effect.valueOf(rs.getString(3)), rs.getString(4),
                        rs.getString(5), Timestamps.parse(rs.getString(6)), rs.getLong(7), Timestamps.parse(rs.getString(8))));
    }

    @Override
    public List<String> due(Instant now, int limit) {
        return query("find due effects", "SELECT subject FROM owed_effect WHERE due_at <= ? GROUP BY subject "
                + "ORDER BY MIN(recorded_at), subject LIMIT ?", List.of(Timestamps.format(now), limit), rs -> rs.getString(1));
    }

    @Override
    public void settled(Entry e) {
        write("settle an owed effect", "DELETE FROM owed_effect" + ENTRY, List.of(e.subject(), e.seq(), e.effect().name(),
                Timestamps.format(e.recordedAt())));
    }

    @Override
    public void failed(Entry e, String code, Instant retryAt) {
        write("record a failed effect", "UPDATE owed_effect SET attempts = attempts + 1, last_error = ?, due_at = ?" + ENTRY,
                List.of(code == null ? "" : code, Timestamps.format(retryAt), e.subject(), e.seq(), e.effect().name(),
                        Timestamps.format(e.recordedAt())));
    }

    @Override
    public long count(Effect effect) {
        return query("count owed effects", "SELECT COUNT(*) FROM owed_effect WHERE effect = ?", List.of(effect.name()),
                rs -> rs.getLong(1)).get(0);
    }

    private interface Row<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private <T> List<T> query(String what, String sql, List<?> params, Row<T> row) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                List<T> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(row.read(rs));
                }
                return out;
            }
        } catch (SQLException e) {
            throw failure(what, e);
        }
    }

    private void write(String what, String sql, List<?> params) {
        try {
            writes.run(c -> {
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    bind(ps, params);
                    return ps.executeUpdate();
                }
            });
        } catch (SQLException e) {
            throw failure(what, e);
        }
    }

    private static void bind(PreparedStatement ps, List<?> params) throws SQLException {
        for (int i = 0; i < params.size(); i++) {
            ps.setObject(i + 1, params.get(i));
        }
    }
}
