package dev.awsonboard.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class DatabaseTest {
    @TempDir
    Path dir;

    @Test
    void theSchemaVersionIsTheNewestMigrationFileAndNoneIsSkipped() throws IOException {
        Pattern name = Pattern.compile("V(\\d+)__.+\\.sql");
        List<Integer> versions;
        try (Stream<Path> files = Files.list(Path.of("src/main/resources/db/migration"))) {
            versions = files.map(f -> name.matcher(f.getFileName().toString())).filter(Matcher::matches)
                    .map(m -> Integer.parseInt(m.group(1))).sorted().toList();
        }

        assertThat(versions).isEqualTo(IntStream.rangeClosed(1, Database.SCHEMA_VERSION).filter(v -> !Database.GAPS.contains(v))
                .boxed().toList());
    }

    @Test
    void onlyASqliteFileNotThereYetIsANewDatabaseWorthWarmingUpFor() throws SQLException {
        String url = "jdbc:sqlite:" + dir.resolve("data/onboard.db");
        assertThat(Database.isNewSqliteFile(url)).isTrue();
        try (Database db = Database.open(url)) {
            assertThat(Database.isNewSqliteFile(url)).as("a restart").isFalse();
        }
        assertThat(Database.isNewSqliteFile("jdbc:postgresql://db/onboard")).as("a server cannot be asked without connecting").isFalse();
        assertThat(Database.isNewSqliteFile("jdbc:sqlite::memory:")).isFalse();
        assertThat(Database.isNewSqliteFile("jdbc:sqlite:file:x?mode=memory")).isFalse();
    }

    @Test
    void aStartWarmsUpForSqliteOnlyAndCreatesNoFileDoingIt() throws SQLException {
        String url = "jdbc:sqlite:" + dir.resolve("warm/onboard.db");
        Database.warmUpFor(url).orElseThrow().run(); // a first start: the migrations in memory
        assertThat(dir.resolve("warm/onboard.db")).doesNotExist();
        try (Database db = Database.open(url)) {
            Database.warmUpFor(url).orElseThrow().run(); // a restart: SQLite's native library
        }
        assertThat(Database.warmUpFor("jdbc:postgresql://db/onboard")).as("a server: nothing to load").isEmpty();
    }

    @Test
    void theWarmUpRunsEveryMigrationInMemoryAndCreatesNoFile() throws Exception {
        try (Stream<Path> before = Files.list(Path.of("."))) {
            List<Path> files = before.toList();

            Database.warmUp();
            Database.warmUp(); // a second start in the same JVM (tests) finds its own empty database

            try (Stream<Path> after = Files.list(Path.of("."))) {
                assertThat(after.toList()).containsExactlyInAnyOrderElementsOf(files);
            }
        }
        String url = "jdbc:sqlite:" + dir.resolve("onboard.db");
        try (Database db = Database.open(url)) {
            assertThat(Database.atCurrentSchema(db.dataSource())).isTrue();
        }
    }

    @Test
    void onlyAHistoryOfExactlyTheShippedMigrationsAllSuccessfulCountsAsCurrent() throws SQLException {
        String url = "jdbc:sqlite:" + dir.resolve("onboard.db");
        try (Database db = Database.open(url)) {
            assertThat(Database.atCurrentSchema(db.dataSource())).isTrue();

            execute(db, "UPDATE flyway_schema_history SET success = 0 WHERE version = '3'");
            assertThat(Database.atCurrentSchema(db.dataSource())).as("a failed migration").isFalse();
            execute(db, "UPDATE flyway_schema_history SET success = 1 WHERE version = '3'");

            execute(db, "UPDATE flyway_schema_history SET version = '" + (Database.SCHEMA_VERSION + 1) + "' WHERE version = '"
                    + Database.SCHEMA_VERSION + "'");
            assertThat(Database.atCurrentSchema(db.dataSource())).as("a newer or a missing migration").isFalse();
            execute(db, "UPDATE flyway_schema_history SET version = '" + Database.SCHEMA_VERSION + "' WHERE version = '"
                    + (Database.SCHEMA_VERSION + 1) + "'");

            execute(db, "DROP TABLE flyway_schema_history");
            assertThat(Database.atCurrentSchema(db.dataSource())).as("no history").isFalse();
        }
    }

    @Test
    void aDatabaseAtTheCurrentSchemaOpensAgainWithItsDataAndAFreshOneIsMigrated() throws SQLException {
        String url = "jdbc:sqlite:" + dir.resolve("onboard.db");
        try (Database db = Database.open(url)) {
            execute(db, "INSERT INTO person_preferences (slack_user_id, language, updated_at) VALUES ('U0ALICE', 'ja', 'x')");
        }
        try (Database again = Database.open(url);
             Connection c = again.dataSource().getConnection();
             Statement st = c.createStatement();
             var rs = st.executeQuery("SELECT language FROM person_preferences WHERE slack_user_id = 'U0ALICE'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("ja");
        }
    }

    private static void execute(Database db, String sql) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.executeUpdate(sql);
        }
    }
}
