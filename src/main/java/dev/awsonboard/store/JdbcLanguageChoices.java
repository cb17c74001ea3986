package dev.awsonboard.store;

import dev.awsonboard.slack.language.LanguageChoices;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Locale;
import java.util.Optional;

/** {@link LanguageChoices} in the {@code person_preferences} table (V5). */
public final class JdbcLanguageChoices implements LanguageChoices {
    // One statement, atomic on both databases; SQLite (3.24+) and PostgreSQL (9.5+) share this upsert syntax.
    private static final String UPSERT = "INSERT INTO person_preferences (slack_user_id, language, updated_at) VALUES (?, ?, ?) "
            + "ON CONFLICT (slack_user_id) DO UPDATE SET language = excluded.language, updated_at = excluded.updated_at";

    private final DataSource dataSource;
    private final Clock clock;

    public JdbcLanguageChoices(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    @Override
    public Optional<Locale> chosen(String slackUserId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT language FROM person_preferences WHERE slack_user_id = ?")) {
            ps.setString(1, slackUserId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || rs.getString(1) == null) {
                    return Optional.empty();
                }
                return Optional.of(Locale.forLanguageTag(rs.getString(1)));
            }
        } catch (SQLException e) {
            throw failure("read a language choice", e);
        }
    }

    @Override
    public void choose(String slackUserId, Optional<Locale> language) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(UPSERT)) {
            ps.setString(1, slackUserId);
            ps.setString(2, language.map(Locale::toLanguageTag).orElse(null));
            ps.setString(3, Timestamps.format(clock.instant()));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw failure("keep a language choice", e);
        }
    }

    /** Names the operation and SQL state, never a value. */
    private static StoreException failure(String what, SQLException e) {
        return new StoreException(what + " failed" + (e.getSQLState() == null ? "" : " (SQLState " + e.getSQLState() + ")"), e);
    }
}
