package dev.awsonboard.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.awsonboard.lifecycle.model.AuditEntry;
import dev.awsonboard.lifecycle.model.LinkChange;
import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.lifecycle.port.Outbox;
import dev.awsonboard.lifecycle.port.RequestStore;
import dev.awsonboard.lifecycle.model.Status;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static dev.awsonboard.store.SqlErrors.failure;
import static dev.awsonboard.store.SqlErrors.isDuplicateKey;

/**
 * {@link RequestStore} over plain JDBC: the onboarding_request and onboarding_audit tables. Every
 * write is a single statement in auto-commit, which keeps it atomic on SQLite (the statement takes
 * the write lock before it reads) and on PostgreSQL without explicit transactions. How a request
 * lies in a row is {@link RequestRows}'; the leases on requests are {@link JdbcLeases}.
 */
public final class JdbcRequestStore implements RequestStore {
    /**
     * A concurrent audit insert on PostgreSQL can compute the same seq; retrying recomputes it.
     * Each round has one winner, so the attempts must exceed the writers that can append to one
     * request at once (every pooled connection of every replica), not just a handful.
     */
    private static final int AUDIT_ATTEMPTS = 100;

    private static final String COLUMNS = RequestRows.COLUMNS;
    /** A placeholder for each column of {@link #COLUMNS}. */
    private static final String VALUES = placeholders(RequestRows.FIELDS.size() + 2);

    private static final String INSERT = "INSERT INTO onboarding_request (" + COLUMNS + ") VALUES (" + VALUES + ")";

    /**
     * The same row as {@link #INSERT}, unless a request for its IAM user is in one of {@code n}
     * statuses, by the number of statuses: built once, not on every acknowledgement.
     */
    private static final String[] INSERT_UNLESS_OPEN = IntStream.rangeClosed(0, Status.values().length)
            .mapToObj(n -> n == 0 ? INSERT : "INSERT INTO onboarding_request (" + COLUMNS + ") "
                    + "SELECT " + VALUES + " "
                    + "WHERE NOT EXISTS (SELECT 1 FROM onboarding_request WHERE iam_user_name_lower = ? AND status IN ("
                    + placeholders(n) + "))")
            .toArray(String[]::new);

    private static final String SELECT = "SELECT " + COLUMNS + " FROM onboarding_request";

    // Sets every column but id, so the stored row equals the returned copy exactly. The status and
    // updated_at it was read with must still be there, so the counts it moves are the ones it changes.
    private static final String UPDATE = "UPDATE onboarding_request SET "
            + RequestRows.FIELDS.stream().map(column -> column + " = ?, ").collect(Collectors.joining())
            + "version = version + 1 WHERE id = ? AND version = ? AND status = ? AND updated_at = ?";

    /** What a compare-and-set moves in the counts: where the request is at the version it expects. */
    private static final String BEFORE_UPDATE = "SELECT status, updated_at FROM onboarding_request WHERE id = ? AND version = ?";

    /** Open: not in a terminal status. Written as the open statuses, so an index on (x, status) seeks each of them. */
    private static final List<String> OPEN = Status.OPEN.stream().map(Status::name).sorted().toList();

    // seq is computed inside the inserting statement so no other writer can slip in between
    // a read of MAX(seq) and the insert on SQLite.
    private static final String INSERT_AUDIT = "INSERT INTO onboarding_audit "
            + "(request_id, seq, occurred_at, actor, action, detail, outcome) "
            + "SELECT ?, COALESCE(MAX(seq), 0) + 1, ?, ?, ?, ?, ? FROM onboarding_audit WHERE request_id = ?";

    private static final String SELECT_AUDIT = "SELECT request_id, occurred_at, actor, action, detail, outcome "
            + "FROM onboarding_audit WHERE request_id = ? ORDER BY seq";

    private final DataSource dataSource;
    private final RequestRows rows;
    /** Where every write goes (one writer thread on SQLite, see {@link Writes}); reads use the pool. */
    private final Writes writes;

