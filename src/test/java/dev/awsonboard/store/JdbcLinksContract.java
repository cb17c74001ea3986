package dev.awsonboard.store;

import dev.awsonboard.lifecycle.port.Links;
import dev.awsonboard.lifecycle.port.RequestStore;
import org.junit.jupiter.api.AfterEach;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The {@link Links} contract on a real database; one subclass per database says where it is. */
abstract class JdbcLinksContract extends LinksContract {
    private final List<Database> opened = new CopyOnWriteArrayList<>();

    /** A database private to the running test; the same URL every time within one test. */
    protected abstract String jdbcUrl();

    private Database open() {
        Database db = Database.open(jdbcUrl());
        opened.add(db);
        return db;
    }

    /** Each call opens another pool on the test's database, as another replica would. */
    @Override
    protected Links links() {
        Database db = open();
        return new JdbcLinks(db.dataSource(), db.writes());
    }

    @Override
    protected RequestStore requests() {
        Database db = open();
        return new JdbcRequestStore(db.dataSource(), db.writes());
    }

    @AfterEach
    void closeDatabases() {
        opened.forEach(Database::close);
    }
}
