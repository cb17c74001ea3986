package dev.awsonboard.lifecycle.port;

import dev.awsonboard.lifecycle.model.AuditEntry;
import dev.awsonboard.lifecycle.model.LinkChange;
import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.lifecycle.model.Status;

import java.time.Instant;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Durable home of requests and their audit trail. */
public interface RequestStore {

    /**
     * Stores a new request (version 0). Fails if the id exists, and with {@link PendingRequestExists}
     * when another request for the same IAM user name (ignoring case) is still {@link Status#PENDING}:
     * the store, not a prior read, decides, so two concurrent submissions cannot both get in.
     */
    void insert(Request request);

    /**
     * Inserts a new request and the first entry of its audit trail. A store may write both at once
     * (one trip to the database on an acknowledgement's path); refused like {@link #insert(Request)}.
     */
    default void insert(Request request, AuditEntry first) {
        insertUnlessOpen(request, first, EnumSet.noneOf(Status.class));
    }

    /**
     * Inserts a new request and its first audit entry unless a request for the same IAM user name
     * (ignoring case) is in one of {@code blocking}; then it stores neither and answers false. A
     * store may decide and write in one statement, so that an acknowledgement makes one trip to the
     * database instead of a read and a write. Two concurrent submissions that both pass are still
     * refused by {@link PendingRequestExists} as {@link #insert(Request)} is.
     */
    default boolean insertUnlessOpen(Request request, AuditEntry first, Set<Status> blocking) {
        if (findOpenByIamUserName(request.iamUserName()).stream().anyMatch(open -> blocking.contains(open.status()))) {
            return false;
        }
        insert(request);
        audit(first);
        return true;
    }

    Optional<Request> find(String id);

    /**
     * Compare-and-set: stores {@code next} only if the stored row still has
     * {@code expected.version()}. Returns the stored copy (version + 1), or empty when
     * someone else changed the row first.
     */
    Optional<Request> replace(Request expected, Request next);

    /**
     * {@link #replace(Request, Request)} and a change to the links in one transaction: the link of
     * a user the bot creates is made in the write that records CreateUser, so no crash can leave a
     * user the bot made that belongs to nobody.
     */
    default Optional<Request> replace(Request expected, Request next, LinkChange change) {
        return replace(expected, next, change, List.of());
    }

    /**
     * Compare-and-set as {@link #replace(Request, Request)}, and, in the same write, what the new
     * state owes the world ({@link Outbox}, subject: the request id): both are stored or neither, so
     * no crash can leave a status without the effects it owes, or effects without their status.
     */
    default Optional<Request> replace(Request expected, Request next, List<Outbox.Owed> owed) {
        return replace(expected, next, null, owed);
    }

    /**
     * The compare-and-set, a change to the links (none when {@code change} is null) and what the new
     * state owes, in one write: all of them are stored or none.
     */
    Optional<Request> replace(Request expected, Request next, LinkChange change, List<Outbox.Owed> owed);

    List<Request> findByStatus(Set<Status> statuses);

    /**
     * How many requests are in each status (every status present, zero when none); metrics read it at
     * scrape time and every approver's App Home at every redraw, so a store answers it from counts it
     * keeps with each change rather than by reading every request ever made.
     */
    default Map<Status, Long> countByStatus() {
        return perStatus(findByStatus(EnumSet.allOf(Status.class)));
    }

    /** Requests whose last stored change is at or after {@code since}, oldest change first (App Home's recent activity). */
    default List<Request> findUpdatedSince(Instant since) {
        return findByStatus(EnumSet.allOf(Status.class)).stream().filter(r -> !r.updatedAt().isBefore(since))
                .sorted(java.util.Comparator.comparing(Request::updatedAt)).toList();
    }

    /** The {@code limit} oldest requests in {@code status} (App Home's queue: a screenful, however long the queue). */
    default List<Request> findOldest(Status status, int limit) {
        return findByStatus(EnumSet.of(status)).stream().limit(limit).toList();
    }

    /** The {@code limit} latest requests changed at or after {@code since} that an approver decided, latest first. */
    default List<Request> findLatestDecided(Instant since, int limit) {
        return findUpdatedSince(since).stream().filter(r -> r.approverUserId() != null)
                .sorted(java.util.Comparator.comparing(Request::updatedAt).reversed()).limit(limit).toList();
    }

    /**
     * How many requests changed at or after {@code since} are in each status now (every status present).
     * Read at every redraw of an approver's Home, for the last 30 days: like {@link #countByStatus()}, from
     * counts, not from the requests of the whole period.
     */
    default Map<Status, Long> countUpdatedSince(Instant since) {
        return perStatus(findUpdatedSince(since));
    }

    /** How many of {@code requests} are in each status, every status present. */
    private static Map<Status, Long> perStatus(List<Request> requests) {
        Map<Status, Long> counts = new EnumMap<>(Status.class);
        for (Status s : Status.values()) {
            counts.put(s, 0L);
        }
        requests.forEach(r -> counts.merge(r.status(), 1L, Long::sum));
        return counts;
    }

    /** Every request, in any status, whose IAM user name equals {@code name} ignoring case, oldest first. */
    List<Request> findByIamUserName(String name);

    /** Requests not in a terminal status whose IAM user name equals {@code name} ignoring case. */
    List<Request> findOpenByIamUserName(String name);

    /**
     * Of the requests whose IAM user name equals {@code iamUserName} ignoring case and that recorded the
     * MFA device {@code mfaSerial}, the one made last (created_at, then id): whose a device is, without
     * reading that user's whole history.
     */
    default Optional<Request> findLatestWithMfaSerial(String iamUserName, String mfaSerial) {
        return findByIamUserName(iamUserName).stream().filter(r -> mfaSerial.equals(r.mfaSerial()))
                .max(java.util.Comparator.comparing(Request::createdAt).thenComparing(Request::id));
    }

    /** Every request about this Slack user (as the person concerned), oldest first. */
    List<Request> findByTarget(String slackUserId);

    /** Requests about this Slack user in one of {@code statuses}, oldest first. */
    default List<Request> findByTarget(String slackUserId, Set<Status> statuses) {
        return findByTarget(slackUserId).stream().filter(r -> statuses.contains(r.status())).toList();
    }

    /** Requests not in a terminal status that this Slack user asked for or is the person of, oldest first. */
    List<Request> findOpenConcerning(String slackUserId);

    /** The {@code limit} oldest of {@link #findOpenConcerning(String)}. */
    default List<Request> findOpenConcerning(String slackUserId, int limit) {
        return findOpenConcerning(slackUserId).stream().limit(limit).toList();
    }

    /** How many {@link #findOpenConcerning(String)} would return. */
    default long countOpenConcerning(String slackUserId) {
        return findOpenConcerning(slackUserId).size();
    }

    void audit(AuditEntry entry);

    List<AuditEntry> auditTrail(String requestId);

    /** Another request for the same IAM user is still waiting for approval or being carried out. */
    final class PendingRequestExists extends RuntimeException {
        public PendingRequestExists(String iamUserName) {
            super("a pending request exists for IAM user " + iamUserName, null, false, false);
        }
    }
}
