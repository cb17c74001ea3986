package dev.awsonboard.store;

import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The leases on an SQLite file. */
class SqliteLeasesTest extends JdbcLeasesContract {
    @TempDir
    Path dir;

    @Override
    protected String jdbcUrl() {
        return "jdbc:sqlite:" + dir.resolve("leases.db");
    }
}
