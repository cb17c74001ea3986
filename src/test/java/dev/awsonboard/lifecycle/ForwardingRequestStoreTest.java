package dev.awsonboard.lifecycle;

import dev.awsonboard.lifecycle.model.AuditEntry;
import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.lifecycle.model.Status;
import dev.awsonboard.lifecycle.port.ForwardingRequestStore;
import dev.awsonboard.lifecycle.port.RequestStore;

import dev.awsonboard.store.Database;
import dev.awsonboard.store.JdbcRequestStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Decorators (the Home's redraws, the audit channel) hear of every new request and entry, however written. */
class ForwardingRequestStoreTest {
    private static final Instant T0 = Instant.parse("2026-11-25T09:00:00Z");
    @TempDir
    Path dir;
    private Database db;

    @AfterEach
    void close() {
        if (db != null) {
            db.close();
        }
    }

    /** Notes what it heard of, after the store underneath took it. */
    private static final class Listening extends ForwardingRequestStore {
        final List<String> heard = new ArrayList<>();
        private final RequestStore underneath;

        Listening(RequestStore store) {
            super(store);
            this.underneath = store;
        }

        @Override
        protected void inserted(Request request) {
            assertThat(underneath.find(request.id())).as("stored first").isPresent();
            heard.add("inserted " + request.id());
        }

        @Override
        protected void audited(AuditEntry entry) {
            assertThat(underneath.auditTrail(entry.requestId())).as("stored first").contains(entry);
            heard.add("audited " + entry.requestId() + " " + entry.action());
        }
    }

    private Listening listening() {
        db = Database.open("jdbc:sqlite:" + dir.resolve("forwarding.db"));
        return new Listening(new JdbcRequestStore(db.dataSource(), db.writes()));
    }

    private static Request request(String id, String name) {
        return Request.newRequest(id, name, "U0TARGET", "U0REQUESTER", List.of(), "joining", T0);
    }

    @Test
    void aRequestInsertedWithItsFirstEntryIsHeardAsBoth() {
        Listening store = listening();
        store.insert(request("r-1", "alice"), new AuditEntry("r-1", T0, "U0REQUESTER", "request", "", "ok"));
        store.insert(request("r-2", "bob"));
        store.audit(new AuditEntry("r-2", T0, "U0APP", "approve", "", "ok"));

        assertThat(store.heard).containsExactly("inserted r-1", "audited r-1 request", "inserted r-2", "audited r-2 approve");
    }

    @Test
    void aRefusedInsertIsNotHeard() {
        Listening store = listening();
        store.insert(request("r-1", "alice"));
        store.heard.clear();

        assertThatThrownBy(() -> store.insert(request("r-2", "Alice"), new AuditEntry("r-2", T0, "U0REQUESTER", "request", "", "ok")))
                .isInstanceOf(RequestStore.PendingRequestExists.class);

        assertThat(store.heard).isEmpty();
    }

    @Test
    void anInsertKeptOutByABlockingRequestIsNotHeard() {
        Listening store = listening();
        store.insert(request("r-1", "alice"));
        store.heard.clear();

        boolean stored = store.insertUnlessOpen(request("r-2", "ALICE"), new AuditEntry("r-2", T0, "U0REQUESTER", "request", "", "ok"),
                EnumSet.of(Status.REQUESTED));

        assertThat(stored).isFalse();
        assertThat(store.heard).isEmpty();
    }
}
