package dev.awsonboard.store;

import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

import java.sql.SQLException;

/** What a failed statement means, the same way on SQLite and PostgreSQL, for every table's adapter. */
final class SqlErrors {
    private SqlErrors() {
    }

    /**
     * Unique/primary-key violation: SQLState 23505 on PostgreSQL. sqlite-jdbc sets no
     * SQLState and its vendor code is only the base SQLITE_CONSTRAINT (also NOT NULL etc.),
     * so the extended result code is read instead.
     */
    static boolean isDuplicateKey(SQLException e) {
        if ("23505".equals(e.getSQLState())) {
            return true;
        }
        return e instanceof SQLiteException se
                && (se.getResultCode() == SQLiteErrorCode.SQLITE_CONSTRAINT_PRIMARYKEY
                || se.getResultCode() == SQLiteErrorCode.SQLITE_CONSTRAINT_UNIQUE);
    }

    /** {@code what} failed: says whether a key clashed and the SQLState, never a value the statement was given. */
    static StoreException failure(String what, SQLException e) {
        boolean duplicate = isDuplicateKey(e);
        String state = e.getSQLState() == null ? "" : " (SQLState " + e.getSQLState() + ")";
        return new StoreException(what + " failed" + (duplicate ? ": key already exists" : "") + state,
                e, duplicate);
    }
}
