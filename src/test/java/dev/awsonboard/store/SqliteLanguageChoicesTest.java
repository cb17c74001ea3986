package dev.awsonboard.store;

import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** Language choices in an SQLite file. */
class SqliteLanguageChoicesTest extends LanguageChoicesContract {
    @TempDir
    Path dir;

    @Override
    protected String jdbcUrl() {
        return "jdbc:sqlite:" + dir.resolve("onboard.db");
    }
}
