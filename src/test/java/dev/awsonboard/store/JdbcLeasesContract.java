package dev.awsonboard.store;

import dev.awsonboard.lifecycle.port.Leases;
import org.junit.jupiter.api.AfterEach;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The {@link Leases} contract on a real database; one subclass per database says where it is. */
abstract class JdbcLeasesContract extends LeasesContract {
    private final List<Database> opened = new CopyOnWriteArrayList<>();

    /** A database private to the running test; the same URL every time within one test. */
    protected abstract String jdbcUrl();

    /** Each call opens another pool on the test's database, as another replica would. */
    @Override
    protected Leases leases() {
        Database db = Database.open(jdbcUrl());
        opened.add(db);
        return new JdbcLeases(db.writes());
    }

    @AfterEach
    void closeDatabases() {
        opened.forEach(Database::close);
    }
}
