package dev.awsonboard.store;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/**
 * The PostgreSQL server the tests run against: the one named by {@code TEST_POSTGRES_URL} (for
 * example {@code jdbc:postgresql://127.0.0.1:5432/onboard_test?user=onboard&password=onboard};
 * {@code .ci/run} starts Debian's server and sets it), else a server of the test JVM's own
 * ({@link EmbeddedPostgres}, binaries from Maven Central). So the PostgreSQL tests run in any
 * clone; where neither can be had they fail, saying why, and are never skipped.
 *
 * <p>Register {@link #freshSchemaPerTest()} as an extension: each test then gets an empty
 * schema of its own ({@link Schema#url()}), dropped after the test and after the test's own
 * {@code @AfterEach} methods have closed their pools.
 */
public final class Postgres {
    public static final String ENV = "TEST_POSTGRES_URL";

    private Postgres() {
    }

    /** The server's JDBC URL: {@code TEST_POSTGRES_URL}, else the embedded server (started on first use). */
    public static String url() {
        String url = System.getenv(ENV);
        if (url != null && !url.isBlank()) {
            return url.trim();
        }
        return EmbeddedPostgres.url();
    }

    /** A fresh, empty schema for every test of the class that registers it. */
    public static Schema freshSchemaPerTest() {
        return new Schema();
    }

    /** Runs a statement as the test role on the server's database. */
    static void execute(String serverUrl, String sql) {
        try (Connection c = DriverManager.getConnection(serverUrl); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new AssertionError("PostgreSQL at " + Database.redact(serverUrl) + " failed: " + sql, e);
        }
    }

    /** {@code url} with {@code currentSchema=schema}, so Flyway and the store work inside it. */
    static String withSchema(String url, String schema) {
        return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    /** JUnit extension: creates a uniquely named schema before each test and drops it after. */
    public static final class Schema implements BeforeEachCallback, AfterEachCallback {
        private String serverUrl;
        private String name;

        private Schema() {
        }

        @Override
        public void beforeEach(ExtensionContext context) {
            serverUrl = Postgres.url();
            name = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toLowerCase(Locale.ROOT);
            execute(serverUrl, "CREATE SCHEMA " + name);
        }

        @Override
        public void afterEach(ExtensionContext context) {
            if (name != null) {
                keepRowsForSecretScan(serverUrl, name);
                execute(serverUrl, "DROP SCHEMA IF EXISTS " + name + " CASCADE");
                name = null;
            }
        }

        /**
         * Every row of every table of the schema, as text, under target/test-databases, so the
         * secret scan after the suite reads what PostgreSQL held too (the schema goes next).
         */
        private static void keepRowsForSecretScan(String serverUrl, String schema) {
            StringBuilder rows = new StringBuilder();
            try (java.sql.Connection c = java.sql.DriverManager.getConnection(serverUrl);
                 java.sql.PreparedStatement tables = c.prepareStatement(
                         "SELECT table_name FROM information_schema.tables WHERE table_schema = ?")) {
                tables.setString(1, schema);
                try (java.sql.ResultSet t = tables.executeQuery()) {
                    while (t.next()) {
                        String table = t.getString(1);
                        try (java.sql.Statement st = c.createStatement();
                             java.sql.ResultSet r = st.executeQuery("SELECT * FROM " + schema + ".\"" + table + "\"")) {
                            int columns = r.getMetaData().getColumnCount();
                            while (r.next()) {
                                rows.append(table).append(':');
                                for (int i = 1; i <= columns; i++) {
                                    rows.append(' ').append(r.getString(i));
                                }
                                rows.append('\n');
                            }
                        }
                    }
                }
                java.nio.file.Path out = java.nio.file.Path.of("target", "test-databases", "postgres-" + schema + ".txt");
                java.nio.file.Files.createDirectories(out.getParent());
                java.nio.file.Files.writeString(out, rows, java.nio.charset.StandardCharsets.UTF_8);
            } catch (java.sql.SQLException | java.io.IOException e) {
                throw new AssertionError("could not keep the PostgreSQL rows for the secret scan", e);
            }
        }

        /** The JDBC URL of this test's schema; the same within one test. */
        public String url() {
            if (name == null) {
                throw new IllegalStateException("no schema: register Postgres.freshSchemaPerTest() with @RegisterExtension");
            }
            return withSchema(serverUrl, name);
        }

        /** The schema's name. */
        public String name() {
            return name;
        }
    }
}
