package dev.awsonboard.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** Several statements of one write as one transaction, whether or not the caller already opened one. */
final class Transactions {
    interface Statements {
        void run() throws SQLException;
    }

    private Transactions() {
    }

    /**
     * Runs {@code statements} atomically on {@code c}. On SQLite the writer may already have opened a
     * transaction with BEGIN (its batch; the driver still says auto-commit), so the statements go in
     * a savepoint, which nests there and is a transaction of its own elsewhere. On another database a
     * connection in auto-commit gets a JDBC transaction; one already in one just runs them.
     * On SQLite, statements that read before they write come through {@link Writes#atomic}: a savepoint
     * alone begins a deferred transaction, which fails at once with SQLITE_BUSY, without waiting, when
     * another process wrote after its read.
     */
    static void atomically(Connection c, Statements statements) throws SQLException {
        if (c.getMetaData().getDatabaseProductName().startsWith("SQLite")) {
            try (Statement st = c.createStatement()) {
                st.execute("SAVEPOINT atomically");
                try {
                    statements.run();
                } catch (SQLException | RuntimeException e) {
                    st.execute("ROLLBACK TO SAVEPOINT atomically");
                    st.execute("RELEASE SAVEPOINT atomically");
                    throw e;
                }
                st.execute("RELEASE SAVEPOINT atomically");
            }
            return;
        }
        if (!c.getAutoCommit()) {
            statements.run();
            return;
        }
        c.setAutoCommit(false);
        try {
            statements.run();
            c.commit();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }
}
