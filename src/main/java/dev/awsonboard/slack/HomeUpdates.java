package dev.awsonboard.slack;

import dev.awsonboard.onboarding.AuditEntry;
import dev.awsonboard.onboarding.Request;
import dev.awsonboard.onboarding.RequestStore;
import dev.awsonboard.onboarding.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A {@link RequestStore} that reports every stored change of a request (a new one, a successful
 * compare-and-set), so the App Home of the people it concerns is redrawn without waiting for them
 * to open it again. The report comes after the write and never fails it.
 */
public final class HomeUpdates implements RequestStore {
    private static final Logger log = LoggerFactory.getLogger(HomeUpdates.class);
    private final RequestStore store;
    private volatile Consumer<Request> onChange = r -> { };

    public HomeUpdates(RequestStore store) {
        this.store = store;
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
    public void insert(Request request) {
        store.insert(request);
        changed(request);
    }

    @Override
    public Optional<Request> replace(Request expected, Request next) {
        Optional<Request> stored = store.replace(expected, next);
        stored.ifPresent(this::changed);
        return stored;
    }

    @Override
    public Optional<Request> find(String id) {
        return store.find(id);
    }

    @Override
    public List<Request> findByStatus(Set<Status> statuses) {
        return store.findByStatus(statuses);
    }

    @Override
    public Map<Status, Long> countByStatus() {
        return store.countByStatus();
    }

    @Override
    public List<Request> findUpdatedSince(Instant since) {
        return store.findUpdatedSince(since);
    }

    @Override
    public List<Request> findByIamUserName(String name) {
        return store.findByIamUserName(name);
    }

    @Override
    public List<Request> findOpenByIamUserName(String name) {
        return store.findOpenByIamUserName(name);
    }

    @Override
    public List<Request> findByTarget(String slackUserId) {
        return store.findByTarget(slackUserId);
    }

    @Override
    public List<Request> findOpenConcerning(String slackUserId) {
        return store.findOpenConcerning(slackUserId);
    }

    @Override
    public boolean claim(String requestId, String owner, Instant now, Instant until) {
        return store.claim(requestId, owner, now, until);
    }

    @Override
    public void release(String requestId, String owner) {
        store.release(requestId, owner);
    }

    @Override
    public void audit(AuditEntry entry) {
        store.audit(entry);
    }

    @Override
    public List<AuditEntry> auditTrail(String requestId) {
        return store.auditTrail(requestId);
    }
}
