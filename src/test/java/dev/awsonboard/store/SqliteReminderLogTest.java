package dev.awsonboard.store;

import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The reminder log on an SQLite file. */
class SqliteReminderLogTest extends ReminderLogContract {
    @TempDir
    Path dir;

    @Override
    protected String jdbcUrl() {
        return "jdbc:sqlite:" + dir.resolve("reminders.db");
    }
}
