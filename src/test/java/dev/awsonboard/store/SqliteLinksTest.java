package dev.awsonboard.store;

import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The links on an SQLite file. */
class SqliteLinksTest extends JdbcLinksContract {
    @TempDir
    Path dir;

    @Override
    protected String jdbcUrl() {
        return "jdbc:sqlite:" + dir.resolve("links.db");
    }
}
