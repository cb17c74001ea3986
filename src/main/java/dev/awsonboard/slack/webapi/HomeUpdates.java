package dev.awsonboard.slack.webapi;

import dev.awsonboard.lifecycle.port.ForwardingRequestStore;
import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.lifecycle.port.Outbox;
import dev.awsonboard.lifecycle.port.RequestStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.function.Consumer;

/**
 * A {@link RequestStore} that reports every stored change of a request (a new one, a successful
 * compare-and-set), so the App Home of the people it concerns is redrawn without waiting for them
 * to open it again. The report comes after the write and never fails it.
 */
public final class HomeUpdates extends ForwardingRequestStore {
    private static final Logger log = LoggerFactory.getLogger(HomeUpdates.class);
    private volatile Consumer<Request> onChange = r -> { };

    public HomeUpdates(RequestStore store) {
        super(store);
    }

    /** Who hears of changes; set once the Home is built, which itself reads this store. */
    public void onChange(Consumer<Request> listener) {
        this.onChange = listener;
    }

    private void changed(Request r) {
        try {
            onChange.accept(r);
        } catch (RuntimeException e) {
            log.warn("request {}: could not schedule App Home updates: {}", r.id(), e.getClass().getSimpleName());
        }
    }

    @Override
    protected void inserted(Request request) {
        changed(request);
    }

    @Override
    public Optional<Request> replace(Request expected, Request next) {
        Optional<Request> stored = super.replace(expected, next);
        stored.ifPresent(this::changed);
        return stored;
    }

    @Override
    public Optional<Request> replace(Request expected, Request next, java.util.List<Outbox.Owed> owed) {
        Optional<Request> stored = super.replace(expected, next, owed);
        stored.ifPresent(this::changed);
        return stored;
    }
}
