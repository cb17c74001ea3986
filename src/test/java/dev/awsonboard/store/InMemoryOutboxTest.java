package dev.awsonboard.store;

import dev.awsonboard.lifecycle.InMemoryOutbox;
import dev.awsonboard.lifecycle.port.Outbox;

/** The outbox contract on the domain tests' in-memory outbox. */
class InMemoryOutboxTest extends OutboxContract {
    private final InMemoryOutbox outbox = new InMemoryOutbox();

    @Override
    protected Outbox outbox() {
        return outbox;
    }
}
