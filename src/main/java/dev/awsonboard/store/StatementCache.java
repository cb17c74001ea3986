package dev.awsonboard.store;

import org.sqlite.SQLiteConnection;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * Keeps SQLite's prepared statements for reuse. SQLite parses and plans a statement on every
 * prepare, and neither the pool (Hikari leaves caching to the driver) nor sqlite-jdbc keeps them:
 * preparing was a seventh of an acknowledgement's CPU and a fifth of the database writer's.
 *
 * <p>{@code prepareStatement(sql)} on a connection from here returns the statement already prepared
 * for that SQL on the same SQLite connection; its {@code close()} resets it (closing an open result
 * set, which ends its read) and clears its parameters instead of finalizing it. A connection is used by
 * one thread at a time (it is borrowed from the pool), so its statements are too. Every other call
 * passes through to the pool's connection unchanged.
 */
final class StatementCache implements DataSource {
    /** Distinct statements kept per connection; the bot has a few dozen, this bounds any that are built from input. */
    static final int PER_CONNECTION = 128;

    private final DataSource pool;
    private final Map<SQLiteConnection, Map<String, Kept>> byConnection = new ConcurrentHashMap<>();

    StatementCache(DataSource pool) {
        this.pool = pool;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return wrap(pool.getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return wrap(pool.getConnection(username, password));
    }

    /** Statements prepared and kept, over all connections (tests). */
    int size() {
        return byConnection.values().stream().mapToInt(Map::size).sum();
    }

    private Connection wrap(Connection pooled) throws SQLException {
        SQLiteConnection sqlite = pooled.unwrap(SQLiteConnection.class);
        Map<String, Kept> statements = byConnection.get(sqlite);
        if (statements == null) {
            // A connection the pool has not lent before: forget those it has closed meanwhile.
            byConnection.keySet().removeIf(StatementCache::isClosed);
            statements = new Lru();
            byConnection.put(sqlite, statements);
        }
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[]{Connection.class},
                new Lending(pooled, sqlite, statements));
    }

    private static boolean isClosed(SQLiteConnection c) {
        try {
            return c.isClosed();
        } catch (SQLException e) {
            return true;
        }
    }

    /** A pooled connection whose {@code prepareStatement(String)} comes from its connection's cache. */
    private static final class Lending implements InvocationHandler {
        private final Connection pooled;
        private final SQLiteConnection sqlite;
        private final Map<String, Kept> statements;

        Lending(Connection pooled, SQLiteConnection sqlite, Map<String, Kept> statements) {
            this.pooled = pooled;
            this.sqlite = sqlite;
            this.statements = statements;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            if (method.getName().equals("prepareStatement") && method.getParameterCount() == 1) {
                return lend((String) args[0]);
            }
            if (method.getDeclaringClass() == Object.class) {
                return objectMethod(proxy, method, args, "cached statements on " + pooled);
            }
            return forward(pooled, method, args);
        }

        private PreparedStatement lend(String sql) throws SQLException {
            Kept kept = statements.get(sql);
            if (kept != null && kept.lent) {
                // The same statement again while the first is still open (a query inside a query's loop):
                // this one is the pool's own, closed for good after use.
                return pooled.prepareStatement(sql);
            }
            if (kept == null || kept.ps.isClosed()) {
                kept = new Kept(sqlite.prepareStatement(sql));
                statements.put(sql, kept);
            }
            kept.lent = true;
            return (PreparedStatement) Proxy.newProxyInstance(PreparedStatement.class.getClassLoader(),
                    new Class<?>[]{PreparedStatement.class}, new Lent(kept));
        }
    }

    /** A statement kept for its connection, and whether someone holds it now. */
    private static final class Kept {
        final PreparedStatement ps;
        boolean lent;

        Kept(PreparedStatement ps) {
            this.ps = ps;
        }
    }

    /** A cached statement for one use: closing it makes it ready for the next. */
    private static final class Lent implements InvocationHandler {
        private final Kept kept;
        private final PreparedStatement ps;
        private ResultSet result;
        private boolean closed;

        Lent(Kept kept) {
            this.kept = kept;
            this.ps = kept.ps;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            if (method.getDeclaringClass() == Object.class) {
                return objectMethod(proxy, method, args, "cached " + ps);
            }
            switch (method.getName()) {
                case "close" -> {
                    if (!closed) {
                        closed = true;
                        try {
                            reset();
                        } catch (SQLException e) {
                            finalizeQuietly(ps); // the next lend prepares it anew
                        } finally {
                            kept.lent = false;
                        }
                    }
                    return null;
                }
                case "isClosed" -> {
                    return closed || ps.isClosed();
                }
                default -> {
                    if (closed) {
                        throw new SQLException("statement is closed");
                    }
                    Object answer = forward(ps, method, args);
                    if (answer instanceof ResultSet rs) {
                        result = rs;
                    }
                    return answer;
                }
            }
        }

        private void reset() throws SQLException {
            if (ps.isClosed()) {
                return; // its connection was closed: the next lend prepares it again
            }
            if (result != null && !result.isClosed()) {
                result.close(); // resets the statement, ending the read it held open
            }
            ps.clearParameters();
        }
    }

    private static void finalizeQuietly(PreparedStatement ps) {
        try {
            ps.close();
        } catch (SQLException e) {
            // finalizing only frees SQLite's memory; a failure leaves it to the connection's close
        }
    }

    /** {@code equals}, {@code hashCode} and {@code toString} of a proxy: its own identity, not its target's. */
    private static Object objectMethod(Object proxy, Method method, Object[] args, String description) {
        return switch (method.getName()) {
            case "equals" -> proxy == args[0];
            case "hashCode" -> System.identityHashCode(proxy);
            default -> description;
        };
    }

    private static Object forward(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** Least recently used statements go first, finalized, once a connection holds {@link #PER_CONNECTION}. */
    private static final class Lru extends LinkedHashMap<String, Kept> {
        Lru() {
            super(16, 0.75f, true);
        }

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Kept> eldest) {
            if (size() <= PER_CONNECTION || eldest.getValue().lent) {
                return false;
            }
            finalizeQuietly(eldest.getValue().ps);
            return true;
        }
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return pool.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        pool.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        pool.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return pool.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return pool.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return iface.isInstance(this) ? iface.cast(this) : pool.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || pool.isWrapperFor(iface);
    }
}
