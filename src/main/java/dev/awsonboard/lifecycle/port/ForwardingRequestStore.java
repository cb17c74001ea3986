package dev.awsonboard.lifecycle.port;

import dev.awsonboard.lifecycle.model.AuditEntry;
import dev.awsonboard.lifecycle.model.LinkChange;
import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.lifecycle.model.Status;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A {@link RequestStore} that hands every call to another one; a decorator overrides only what it
 * adds to. The defaults of {@link RequestStore} are forwarded too, so the store underneath answers
 * them its own (indexed) way. A decorator that reacts to new requests, stored changes or audit
 * entries overrides {@link #inserted}, {@link #replaced} and {@link #audited}, which every way of
 * writing them reaches.
 */
public abstract class ForwardingRequestStore implements RequestStore {
    private final RequestStore store;

    protected ForwardingRequestStore(RequestStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    @Override
    public void insert(Request request) {
        store.insert(request);
        inserted(request);
    }

    @Override
    public boolean insertUnlessOpen(Request request, AuditEntry first, Set<Status> blocking) {
        if (!store.insertUnlessOpen(request, first, blocking)) {
            return false;
        }
        inserted(request);
        audited(first);
        return true;
    }

    /** After a request was stored. */
    protected void inserted(Request request) {
    }

    /** After a compare-and-set stored a change of a request (with or without a change to the links). */
    protected void replaced(Request stored) {
    }

    /** After an audit entry was stored. */
    protected void audited(AuditEntry entry) {
    }

    @Override
    public Optional<Request> find(String id) {
        return store.find(id);
    }

    @Override
    public Optional<Request> replace(Request expected, Request next) {
        Optional<Request> stored = store.replace(expected, next);
        stored.ifPresent(this::replaced);
        return stored;
    }

    @Override
    public Optional<Request> replace(Request expected, Request next, LinkChange change, List<Outbox.Owed> owed) {
        Optional<Request> stored = store.replace(expected, next, change, owed);
        stored.ifPresent(this::replaced);
        return stored;
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
    public List<Request> findByTarget(String slackUserId, Set<Status> statuses) {
        return store.findByTarget(slackUserId, statuses);
    }

    @Override
    public List<Request> findOpenConcerning(String slackUserId, int limit) {
        return store.findOpenConcerning(slackUserId, limit);
    }

    @Override
    public long countOpenConcerning(String slackUserId) {
        return store.countOpenConcerning(slackUserId);
    }

    @Override
    public List<Request> findOldest(Status status, int limit) {
        return store.findOldest(status, limit);
    }

    @Override
    public List<Request> findLatestDecided(Instant since, int limit) {
        return store.findLatestDecided(since, limit);
    }

    @Override
    public Map<Status, Long> countUpdatedSince(Instant since) {
        return store.countUpdatedSince(since);
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
    public Optional<Request> findLatestWithMfaSerial(String iamUserName, String mfaSerial) {
        return store.findLatestWithMfaSerial(iamUserName, mfaSerial);
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
    public void audit(AuditEntry entry) {
        store.audit(entry);
        audited(entry);
    }

    @Override
    public List<AuditEntry> auditTrail(String requestId) {
        return store.auditTrail(requestId);
    }
}
