package dev.awsonboard.store;

import dev.awsonboard.lifecycle.port.FileDeletions;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** {@link FileDeletions} in the pending_file_deletion table (V4); one auto-commit statement each. */
public final class JdbcFileDeletions implements FileDeletions {
    private final DataSource dataSource;

    public JdbcFileDeletions(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public void owe(String fileId, String requestId, Instant now) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO pending_file_deletion (file_id, request_id, recorded_at, attempts) "
                     + "SELECT ?, ?, ?, 0 WHERE NOT EXISTS (SELECT 1 FROM pending_file_deletion WHERE file_id = ?)")) {
            ps.setString(1, fileId);
            ps.setString(2, requestId);
            ps.setString(3, Timestamps.format(now));
            ps.setString(4, fileId);
            ps.executeUpdate();
        } catch (SQLException e) {
            if (!SqlErrors.isDuplicateKey(e)) { // a concurrent owe of the same file: owed either way
                throw new StoreException("record a file deletion failed", e, false);
            }
        }
    }

    @Override
    public void settled(String fileId) {
        update("DELETE FROM pending_file_deletion WHERE file_id = ?", fileId);
    }

    @Override
    public void failed(String fileId, String code) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "UPDATE pending_file_deletion SET attempts = attempts + 1, last_error = ? WHERE file_id = ?")) {
            ps.setString(1, code);
            ps.setString(2, fileId);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("record a failed file deletion failed", e, false);
        }
    }

    @Override
    public List<Owed> owed() {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT file_id, request_id, recorded_at, attempts FROM pending_file_deletion ORDER BY recorded_at, file_id");
             ResultSet rs = ps.executeQuery()) {
            List<Owed> out = new ArrayList<>();
            while (rs.next()) {
                out.add(new Owed(rs.getString(1), rs.getString(2), Timestamps.parse(rs.getString(3)), rs.getLong(4)));
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException("read owed file deletions failed", e, false);
        }
    }

    private void update(String sql, String fileId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, fileId);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("update file deletions failed", e, false);
        }
    }
}
