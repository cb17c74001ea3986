package dev.awsonboard.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.awsonboard.lifecycle.model.AuditEntry;
import dev.awsonboard.lifecycle.model.Holding;
import dev.awsonboard.lifecycle.model.Kind;
import dev.awsonboard.lifecycle.model.MessageRef;
import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.lifecycle.port.Leases;
import dev.awsonboard.lifecycle.port.RequestStore;
import dev.awsonboard.lifecycle.model.Status;
import dev.awsonboard.lifecycle.model.Step;
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

/**
 * {@link RequestStore} over plain JDBC. Every write is a single statement in auto-commit,
 * which keeps it atomic on SQLite (the statement takes the write lock before it reads) and
 * on PostgreSQL without explicit transactions.
 */
public final class JdbcRequestStore implements RequestStore, Leases {

    private static final TypeReference<List<String>> STRING_LIST = new TypeReference<>() { };
    /**
     * A concurrent audit insert on PostgreSQL can compute the same seq; retrying recomputes it.
     * Each round has one winner, so the attempts must exceed the writers that can append to one
     * request at once (every pooled connection of every replica), not just a handful.
     */
    private static final int AUDIT_ATTEMPTS = 100;

    private static final String COLUMNS = "id, status, step, iam_user_name, iam_user_name_lower, "
            + "target_user_id, requester_user_id, approver_user_id, groups_json, reason, "
            + "approval_messages_json, dm_channel, qr_file_id, mfa_serial, user_arn, sign_in_url, "
            + "failure_reason, kind, plan_json, removed_json, setup_message, leftovers, created_at, updated_at, version";

    private static final String INSERT = "INSERT INTO onboarding_request (" + COLUMNS + ") "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    /**
     * The same row as {@link #INSERT}, unless a request for its IAM user is in one of {@code n}
     * statuses, by the number of statuses: built once, not on every acknowledgement.
     */
    private static final String[] INSERT_UNLESS_OPEN = IntStream.rangeClosed(0, Status.values().length)
            .mapToObj(n -> n == 0 ? INSERT : "INSERT INTO onboarding_request (" + COLUMNS + ") "
                    + "SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? "
                    + "WHERE NOT EXISTS (SELECT 1 FROM onboarding_request WHERE iam_user_name_lower = ? AND status IN ("
                    + placeholders(n) + "))")
            .toArray(String[]::new);

    private static final String SELECT = "SELECT " + COLUMNS + " FROM onboarding_request";

    // Sets every column but id, so the stored row equals the returned copy exactly.
    private static final String UPDATE = "UPDATE onboarding_request SET status = ?, step = ?, "
            + "iam_user_name = ?, iam_user_name_lower = ?, target_user_id = ?, requester_user_id = ?, "
            + "approver_user_id = ?, groups_json = ?, reason = ?, approval_messages_json = ?, "
            + "dm_channel = ?, qr_file_id = ?, mfa_serial = ?, user_arn = ?, sign_in_url = ?, "
            + "failure_reason = ?, kind = ?, plan_json = ?, removed_json = ?, setup_message = ?, leftovers = ?, "
            + "created_at = ?, updated_at = ?, version = version + 1 "
            + "WHERE id = ? AND version = ?";

    // seq is computed inside the inserting statement so no other writer can slip in between
    // a read of MAX(seq) and the insert on SQLite.
    private static final String INSERT_AUDIT = "INSERT INTO onboarding_audit "
            + "(request_id, seq, occurred_at, actor, action, detail, outcome) "
            + "SELECT ?, COALESCE(MAX(seq), 0) + 1, ?, ?, ?, ?, ? FROM onboarding_audit WHERE request_id = ?";

    private static final String SELECT_AUDIT = "SELECT request_id, occurred_at, actor, action, detail, outcome "
            + "FROM onboarding_audit WHERE request_id = ? ORDER BY seq";