    public JdbcRequestStore(DataSource dataSource) {
        this(dataSource, new ObjectMapper());
    }

    public JdbcRequestStore(DataSource dataSource, ObjectMapper json) {
        this(dataSource, json, Writes.direct(dataSource));
    }

    /** @param writes how writes reach the database: {@link Database#writes()}, shared by every store on it */
    public JdbcRequestStore(DataSource dataSource, Writes writes) {
        this(dataSource, new ObjectMapper(), writes);
    }

    private JdbcRequestStore(DataSource dataSource, ObjectMapper json, Writes writes) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.rows = new RequestRows(json);
        this.writes = Objects.requireNonNull(writes, "writes");
    }

    @Override
    public void insert(Request request) {
        Objects.requireNonNull(request, "request");
        insert(request, c -> insertRequest(c, request));
    }

    /**
     * One write: the request is inserted by a statement that first looks for a blocking request (an
     * index seek inside SQLite, not a query of its own from the pool), and its audit entry only if it
     * was. A new request has no audit trail yet, so its first entry cannot clash with another's.
     */
    @Override
    public boolean insertUnlessOpen(Request request, AuditEntry first, Set<Status> blocking) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(first, "first");
        return insert(request, c -> {
            int[] written = new int[1];
            Transactions.atomically(c, () -> {
                if (insertRequest(c, request, blocking) > 0) {
                    written[0] = insertAudit(c, first);
                }
            });
            return written[0];
        }) > 0;
    }

    private int insertRequest(Connection c, Request request) throws SQLException {
        int[] inserted = new int[1];
        Transactions.atomically(c, () -> inserted[0] = insertRequest(c, request, Set.of()));
        return inserted[0];
    }

    /**
     * Inserts {@code request} unless a request for its IAM user is in one of {@code blocking}, and counts
     * it ({@link RequestCounts}); the rows inserted. The caller makes both one transaction.
     */
    private int insertRequest(Connection c, Request request, Set<Status> blocking) throws SQLException {
        int inserted = insertRow(c, request, blocking);
        if (inserted > 0) {
            RequestCounts.added(c, request.status().name(), timestamp(request.updatedAt()));
        }
        return inserted;
    }

    private int insertRow(Connection c, Request request, Set<Status> blocking) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT_UNLESS_OPEN[blocking.size()])) {
            int i = 1;
            ps.setString(i++, request.id());
            i = rows.bind(ps, i, request);
            ps.setLong(i++, request.version());
            if (!blocking.isEmpty()) {
                ps.setString(i++, request.iamUserName().toLowerCase(Locale.ROOT));
                for (Status status : blocking) { // the order is the set's; IN does not care
                    ps.setString(i++, status.name());
                }
            }
            return ps.executeUpdate();
        }
    }

    private int insert(Request request, Writes.Work<Integer> work) {
        try {
            return writes.run(work);
        } catch (SQLException e) {
            if (isDuplicateKey(e) && !isPrimaryKeyClash(e, request.id())) {
                // The one-pending-request-per-user index: another request for this user is pending.
                throw new PendingRequestExists(request.iamUserName());
            }
            throw failure("insert onboarding request", e);
        }
    }

    @Override
    public Optional<Request> find(String id) {
        List<Request> found = query("find onboarding request", SELECT + " WHERE id = ?", List.of(id));
        return found.stream().findFirst();
    }

    @Override
    public Optional<Request> replace(Request expected, Request next) {
        return replace(expected, next, null, List.of());
    }

    @Override
    public Optional<Request> replace(Request expected, Request next, LinkChange change, List<Outbox.Owed> owed) {
        Objects.requireNonNull(expected, "expected");
        Objects.requireNonNull(next, "next");
        if (!expected.id().equals(next.id())) {
            throw new IllegalArgumentException("replace must keep the request id");
        }
        try {
            // Atomic even alone: the compare-and-set reads before it writes, and on SQLite only a
            // transaction that takes the write lock first waits for another process instead of
            // failing with SQLITE_BUSY.
            int changed = writes.atomic(c -> updateWith(c, expected, next, change, owed));
            return changed == 1 ? Optional.of(next.withVersion(expected.version() + 1)) : Optional.empty();
        } catch (SQLException e) {
            throw failure("replace onboarding request", e);
        }
    }

    /**
     * The compare-and-set and the counts it moves ({@link RequestCounts}); the caller makes them one
     * transaction. Where the request was is read at the expected version, and the update holds the
     * row to it, so a writer that slipped in between makes this one lose rather than miscount.
     */
    private int updateCounted(Connection c, Request expected, Request next) throws SQLException {
        String status;
        String updatedAt;
        try (PreparedStatement ps = c.prepareStatement(BEFORE_UPDATE)) {
            ps.setString(1, expected.id());
            ps.setLong(2, expected.version());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return 0; // changed by someone else, or gone
                }
                status = rs.getString(1);
                updatedAt = rs.getString(2);
            }
        }
        int changed;
        try (PreparedStatement ps = c.prepareStatement(UPDATE)) {
            int i = rows.bind(ps, 1, next);
            ps.setString(i++, expected.id());
            ps.setLong(i++, expected.version());
            ps.setString(i++, status);
            ps.setString(i, updatedAt);
            changed = ps.executeUpdate();
        }
        if (changed == 1) {
            RequestCounts.moved(c, status, updatedAt, next.status().name(), timestamp(next.updatedAt()));
        }
        return changed;
    }

    /**
     * The compare-and-set, the link change and what the new state owes in one transaction: the link and
     * the effects only if the request changed.
     */
    private int updateWith(Connection c, Request expected, Request next, LinkChange change, List<Outbox.Owed> owed)
            throws SQLException {
        int[] changed = new int[1];
        Transactions.atomically(c, () -> {
            changed[0] = updateCounted(c, expected, next);
            if (changed[0] == 1) {
                if (change != null) {
                    JdbcLinks.write(c, change);
                }
                if (!owed.isEmpty()) {
                    JdbcOutbox.insert(c, next.id(), owed, next.updatedAt());
                }
            }
        });
        return changed[0];
    }

    @Override
    public List<Request> findByStatus(Set<Status> statuses) {
        if (statuses == null || statuses.isEmpty()) {
            return List.of();
        }
        List<Object> names = statuses.stream().map(Status::name).sorted().collect(Collectors.toList());
        String sql = SELECT + " WHERE status IN (" + placeholders(names.size()) + ") ORDER BY created_at, id";
        return query("find onboarding requests by status", sql, names);
    }

    /** From the counts every write keeps (V11), not from the requests: a dozen rows however long the history. */
    @Override
    public java.util.Map<Status, Long> countByStatus() {
        return counts("count onboarding requests by status", "SELECT status, requests FROM request_status_count", List.of());
    }

    /**
     * From the counts (V11): the whole days after the one {@code since} falls in, the whole hours after
     * its hour within that day, and the rest of that hour request by request (by index). One statement,
     * so one snapshot of all three.
     */
    @Override
    public java.util.Map<Status, Long> countUpdatedSince(Instant since) {
        String from = timestamp(since);
        String nextHour = timestamp(since.truncatedTo(java.time.temporal.ChronoUnit.HOURS).plus(java.time.Duration.ofHours(1)));
        String day = RequestCounts.day(from);
        return counts("count recently changed requests", "SELECT status, SUM(n) FROM ("
                        + "SELECT status, requests AS n FROM request_change_day WHERE changed_day > ? "
                        + "UNION ALL SELECT status, requests AS n FROM request_change_count WHERE changed_hour > ? AND changed_hour < ? "
                        + "UNION ALL SELECT status, 1 AS n FROM onboarding_request WHERE updated_at >= ? AND updated_at < ?"
                        + ") recent GROUP BY status",
                List.of(day, RequestCounts.hour(from), day + "U", from, nextHour)); // "U" follows the "T" of every hour of that day
    }

    private java.util.Map<Status, Long> counts(String what, String sql, List<?> args) {
        java.util.Map<Status, Long> counts = new java.util.EnumMap<>(Status.class);
        for (Status s : Status.values()) {
            counts.put(s, 0L);
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = prepare(c, sql, args);
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                counts.put(Status.valueOf(rs.getString(1)), rs.getLong(2));
            }
            return counts;
        } catch (SQLException e) {
            throw failure(what, e);
        }
    }

    @Override
    public List<Request> findOldest(Status status, int limit) {
        return query("find the oldest requests in a status", SELECT + " WHERE status = ? ORDER BY created_at, id LIMIT ?",
                List.of(status.name(), limit));
    }

    @Override
    public List<Request> findLatestDecided(Instant since, int limit) {
        return query("find the latest decisions", SELECT + " WHERE updated_at >= ? AND approver_user_id IS NOT NULL"
                + " ORDER BY updated_at DESC, id DESC LIMIT ?", List.of(timestamp(since), limit));
    }

    @Override
    public List<Request> findUpdatedSince(Instant since) {
        return query("find recently changed requests", SELECT + " WHERE updated_at >= ? ORDER BY updated_at, id",
                List.of(timestamp(since)));
    }

    @Override
    public List<Request> findByIamUserName(String name) {
        if (name == null) {
            return List.of();
        }
        return query("find onboarding requests by IAM user name",
                SELECT + " WHERE iam_user_name_lower = ? ORDER BY created_at, id", List.of(name.toLowerCase(Locale.ROOT)));
    }

    @Override
    public List<Request> findOpenByIamUserName(String name) {
        if (name == null) {
            return List.of();
        }
        List<Object> params = new ArrayList<>();
        params.add(name.toLowerCase(Locale.ROOT));
        params.addAll(OPEN);
        String sql = SELECT + " WHERE iam_user_name_lower = ? AND status IN (" + placeholders(OPEN.size()) + ") ORDER BY created_at, id";
        return query("find open onboarding requests by IAM user name", sql, params);
    }

    @Override
    public Optional<Request> findLatestWithMfaSerial(String iamUserName, String mfaSerial) {
        if (iamUserName == null || mfaSerial == null) {
            return Optional.empty();
        }
        return query("find the latest request of an MFA device", SELECT + " WHERE mfa_serial = ? AND iam_user_name_lower = ?"
                        + " ORDER BY created_at DESC, id DESC LIMIT 1", List.of(mfaSerial, iamUserName.toLowerCase(Locale.ROOT)))
                .stream().findFirst();
    }

    @Override
    public List<Request> findByTarget(String slackUserId) {
        if (slackUserId == null) {
            return List.of();
        }
        return query("find requests by target", SELECT + " WHERE target_user_id = ? ORDER BY created_at, id", List.of(slackUserId));
    }

    @Override
    public List<Request> findByTarget(String slackUserId, Set<Status> statuses) {
        if (slackUserId == null || statuses.isEmpty()) {
            return List.of();
        }
        List<Object> params = new ArrayList<>(List.of(slackUserId));
        statuses.stream().map(Status::name).sorted().forEach(params::add);
        return query("find requests by target and status", SELECT + " WHERE target_user_id = ? AND status IN ("
                + placeholders(statuses.size()) + ") ORDER BY created_at, id", params);
    }

    @Override
    public List<Request> findOpenConcerning(String slackUserId) {
        return findOpenConcerning(slackUserId, Integer.MAX_VALUE);
    }

    @Override
    public List<Request> findOpenConcerning(String slackUserId, int limit) {
        if (slackUserId == null) {
            return List.of();
        }
        List<Object> params = openConcerning(slackUserId);
        params.add(limit);
        return query("find open requests of a person", SELECT + OPEN_CONCERNING + " ORDER BY created_at, id LIMIT ?", params);
    }

    @Override
    public long countOpenConcerning(String slackUserId) {
        if (slackUserId == null) {
            return 0;
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = prepare(c, "SELECT COUNT(*) FROM onboarding_request" + OPEN_CONCERNING, openConcerning(slackUserId));
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw failure("count open requests of a person", e);
        }
    }

    /**
     * The person's open requests as the one concerned, and as requester: two index seeks per open status
     * (an OR of the two would read the person's whole past through one of them).
     */
    private static final String OPEN_CONCERNING = " WHERE id IN (SELECT id FROM onboarding_request WHERE target_user_id = ? AND status IN ("
            + placeholders(OPEN.size()) + ") UNION ALL SELECT id FROM onboarding_request WHERE requester_user_id = ? AND status IN ("
            + placeholders(OPEN.size()) + "))";

    private static List<Object> openConcerning(String slackUserId) {
        List<Object> params = new ArrayList<>();
        params.add(slackUserId);
        params.addAll(OPEN);
        params.add(slackUserId);
        params.addAll(OPEN);
        return params;
    }

    /** Whether an insert failed because its id exists (rather than the pending-request index). */
    private boolean isPrimaryKeyClash(SQLException e, String id) {
        if (e instanceof SQLiteException se) {
            return se.getResultCode() == SQLiteErrorCode.SQLITE_CONSTRAINT_PRIMARYKEY;
        }
        return find(id).isPresent();
    }

    @Override
    public void audit(AuditEntry entry) {
        Objects.requireNonNull(entry, "entry");
        for (int attempt = 1; ; attempt++) {
            if (appendAudit(entry, attempt)) {
                return;
            }
            backOff(attempt);
        }
    }

    private static int insertAudit(Connection c, AuditEntry entry) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT_AUDIT)) {
            ps.setString(1, entry.requestId());
            ps.setString(2, timestamp(entry.at()));
            ps.setString(3, entry.actor());
            ps.setString(4, entry.action());
            ps.setString(5, entry.detail());
            ps.setString(6, entry.outcome());
            ps.setString(7, entry.requestId());
            return ps.executeUpdate();
        }
    }

    /** One attempt; false when a concurrent writer took the same seq and it is worth trying again. */
    private boolean appendAudit(AuditEntry entry, int attempt) {
        try {
            writes.run(c -> insertAudit(c, entry));
            return true;
        } catch (SQLException e) {
            if (attempt < AUDIT_ATTEMPTS && isDuplicateKey(e)) {
                return false;
            }
            throw failure("append audit entry", e);
        }
    }

    @Override
    public List<AuditEntry> auditTrail(String requestId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(SELECT_AUDIT)) {
            ps.setString(1, requestId);
            try (ResultSet rs = ps.executeQuery()) {
                List<AuditEntry> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(new AuditEntry(rs.getString("request_id"), instant(rs.getString("occurred_at")),
                            rs.getString("actor"), rs.getString("action"), rs.getString("detail"),
                            rs.getString("outcome")));
                }
                return Collections.unmodifiableList(out);
            }
        } catch (SQLException e) {
            throw failure("read audit trail", e);
        }
    }

    private List<Request> query(String what, String sql, List<?> params) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = prepare(c, sql, params);
             ResultSet rs = ps.executeQuery()) {
            List<Request> out = new ArrayList<>();
            while (rs.next()) {
                out.add(rows.read(rs));
            }
            return Collections.unmodifiableList(out);
        } catch (SQLException e) {
            throw failure(what, e);
        }
    }

    /** {@code sql} with {@code params} bound in order; the statement is closed again if binding fails. */
    private static PreparedStatement prepare(Connection c, String sql, List<?> params) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        try {
            for (int i = 0; i < params.size(); i++) {
                ps.setObject(i + 1, params.get(i));
            }
            return ps;
        } catch (SQLException e) {
            ps.close();
            throw e;
        }
    }

    private static String timestamp(Instant at) {
        return Timestamps.format(at);
    }

    private static Instant instant(String text) {
        return Timestamps.parse(text);
    }

    /** A short random pause so writers that collided do not collide again in lock step. */
    private static void backOff(int attempt) {
        try {
            Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextLong(0, Math.min(attempt, 10) + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("append audit entry interrupted", e);
        }
    }

    private static String placeholders(int n) {
        return String.join(", ", Collections.nCopies(n, "?"));
    }
}
