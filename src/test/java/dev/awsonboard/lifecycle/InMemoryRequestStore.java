package dev.awsonboard.lifecycle;

import dev.awsonboard.lifecycle.model.AuditEntry;
import dev.awsonboard.lifecycle.model.LinkChange;
import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.lifecycle.model.Status;
import dev.awsonboard.lifecycle.port.Outbox;
import dev.awsonboard.lifecycle.port.RequestStore;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * {@link RequestStore} in memory, for use-case tests that need no database. Held to the same
 * contract as the JDBC store (the store tests' {@code RequestStoreContract}): compare-and-set on
 * version, at most one {@link Status#PENDING} request per IAM user name ignoring case (the JDBC
 * store's partial unique index, which also refuses a replace into a pending status), oldest first
 * as created_at then id. One lock over everything, so each call is atomic as one statement is.
 */
public final class InMemoryRequestStore implements RequestStore {
    private static final Comparator<Request> OLDEST_FIRST = Comparator.comparing(Request::createdAt).thenComparing(Request::id);
    private static final Comparator<Request> LEAST_RECENTLY_CHANGED_FIRST =
            Comparator.comparing(Request::updatedAt).thenComparing(Request::id);

    private final Map<String, Request> requests = new HashMap<>();
    private final Map<String, List<AuditEntry>> audit = new HashMap<>();
    /** The links a replace may change with the request, as the JDBC store writes both in one transaction. */
    private final InMemoryLinks links;
    private final InMemoryOutbox outbox = new InMemoryOutbox();

    public InMemoryRequestStore() {
        this(new InMemoryLinks());
    }

    public InMemoryRequestStore(InMemoryLinks links) {
        this.links = links;
    }

    public InMemoryLinks links() {
        return links;
    }

    @Override
    public synchronized void insert(Request request) {
        Objects.requireNonNull(request, "request");
        if (requests.containsKey(request.id())) {
            // As a primary-key clash: a failure of its own, not PendingRequestExists, naming no value.
            throw new IllegalStateException("insert onboarding request failed: key already exists");
        }
        if (clashesWithAPendingRequest(request)) {
            throw new PendingRequestExists(request.iamUserName());
        }
        requests.put(request.id(), request);
    }

    /** Decides and writes under the one lock, as the JDBC store's single statement does. */
    @Override
    public synchronized boolean insertUnlessOpen(Request request, AuditEntry first, Set<Status> blocking) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(first, "first");
        // Any stored request in a blocking status counts, whatever else its status says (as in SQL).
        if (!select(r -> sameIamUser(r, request.iamUserName()) && blocking.contains(r.status())).isEmpty()) {
            return false;
        }
        insert(request);
        audit(first);
        return true;
    }

    @Override
    public synchronized Optional<Request> find(String id) {
        return Optional.ofNullable(requests.get(id));
    }

    @Override
    public synchronized Optional<Request> replace(Request expected, Request next) {
        Objects.requireNonNull(expected, "expected");
        Objects.requireNonNull(next, "next");
        if (!expected.id().equals(next.id())) {
            throw new IllegalArgumentException("replace must keep the request id");
        }
        Request stored = requests.get(expected.id());
        if (stored == null || stored.version() != expected.version()) {
            return Optional.empty();
        }
        if (clashesWithAPendingRequest(next)) {
            // The unique index refuses the update itself: a store failure, as on JDBC, not a lost race.
            throw new IllegalStateException("replace onboarding request failed: key already exists");
        }
        Request replaced = next.withVersion(expected.version() + 1);
        requests.put(replaced.id(), replaced);
        return Optional.of(replaced);
    }

    /** The compare-and-set, the link change and the effects under the one lock, as the JDBC store's transaction. */
    @Override
    public synchronized Optional<Request> replace(Request expected, Request next, LinkChange change, List<Outbox.Owed> owed) {
        Optional<Request> replaced = replace(expected, next);
        replaced.ifPresent(r -> {
            if (change != null) {
                links.apply(change);
            }
            if (!owed.isEmpty()) {
                outbox.owe(r.id(), owed, r.updatedAt());
            }
        });
        return replaced;
    }

    /** Where this store records what its changes owe. */
    public InMemoryOutbox outbox() {
        return outbox;
    }

    @Override
    public synchronized List<Request> findByStatus(Set<Status> statuses) {
        if (statuses == null || statuses.isEmpty()) {
            return List.of();
        }
        return select(r -> statuses.contains(r.status()));
    }

    @Override
    public synchronized List<Request> findUpdatedSince(Instant since) {
        return select(r -> !r.updatedAt().isBefore(since), LEAST_RECENTLY_CHANGED_FIRST);
    }

    @Override
    public synchronized List<Request> findLatestDecided(Instant since, int limit) {
        return select(r -> !r.updatedAt().isBefore(since) && r.approverUserId() != null,
                LEAST_RECENTLY_CHANGED_FIRST.reversed()).stream().limit(limit).toList();
    }

    @Override
    public synchronized List<Request> findByIamUserName(String name) {
        if (name == null) {
            return List.of();
        }
        return select(r -> sameIamUser(r, name));
    }

    @Override
    public synchronized List<Request> findOpenByIamUserName(String name) {
        if (name == null) {
            return List.of();
        }
        return select(r -> sameIamUser(r, name) && !r.status().isTerminal());
    }

    @Override
    public synchronized List<Request> findByTarget(String slackUserId) {
        if (slackUserId == null) {
            return List.of();
        }
        return select(r -> slackUserId.equals(r.targetUserId()));
    }

    @Override
    public synchronized List<Request> findOpenConcerning(String slackUserId) {
        if (slackUserId == null) {
            return List.of();
        }
        return select(r -> (slackUserId.equals(r.targetUserId()) || slackUserId.equals(r.requesterUserId()))
                && !r.status().isTerminal());
    }

    @Override
    public synchronized void audit(AuditEntry entry) {
        Objects.requireNonNull(entry, "entry");
        audit.computeIfAbsent(entry.requestId(), id -> new ArrayList<>()).add(entry);
    }

    @Override
    public synchronized List<AuditEntry> auditTrail(String requestId) {
        return List.copyOf(audit.getOrDefault(requestId, List.of()));
    }

    /** Whether storing {@code request} would make two pending requests for one IAM user. */
    private boolean clashesWithAPendingRequest(Request request) {
        return Status.PENDING.contains(request.status())
                && requests.values().stream().anyMatch(r -> !r.id().equals(request.id())
                && Status.PENDING.contains(r.status()) && sameIamUser(r, request.iamUserName()));
    }

    private static boolean sameIamUser(Request r, String name) {
        return name != null && r.iamUserName() != null && r.iamUserName().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT));
    }

    private List<Request> select(Predicate<Request> which) {
        return select(which, OLDEST_FIRST);
    }

    private List<Request> select(Predicate<Request> which, Comparator<Request> order) {
        return requests.values().stream().filter(which).sorted(order).toList();
    }
}
