package dev.awsonboard.onboarding;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Durable home of onboarding requests and their audit trail. */
public interface RequestStore {

    /** Stores a new request (version 0). Fails if the id exists. */
    void insert(Request request);

    Optional<Request> find(String id);

    /**
     * Compare-and-set: stores {@code next} only if the stored row still has
     * {@code expected.version()}. Returns the stored copy (version + 1), or empty when
     * someone else changed the row first.
     */
    Optional<Request> replace(Request expected, Request next);

    List<Request> findByStatus(Set<Status> statuses);

    /** How many requests are in each status (every status present, zero when none); metrics read it at scrape time. */
    default java.util.Map<Status, Long> countByStatus() {
        java.util.Map<Status, Long> counts = new java.util.EnumMap<>(Status.class);
        for (Status s : Status.values()) {
            counts.put(s, 0L);
        }
        findByStatus(java.util.EnumSet.allOf(Status.class)).forEach(r -> counts.merge(r.status(), 1L, Long::sum));
        return counts;
    }

    /** Every request, in any status, whose IAM user name equals {@code name} ignoring case. */
    List<Request> findByIamUserName(String name);

    /** Requests not in a terminal status whose IAM user name equals {@code name} ignoring case. */
    List<Request> findOpenByIamUserName(String name);

    /**
     * Takes, or renews, the right to work on a request until {@code until}. False while
     * another owner holds a lease that has not expired at {@code now}. Atomic across
     * processes sharing the database.
     */
    boolean claim(String requestId, String owner, java.time.Instant now, java.time.Instant until);

    /** Gives the lease up, if {@code owner} still holds it. */
    void release(String requestId, String owner);

    void audit(AuditEntry entry);

    List<AuditEntry> auditTrail(String requestId);
}
