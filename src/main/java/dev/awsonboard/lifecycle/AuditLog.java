package dev.awsonboard.lifecycle;

import dev.awsonboard.lifecycle.model.AuditEntry;
import dev.awsonboard.lifecycle.port.RequestStore;

import java.time.Clock;

/** Appends to the audit trail with the injected clock. Callers pass redacted details only. */
public final class AuditLog {
    public static final String BOT = "bot";
    private final RequestStore store;
    private final Clock clock;

    public AuditLog(RequestStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    public void record(String requestId, String actor, String action, String detail, String outcome) {
        store.audit(entry(requestId, actor, action, detail, outcome));
    }

    /** An entry stamped now, for a caller that stores it with something else ({@link RequestStore#insert(Request, AuditEntry)}). */
    public AuditEntry entry(String requestId, String actor, String action, String detail, String outcome) {
        return new AuditEntry(requestId, clock.instant(), actor, action, detail, outcome);
    }
}
