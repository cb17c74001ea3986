package dev.awsonboard.store;

import dev.awsonboard.lifecycle.InMemoryRequestStore;
import dev.awsonboard.lifecycle.port.Outbox;
import dev.awsonboard.lifecycle.port.RequestStore;

import static org.assertj.core.api.Assertions.assertThat;

/** The contract on the domain tests' in-memory store, so that use-case tests on it tell the truth about the JDBC one. */
class InMemoryRequestStoreTest extends RequestStoreContract {
    private final InMemoryRequestStore store = new InMemoryRequestStore();

    @Override
    protected RequestStore newStore() {
        return store;
    }

    @Override
    protected Outbox outbox() {
        return store.outbox();
    }

    @Override
    protected void assertKeyClash(Throwable failure) {
        assertThat(failure).isInstanceOf(IllegalStateException.class).hasMessageContaining("key already exists");
    }
}
