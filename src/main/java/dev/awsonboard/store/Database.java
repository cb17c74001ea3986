package dev.awsonboard.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The connection pool and schema of the request store. Opening it runs the Flyway
 * migrations, so a started {@code Database} always has the current schema; concurrent
 * starts (two replicas) are serialised by Flyway's own lock.
 *
 * <p>SQLite is the default (one file, no server). PostgreSQL works from a
 * {@code jdbc:postgresql:} URL when its JDBC driver and Flyway's PostgreSQL module are on
 * the class path; nothing SQLite-specific is applied on that path.
 */
public final class Database implements AutoCloseable {
    public static final String DEFAULT_URL = "jdbc:sqlite:./data/aws-onboard.db";

    /** How long a SQLite writer waits for the write lock before failing with SQLITE_BUSY. */
    static final int SQLITE_BUSY_TIMEOUT_MS = 5000;

    private static final Logger log = LoggerFactory.getLogger(Database.class);
    private static final String SQLITE_PREFIX = "jdbc:sqlite:";
    private static final Pattern USER_INFO = Pattern.compile("//[^/?#;]*@");
    private static final Pattern PASSWORD_PARAM =
            Pattern.compile("(?i)((?:^|[?&;:])[a-z_]*password)=[^&;]*");

    private final HikariDataSource dataSource;
    private final String safeUrl;

    private Database(HikariDataSource dataSource, String safeUrl) {
        this.dataSource = dataSource;
        this.safeUrl = safeUrl;
    }

    /** Opens the pool on {@link #DEFAULT_URL} and migrates the schema. */
    public static Database open() {
        return open(DEFAULT_URL);
    }

    /**
     * Opens a pool on {@code jdbcUrl} (null or blank means {@link #DEFAULT_URL}) and brings
     * the schema up to date.
     *
     * @throws StoreException when the database cannot be reached or migrated
     */
    public static Database open(String jdbcUrl) {
        String url = jdbcUrl == null || jdbcUrl.isBlank() ? DEFAULT_URL : jdbcUrl.trim();
        String safeUrl = redact(url);
        boolean sqlite = url.regionMatches(true, 0, SQLITE_PREFIX, 0, SQLITE_PREFIX.length());

        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setPoolName("aws-onboard-db");
        if (sqlite) {
            configureSqlite(config, url);
        } else {
            config.setMaximumPoolSize(10);
        }

        log.info("Opening database {}", safeUrl);
        HikariDataSource ds;
        try {
            ds = new HikariDataSource(config);
        } catch (RuntimeException e) {
            // Hikari's message may quote the URL; keep only ours, the cause stays for debugging.
            throw new StoreException("cannot open database " + safeUrl, e);
        }
        try {
            var result = Flyway.configure()
                    .dataSource(ds)
                    .locations("classpath:db/migration")
                    .load()
                    .migrate();
            log.info("Database schema at version {} ({} migration(s) applied)",
                    result.targetSchemaVersion, result.migrationsExecuted);
        } catch (RuntimeException e) {
            ds.close();
            throw new StoreException("cannot migrate database " + safeUrl, e);
        }
        return new Database(ds, safeUrl);
    }

    private static void configureSqlite(HikariConfig config, String url) {
        String path = sqliteFilePath(url);
        if (path == null) {
            // In-memory: every connection would see its own empty database, so keep exactly
            // one connection and never retire it.
            config.setMaximumPoolSize(1);
            config.setMinimumIdle(1);
            config.setMaxLifetime(0);
            config.setIdleTimeout(0);
        } else {
            createParentDirectory(path);
            // WAL lets readers run beside the single writer; a handful of connections is
            // plenty because SQLite serialises writes anyway.
            config.setMaximumPoolSize(4);
            config.addDataSourceProperty("journal_mode", "WAL");
            // WAL makes NORMAL durable against application crashes and much faster than FULL.
            config.addDataSourceProperty("synchronous", "NORMAL");
        }
        // Concurrent writers wait for the lock instead of failing at once with SQLITE_BUSY.
        config.addDataSourceProperty("busy_timeout", String.valueOf(SQLITE_BUSY_TIMEOUT_MS));
    }

    /** The file behind a SQLite URL, or null for an in-memory database. */
    static String sqliteFilePath(String url) {
        String rest = url.substring(SQLITE_PREFIX.length());
        int query = rest.indexOf('?');
        if (query >= 0) {
            if (rest.substring(query).toLowerCase(Locale.ROOT).contains("mode=memory")) {
                return null;
            }
            rest = rest.substring(0, query);
        }
        if (rest.startsWith("file:")) {
            rest = rest.substring("file:".length());
        }
        if (rest.isEmpty() || rest.equals(":memory:") || rest.startsWith(":resource:")) {
            return null;
        }
        return rest;
    }

    private static void createParentDirectory(String file) {
        Path parent = Path.of(file).toAbsolutePath().getParent();
        if (parent == null) {
            return;
        }
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create database directory " + parent, e);
        }
    }

    /**
     * The URL with credentials removed: user-info ({@code //user:pw@host}) is dropped and
     * any {@code ...password=} parameter is masked, so the URL can be logged.
     */
    public static String redact(String jdbcUrl) {
        if (jdbcUrl == null) {
            return null;
        }
        String noUserInfo = USER_INFO.matcher(jdbcUrl).replaceFirst("//");
        return PASSWORD_PARAM.matcher(noUserInfo).replaceAll("$1=*****");
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** The URL as safe to log. */
    public String safeUrl() {
        return safeUrl;
    }

    @Override
    public void close() {
        if (!dataSource.isClosed()) {
            log.info("Closing database {}", safeUrl);
            dataSource.close();
        }
    }

    @Override
    public String toString() {
        return "Database[" + Objects.requireNonNullElse(safeUrl, "") + "]";
    }
}
