package dev.awsonboard.store;

import dev.awsonboard.lifecycle.InMemoryLeases;
import dev.awsonboard.lifecycle.port.Leases;

/** The leases contract on the domain tests' in-memory leases. */
class InMemoryLeasesTest extends LeasesContract {
    private final InMemoryLeases leases = new InMemoryLeases();

    @Override
    protected Leases leases() {
        return leases;
    }
}
