package dev.awsonboard.store;

import dev.awsonboard.lifecycle.port.Outbox;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The outbox on an SQLite file; each call another pool on it, as another replica. */
class SqliteOutboxTest extends OutboxContract {
    @TempDir
    Path dir;
    private final List<Database> opened = new CopyOnWriteArrayList<>();

    @Override
    protected Outbox outbox() {
        Database db = Database.open("jdbc:sqlite:" + dir.resolve("outbox.db"));
        opened.add(db);
        return new JdbcOutbox(db.dataSource(), db.writes());
    }

    @AfterEach
    void closeDatabases() {
        opened.forEach(Database::close);
    }
}