    private final DataSource dataSource;
    private final ObjectMapper json;
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
        this.json = Objects.requireNonNull(json, "json");
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
            if (insertRequest(c, request, blocking) == 0) {
                return 0;
            }
            return insertAudit(c, first);
        }) > 0;
    }

    private int insertRequest(Connection c, Request request) throws SQLException {
        return insertRequest(c, request, Set.of());
    }

    /** Inserts {@code request} unless a request for its IAM user is in one of {@code blocking}; the rows inserted. */
    private int insertRequest(Connection c, Request request, Set<Status> blocking) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT_UNLESS_OPEN[blocking.size()])) {
            int i = 1;
            ps.setString(i++, request.id());
            i = bindFields(ps, i, request);
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
    public boolean claim(String requestId, String owner, Instant now, Instant until) {
        // Take over a lease that is ours or expired; else create it. Each is one atomic statement.
        try {
            return writes.run(c -> claim(c, requestId, owner, now, until));
        } catch (SQLException e) {
            throw failure("claim request lease", e);
        }
    }

    private static boolean claim(Connection c, String requestId, String owner, Instant now, Instant until) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE request_lease SET owner = ?, expires_at = ? "
                + "WHERE request_id = ? AND (owner = ? OR expires_at < ?)")) {
            ps.setString(1, owner);
            ps.setString(2, Timestamps.format(until));
            ps.setString(3, requestId);
            ps.setString(4, owner);
            ps.setString(5, Timestamps.format(now));
            if (ps.executeUpdate() == 1) {
                return true;
            }
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO request_lease (request_id, owner, expires_at) VALUES (?, ?, ?)")) {
            ps.setString(1, requestId);
            ps.setString(2, owner);
            ps.setString(3, Timestamps.format(until));
            ps.executeUpdate();
            return true;
        } catch (SQLException e) {
            if (isDuplicateKey(e)) {
                return false; // someone else holds it
            }
            throw e;
        }
    }

    @Override
    public void release(String requestId, String owner) {
        try {
            writes.run(c -> {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM request_lease WHERE request_id = ? AND owner = ?")) {
                    ps.setString(1, requestId);
                    ps.setString(2, owner);
                    return ps.executeUpdate();
                }
            });
        } catch (SQLException e) {
            throw failure("release request lease", e);
        }
    }

    @Override
    public Optional<Request> find(String id) {
        List<Request> found = query("find onboarding request", SELECT + " WHERE id = ?", List.of(id));
        return found.stream().findFirst();
    }

    @Override
    public Optional<Request> replace(Request expected, Request next) {
        Objects.requireNonNull(expected, "expected");
        Objects.requireNonNull(next, "next");
        if (!expected.id().equals(next.id())) {
            throw new IllegalArgumentException("replace must keep the request id");
        }
        try {
            int changed = writes.run(c -> {
                try (PreparedStatement ps = c.prepareStatement(UPDATE)) {
                    int i = bindFields(ps, 1, next);
                    ps.setString(i++, expected.id());
                    ps.setLong(i, expected.version());
                    return ps.executeUpdate();
                }
            });
            return changed == 1 ? Optional.of(next.withVersion(expected.version() + 1)) : Optional.empty();
        } catch (SQLException e) {
            throw failure("replace onboarding request", e);
        }
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

    @Override
    public java.util.Map<Status, Long> countByStatus() {
        return counts("count onboarding requests by status", "SELECT status, COUNT(*) FROM onboarding_request GROUP BY status",
                List.of());
    }

    @Override
    public java.util.Map<Status, Long> countUpdatedSince(Instant since) {
        return counts("count recently changed requests",
                "SELECT status, COUNT(*) FROM onboarding_request WHERE updated_at >= ? GROUP BY status", List.of(timestamp(since)));
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
        Status.TERMINAL.stream().map(Status::name).sorted().forEach(params::add);
        String sql = SELECT + " WHERE iam_user_name_lower = ? AND status NOT IN ("
                + placeholders(Status.TERMINAL.size()) + ") ORDER BY created_at, id";
        return query("find open onboarding requests by IAM user name", sql, params);
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

    private static final String OPEN_CONCERNING = " WHERE (target_user_id = ? OR requester_user_id = ?) AND status NOT IN ("
            + placeholders(Status.TERMINAL.size()) + ")";

    private static List<Object> openConcerning(String slackUserId) {
        List<Object> params = new ArrayList<>(List.of(slackUserId, slackUserId));
        Status.TERMINAL.stream().map(Status::name).sorted().forEach(params::add);
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

    /** Binds every column from status to updated_at (the order of INSERT and UPDATE agree). */
    private int bindFields(PreparedStatement ps, int i, Request r) throws SQLException {
        ps.setString(i++, r.status().name());
        ps.setString(i++, r.step().name());
        ps.setString(i++, r.iamUserName());
        ps.setString(i++, r.iamUserName() == null ? null : r.iamUserName().toLowerCase(Locale.ROOT));
        ps.setString(i++, r.targetUserId());
        ps.setString(i++, r.requesterUserId());
        ps.setString(i++, r.approverUserId());
        ps.setString(i++, toJson(r.groups()));
        ps.setString(i++, r.reason());
        ps.setString(i++, toJson(r.approvalMessages().stream().map(MessageRef::encode).toList()));
        ps.setString(i++, r.dmChannel());
        ps.setString(i++, r.qrFileId());
        ps.setString(i++, r.mfaSerial());
        ps.setString(i++, r.userArn());
        ps.setString(i++, r.signInUrl());
        ps.setString(i++, Notices.encode(json, r.ending()));
        ps.setString(i++, r.kind().name());
        ps.setString(i++, toJson(r.plan().stream().map(Holding::encode).toList()));
        ps.setString(i++, toJson(r.removed().stream().map(Holding::encode).toList()));
        ps.setString(i++, r.setupMessage() == null ? null : r.setupMessage().encode());
        ps.setLong(i++, r.leftovers() ? 1 : 0);
        ps.setString(i++, timestamp(r.createdAt()));
        ps.setString(i++, timestamp(r.updatedAt()));
        return i;
    }

    private List<Request> query(String what, String sql, List<?> params) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = prepare(c, sql, params);
             ResultSet rs = ps.executeQuery()) {
            List<Request> out = new ArrayList<>();
            while (rs.next()) {
                out.add(map(rs));
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

    private Request map(ResultSet rs) throws SQLException {
        List<MessageRef> refs = fromJson(rs.getString("approval_messages_json")).stream()
                .map(MessageRef::decode).toList();
        String setupMessage = rs.getString("setup_message");
        return new Request(
                rs.getString("id"),
                Kind.valueOf(rs.getString("kind")),
                Status.valueOf(rs.getString("status")),
                Step.valueOf(rs.getString("step")),
                rs.getString("iam_user_name"),
                rs.getString("target_user_id"),
                rs.getString("requester_user_id"),
                rs.getString("approver_user_id"),
                fromJson(rs.getString("groups_json")),
                rs.getString("reason"),
                refs,
                rs.getString("dm_channel"),
                rs.getString("qr_file_id"),
                rs.getString("mfa_serial"),
                rs.getString("user_arn"),
                rs.getString("sign_in_url"),
                Notices.decode(json, rs.getString("failure_reason")),
                rs.getLong("leftovers") != 0,
                fromJson(rs.getString("plan_json")).stream().map(Holding::decode).toList(),
                fromJson(rs.getString("removed_json")).stream().map(Holding::decode).toList(),
                setupMessage == null ? null : MessageRef.decode(setupMessage),
                instant(rs.getString("created_at")),
                instant(rs.getString("updated_at")),
                rs.getLong("version"));
    }

    private String toJson(List<String> values) {
        try {
            return json.writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new StoreException("cannot serialise a list column", e);
        }
    }

    private List<String> fromJson(String text) {
        if (text == null || text.isEmpty() || text.equals("[]")) { // most lists are empty: no parser for them
            return List.of();
        }
        try {
            return json.readValue(text, STRING_LIST);
        } catch (JsonProcessingException e) {
            // Jackson's message quotes the offending text; keep it only as the cause.
            throw new StoreException("cannot parse a stored list column", e);
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

    private static StoreException failure(String what, SQLException e) {
        boolean duplicate = isDuplicateKey(e);
        String state = e.getSQLState() == null ? "" : " (SQLState " + e.getSQLState() + ")";
        return new StoreException(what + " failed" + (duplicate ? ": key already exists" : "") + state,
                e, duplicate);
    }

    /**
     * Unique/primary-key violation: SQLState 23505 on PostgreSQL. sqlite-jdbc sets no
     * SQLState and its vendor code is only the base SQLITE_CONSTRAINT (also NOT NULL etc.),
     * so the extended result code is read instead.
     */
    static boolean isDuplicateKey(SQLException e) {
        if ("23505".equals(e.getSQLState())) {
            return true;
        }
        return e instanceof SQLiteException se
                && (se.getResultCode() == SQLiteErrorCode.SQLITE_CONSTRAINT_PRIMARYKEY
                || se.getResultCode() == SQLiteErrorCode.SQLITE_CONSTRAINT_UNIQUE);
    }
}
