package dev.awsonboard.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The connection pool and schema of the request store. Opening it runs the Flyway
 * migrations, so a started {@code Database} always has the current schema; concurrent
 * starts (two replicas) are serialised by Flyway's own lock.
 *
 * <p>SQLite is the default (one file, no server, one replica). PostgreSQL is the shared
 * store for several replicas: a {@code jdbc:postgresql:} URL (its JDBC driver and Flyway's
 * PostgreSQL module ship with the bot) gets a pool of {@link #POSTGRES_POOL_SIZE} connections
 * and nothing SQLite-specific. The same migrations run on both.
 *
 * <p>URLs can carry credentials, so only {@link #redact(String) redacted} URLs are logged or
 * put into exception messages, including the messages of wrapped causes.
 */
public final class Database implements AutoCloseable {
    public static final String DEFAULT_URL = "jdbc:sqlite:./data/aws-onboard.db";

    /** How long a SQLite writer waits for the write lock before failing with SQLITE_BUSY. */
    static final int SQLITE_BUSY_TIMEOUT_MS = 5000;

    /**
     * Connections per replica on a database server. Every write is one short auto-commit
     * statement, so a few connections serve a bot; ten leaves room for bursts while several
     * replicas stay well below PostgreSQL's default {@code max_connections} of 100.
     */
    static final int POSTGRES_POOL_SIZE = 10;

    /** SQLite's synchronous pragma for a database file (see {@link #configureSqlite}). */
    static final String SQLITE_SYNCHRONOUS = "FULL";

    /** Connections to a SQLite file: the writer's (see {@link Writes}) plus readers. */
    static final int SQLITE_POOL_SIZE = 8;
    /** The newest migration under db/migration (V1 to V{n}, none skipped but {@link #RESERVED}); DatabaseTest holds it to the files. */
    static final int SCHEMA_VERSION = 14;
    /** Migration numbers skipped (none: the branches that reserved numbers have met). */
    static final Set<Integer> RESERVED = Set.of();

    private static final Logger log = LoggerFactory.getLogger(Database.class);
    private static final String SQLITE_PREFIX = "jdbc:sqlite:";
    private static final String POSTGRES_PREFIX = "jdbc:postgresql:";
    private static final Pattern USER_INFO = Pattern.compile("//[^/?#;]*@");
    private static final Pattern PASSWORD_PARAM =
            Pattern.compile("(?i)((?:^|[?&;:])[a-z_]*password)=[^&;]*");

    private final HikariDataSource pool;
    /** The pool, through a statement cache on SQLite (see {@link StatementCache}). */
    private final DataSource dataSource;
    private final String safeUrl;
    private final Writes writes;

    private Database(HikariDataSource pool, String safeUrl, boolean sqlite) {
        this.pool = pool;
        this.dataSource = sqlite ? new StatementCache(pool) : pool;
        this.safeUrl = safeUrl;
        this.writes = sqlite ? Writes.serial(dataSource) : Writes.direct(dataSource);
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
        return open(jdbcUrl, SQLITE_SYNCHRONOUS);
    }

    /** As {@link #open(String)}, with SQLite's synchronous pragma given: the durability benchmark compares them. */
    static Database open(String jdbcUrl, String sqliteSynchronous) {
        String url = orDefault(jdbcUrl);
        String safeUrl = redact(url);
        boolean sqlite = startsWithIgnoreCase(url, SQLITE_PREFIX);

        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setPoolName("aws-onboard-db");
        if (sqlite) {
            configureSqlite(config, url, sqliteSynchronous);
        } else if (startsWithIgnoreCase(url, POSTGRES_PREFIX)) {
            configurePostgres(config, url);
        } else {
            config.setMaximumPoolSize(POSTGRES_POOL_SIZE);
        }

        log.info("Opening database {}", safeUrl);
        HikariDataSource ds;
        try {
            ds = new HikariDataSource(config);
        } catch (RuntimeException e) {
            // Hikari's message may quote the URL: the cause stays for debugging, redacted.
            throw new StoreException("cannot open database " + safeUrl, redactedCause(e));
        }
        if (atCurrentSchema(ds)) {
            // Flyway takes ~0.3 s to find nothing to do, a quarter of a restart.
            log.info("Database schema at version {} (current)", SCHEMA_VERSION);
            return new Database(ds, safeUrl, sqlite);
        }
        try {
            var result = migrate(ds);
            log.info("Database schema at version {} ({} migration(s) applied)",
                    result.targetSchemaVersion, result.migrationsExecuted);
        } catch (RuntimeException e) {
            ds.close();
            throw new StoreException("cannot migrate database " + safeUrl, redactedCause(e));
        }
        return new Database(ds, safeUrl, sqlite);
    }

    /** {@code jdbcUrl} trimmed; null or blank means {@link #DEFAULT_URL}. */
    private static String orDefault(String jdbcUrl) {
        return jdbcUrl == null || jdbcUrl.isBlank() ? DEFAULT_URL : jdbcUrl.trim();
    }

    /** Brings the schema behind {@code ds} up to the newest migration this build ships. */
    private static org.flywaydb.core.api.output.MigrateResult migrate(DataSource ds) {
        return Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
    }

    /**
     * Whether opening {@code jdbcUrl} will migrate a new SQLite file, the case {@link #warmUp} speeds
     * up: a restart finds the file at the current schema and skips Flyway, and a database server
     * cannot be asked without connecting to it.
     */
    static boolean isNewSqliteFile(String jdbcUrl) {
        if (!isSqlite(jdbcUrl)) {
            return false;
        }
        String path = sqliteFilePath(orDefault(jdbcUrl));
        return path != null && !Files.exists(Path.of(path));
    }

    /**
     * Runs every migration once on a throw-away in-memory SQLite database, creating no file, so that
     * Flyway's classes, its SQL parser and SQLite's native library are loaded and run before the real
     * database is opened: done beside Slack's start-up check, it takes Flyway's first-use cost (~0.3 s
     * of a first start) off the path to ready. Anything going wrong here only means no head start.
     */
    static void warmUp() {
        org.sqlite.SQLiteDataSource memory = new org.sqlite.SQLiteDataSource();
        memory.setUrl("jdbc:sqlite:file:aws-onboard-warm-up?mode=memory&cache=shared");
        try (Connection keep = memory.getConnection()) { // the shared in-memory database lives while one connection does
            migrate(memory);
        } catch (SQLException | RuntimeException e) {
            log.debug("migration warm-up skipped: {}", e.getClass().getSimpleName());
        }
    }

    /**
     * What a start can load of the database before it opens it, to run beside Slack's start-up
     * check: for a new SQLite file the migration warm-up, for an existing one SQLite's native
     * library, for a database server nothing. Decided now, while the file does not exist yet; the
     * work opens and creates nothing.
     */
    public static Optional<Runnable> warmUpFor(String jdbcUrl) {
        if (isNewSqliteFile(jdbcUrl)) {
            return Optional.of(Database::warmUp);
        }
        return isSqlite(jdbcUrl) ? Optional.of(Database::loadSqliteLibrary) : Optional.empty();
    }

    /** Whether {@code jdbcUrl} (null or blank: the default) names a SQLite database. */
    private static boolean isSqlite(String jdbcUrl) {
        return startsWithIgnoreCase(orDefault(jdbcUrl), SQLITE_PREFIX);
    }

    /**
     * Loads SQLite's native library, which sqlite-jdbc copies out of the jar and compares on every
     * start (~50 ms of a restart's main thread, before the database could open): done beside Slack's
     * start-up check on a restart, where {@link #warmUp} does not run. Opens nothing.
     */
    private static void loadSqliteLibrary() {
        try {
            org.sqlite.SQLiteJDBCLoader.initialize();
        } catch (Exception | LinkageError e) {
            log.debug("SQLite library warm-up skipped: {}", e.getClass().getSimpleName());
        }
    }

    /**
     * Whether Flyway's history records exactly the migrations this build ships (V1 to
     * {@link #SCHEMA_VERSION}), all successful. Anything else, including no history yet, a failed or a
     * newer migration, is left to Flyway.
     */
    static boolean atCurrentSchema(DataSource ds) {
        try (Connection c = ds.getConnection();
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT version, success FROM flyway_schema_history WHERE version IS NOT NULL")) {
            Set<String> applied = new HashSet<>();
            while (rs.next()) {
                if (!rs.getBoolean(2)) {
                    return false;
                }
                applied.add(rs.getString(1));
            }
            return applied.equals(IntStream.rangeClosed(1, SCHEMA_VERSION).filter(v -> !RESERVED.contains(v))
                    .mapToObj(String::valueOf).collect(Collectors.toSet()));
        } catch (SQLException e) {
            return false; // no history table: a new database
        }
    }

    private static void configureSqlite(HikariConfig config, String url, String synchronous) {
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
            // WAL lets readers run beside the single writer. Every write goes through one
            // thread (Writes.serial), which takes one connection at a time; the rest serve
            // readers: the acks' duplicate checks and the workers' reads.
            config.setMaximumPoolSize(SQLITE_POOL_SIZE);
            config.addDataSourceProperty("journal_mode", "WAL");
            // FULL: every commit is on disk before it is answered, so a crashed host (power, kernel), not
            // only a crashed process, keeps what the bot acknowledged and the effects a status owes. NORMAL
            // could lose the last commits to a host crash. Its cost on the acknowledgement is in docs/reliability.md.
            config.addDataSourceProperty("synchronous", synchronous);
        }
        // sqlite-jdbc otherwise runs SELECT last_insert_rowid() after every INSERT; the bot never asks for it.
        config.addDataSourceProperty("jdbc.get_generated_keys", "false");
        // Concurrent writers wait for the lock instead of failing at once with SQLITE_BUSY.
        config.addDataSourceProperty("busy_timeout", String.valueOf(SQLITE_BUSY_TIMEOUT_MS));
    }

    private static void configurePostgres(HikariConfig config, String url) {
        // Sized for a server shared by replicas; none of the SQLite pragmas apply here.
        config.setMaximumPoolSize(POSTGRES_POOL_SIZE);
        config.setMinimumIdle(2);
        // Names the replica's sessions in pg_stat_activity unless the URL already does.
        if (!url.toLowerCase(Locale.ROOT).contains("applicationname=")) {
            config.addDataSourceProperty("ApplicationName", "aws-onboard");
        }
    }

    private static boolean startsWithIgnoreCase(String url, String prefix) {
        return url.regionMatches(true, 0, prefix, 0, prefix.length());
    }

    /**
     * {@code e} unchanged when no message in its cause chain holds credentials; otherwise a
     * copy of the chain with redacted messages (same class names and stack traces), so
     * logging a {@link StoreException} with its cause never prints a password.
     */
    static Throwable redactedCause(Throwable e) {
        boolean leaks = false;
        for (Throwable t = e; t != null && !leaks; t = t.getCause() == t ? null : t.getCause()) {
            String message = t.getMessage();
            leaks = message != null && !message.equals(redact(message));
        }
        return leaks ? redactedCopy(e, 0) : e;
    }

    private static Throwable redactedCopy(Throwable t, int depth) {
        if (t == null || depth > 20) {
            return null;
        }
        Throwable cause = t.getCause() == t ? null : redactedCopy(t.getCause(), depth + 1);
        String message = t.getMessage() == null ? null : redact(t.getMessage());
        RedactedException copy = new RedactedException(t.getClass().getName() + ": " + message, cause);
        copy.setStackTrace(t.getStackTrace());
        return copy;
    }

    /** Stands in for an exception whose message held credentials. */
    static final class RedactedException extends RuntimeException {
        RedactedException(String message, Throwable cause) {
            super(message, cause);
        }
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

    /** Where writes to this database go; every store writing to it shares this one (see {@link Writes}). */
    public Writes writes() {
        return writes;
    }

    /** The URL as safe to log. */
    public String safeUrl() {
        return safeUrl;
    }

    @Override
    public void close() {
        if (!pool.isClosed()) {
            log.info("Closing database {}", safeUrl);
            writes.close(); // what is queued is written first
            pool.close();
        }
    }

    @Override
    public String toString() {
        return "Database[" + Objects.requireNonNullElse(safeUrl, "") + "]";
    }
}
