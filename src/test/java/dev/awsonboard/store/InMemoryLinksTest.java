package dev.awsonboard.store;

import dev.awsonboard.lifecycle.InMemoryRequestStore;
import dev.awsonboard.lifecycle.port.Links;
import dev.awsonboard.lifecycle.port.RequestStore;

/** The in-memory links, held to the same contract as the databases' (use-case tests stand on them). */
class InMemoryLinksTest extends LinksContract {
    private final InMemoryRequestStore store = new InMemoryRequestStore();

    @Override
    protected Links links() {
        return store.links();
    }

    @Override
    protected RequestStore requests() {
        return store;
    }
}
