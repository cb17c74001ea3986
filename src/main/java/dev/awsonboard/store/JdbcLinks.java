package dev.awsonboard.store;

import dev.awsonboard.lifecycle.model.Link;
import dev.awsonboard.lifecycle.model.LinkChange;
import dev.awsonboard.lifecycle.port.Links;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

import static dev.awsonboard.store.SqlErrors.failure;

/**
 * {@link Links} in the iam_user_link table (V8): one row per IAM user by its UserId. A change that
 * a request causes is written with it by {@link JdbcRequestStore}, through the same {@link #write}.
 */
public final class JdbcLinks implements Links {
    private static final String COLUMNS = "iam_user_id, account_id, iam_user_name, slack_team_id, slack_user_id, how, made_by, made_at";
    private static final String SELECT = "SELECT " + COLUMNS + " FROM iam_user_link";

    private final DataSource reads;
    private final Writes writes;

    public JdbcLinks(DataSource reads, Writes writes) {
        this.reads = Objects.requireNonNull(reads, "reads");
        this.writes = Objects.requireNonNull(writes, "writes");
    }

    @Override
    public Optional<Link> byUserId(String iamUserId) {
        return query("find link by user id", SELECT + " WHERE iam_user_id = ?", iamUserId).stream().findFirst();
    }

    @Override
    public Optional<Link> byName(String iamUserName) {
        return query("find link by name", SELECT + " WHERE iam_user_name_lower = ?", iamUserName.toLowerCase(Locale.ROOT))
                .stream().findFirst();
    }

    @Override
    public List<Link> ofPerson(String slackUserId) {
        return query("find links of a person", SELECT + " WHERE slack_user_id = ? ORDER BY iam_user_name_lower", slackUserId);
    }

    @Override
    public List<Link> all() {
        return query("list links", SELECT + " ORDER BY iam_user_name_lower", null);
    }

    @Override
    public void apply(LinkChange change) {
        try {
            writes.run(c -> {
                Transactions.atomically(c, () -> write(c, change));
                return null;
            });
        } catch (SQLException e) {
            throw failure("change a link", e);
        }
    }

    /**
     * Writes {@code change} on {@code c}, inside the caller's transaction. A link put for a UserId
     * replaces that id's row and any stale row of the same name (a user deleted and made again
     * outside the bot: IAM names are unique, so the old row's user no longer exists).
     */
    static void write(Connection c, LinkChange change) throws SQLException {
        if (change instanceof LinkChange.Remove remove) {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM iam_user_link WHERE iam_user_id = ?")) {
                ps.setString(1, remove.iamUserId());
                ps.executeUpdate();
            }
            return;
        }
        Link l = ((LinkChange.Put) change).link();
        try (PreparedStatement ps = c.prepareStatement(
                "DELETE FROM iam_user_link WHERE iam_user_id = ? OR iam_user_name_lower = ?")) {
            ps.setString(1, l.iamUserId());
            ps.setString(2, l.iamUserName().toLowerCase(Locale.ROOT));
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO iam_user_link (" + COLUMNS
                + ", iam_user_name_lower) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, l.iamUserId());
            ps.setString(2, l.accountId() == null ? "" : l.accountId());
            ps.setString(3, l.iamUserName());
            ps.setString(4, l.slackTeamId() == null ? "" : l.slackTeamId());
            ps.setString(5, l.slackUserId());
            ps.setString(6, l.how().name());
            ps.setString(7, l.madeBy());
            ps.setString(8, Timestamps.format(l.madeAt()));
            ps.setString(9, l.iamUserName().toLowerCase(Locale.ROOT));
            ps.executeUpdate();
        }
    }

    private List<Link> query(String what, String sql, String param) {
        try (Connection c = reads.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            if (param != null) {
                ps.setString(1, param);
            }
            try (ResultSet rs = ps.executeQuery()) {
                List<Link> links = new ArrayList<>();
                while (rs.next()) {
                    links.add(new Link(rs.getString("account_id"), rs.getString("iam_user_id"), rs.getString("iam_user_name"),
                            rs.getString("slack_team_id"), rs.getString("slack_user_id"), Link.How.valueOf(rs.getString("how")),
                            rs.getString("made_by"), Timestamps.parse(rs.getString("made_at"))));
                }
                return links;
            }
        } catch (SQLException e) {
            throw failure(what, e);
        }
    }
}
