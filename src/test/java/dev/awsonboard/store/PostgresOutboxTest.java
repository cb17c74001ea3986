package dev.awsonboard.store;

import dev.awsonboard.lifecycle.port.Outbox;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The outbox on a real PostgreSQL server ({@code TEST_POSTGRES_URL}), in a fresh schema. */
class PostgresOutboxTest extends OutboxContract {
    @RegisterExtension
    final Postgres.Schema schema = Postgres.freshSchemaPerTest();
    private final List<Database> opened = new CopyOnWriteArrayList<>();

    @Override
    protected Outbox outbox() {
        Database db = Database.open(schema.url());
        opened.add(db);
        return new JdbcOutbox(db.dataSource(), db.writes());
    }

    @AfterEach
    void closeDatabases() {
        opened.forEach(Database::close);
    }
}
