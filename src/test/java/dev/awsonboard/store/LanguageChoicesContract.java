package dev.awsonboard.store;

import dev.awsonboard.fakes.ManualClock;
import dev.awsonboard.slack.language.LanguageChoices;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link JdbcLanguageChoices} on a real database, one subclass per database as for the request
 * store: {@link SqliteLanguageChoicesTest} and {@link PostgresLanguageChoicesTest}.
 */
abstract class LanguageChoicesContract {
    private static final String ALICE = "UALICE0001";
    private static final String BOB = "UBOB000001";
    private final List<Database> opened = new ArrayList<>();
    final ManualClock clock = new ManualClock(Instant.parse("2026-11-24T10:00:00Z"));

    protected abstract String jdbcUrl();

    private Database open() {
        Database db = Database.open(jdbcUrl());
        opened.add(db);
        return db;
    }

    @AfterEach
    void closeAll() {
        opened.forEach(Database::close);
    }

    @Test
    void nobodyHasChosenAnythingAtFirst() {
        assertThat(new JdbcLanguageChoices(open().dataSource(), clock).chosen(ALICE)).isEmpty();
    }

    @Test
    void aChoiceIsKeptAcrossARestartAndIsEachPersonsOwn() {
        new JdbcLanguageChoices(open().dataSource(), clock).choose(ALICE, Optional.of(Locale.JAPANESE));
        opened.remove(0).close();

        LanguageChoices after = new JdbcLanguageChoices(open().dataSource(), clock);
        assertThat(after.chosen(ALICE)).contains(Locale.JAPANESE);
        assertThat(after.chosen(BOB)).isEmpty();
    }

    @Test
    void aNewChoiceReplacesTheOldOneAndForgettingLeavesNoChoice() throws SQLException {
        Database db = open();
        LanguageChoices choices = new JdbcLanguageChoices(db.dataSource(), clock);
        choices.choose(ALICE, Optional.of(Locale.JAPANESE));
        clock.advance(Duration.ofMinutes(5));
        choices.choose(ALICE, Optional.of(Locale.ENGLISH));
        assertThat(choices.chosen(ALICE)).contains(Locale.ENGLISH);

        choices.choose(ALICE, Optional.empty());
        assertThat(choices.chosen(ALICE)).isEmpty();
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*), MAX(updated_at) FROM person_preferences")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(1);
            assertThat(rs.getString(2)).isEqualTo("2026-11-24T10:05:00.000000000Z");
        }
    }
}
