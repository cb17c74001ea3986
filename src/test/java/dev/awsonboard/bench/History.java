package dev.awsonboard.bench;

import dev.awsonboard.fakes.FakeIam;
import dev.awsonboard.fakes.FakeSlack;
import org.flywaydb.core.Flyway;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * A request store with a long past, filled in bulk (not through the bot): {@code requests} finished
 * requests over the two years before {@code now}, each with {@code auditPerRequest} audit rows, for
 * {@link #PEOPLE} people who each have one IAM user name, so every person's and every name's history
 * grows with the store; plus the links of half of them and the one-time links backfill marked done,
 * as in a database the bot has been running on.
 *
 * <p>Of the history: 80% DONE, 5% DENIED, 4% CANCELLED, 4% REJECTED, 4% EXPIRED, 3% FAILED; the
 * benchmark's requester asked for 20% of it and its approver for 5% (and decided most of it), so their
 * own open requests are read from a long past too. The schema is migrated to {@code schemaVersion}
 * first (the bot migrates the rest when it starts, as an upgrade would), and the rows use only the
 * columns of that version.
 */
final class History {
    /** People, and IAM user names (one each): person k is {@link #person}(k), their user {@link #iamUser}(k). */
    static final int PEOPLE = 1000;
    /** Persons below this have no link (their names are onboarded again by the benchmark); from it on, one each. */
    static final int LINKED_FROM = PEOPLE / 2;
    /** The schema the rows are written for (links and link requests); later migrations run in the bot. */
    static final String SCHEMA_VERSION = "9";
    static final Duration SPAN = Duration.ofDays(730);

    private static final List<String> COLUMNS = List.of("id", "status", "step", "iam_user_name", "iam_user_name_lower",
            "target_user_id", "requester_user_id", "approver_user_id", "groups_json", "reason", "approval_messages_json",
            "mfa_serial", "created_at", "updated_at", "version", "kind");
    private static final List<String> AUDIT_COLUMNS = List.of("request_id", "seq", "occurred_at", "actor", "action", "detail",
            "outcome");
    private static final List<String> ACTIONS = List.of("request", "approve", "iam:CreateUser", "slack:notify", "done", "iam:AddUserToGroup",
            "iam:CreateLoginProfile", "iam:CreateVirtualMFADevice", "slack:setup", "iam:EnableMFADevice");
    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);
    private static final long ID_SPACE = 3_656_158_440_062_976L; // 36^10: ids look like the bot's own (r- and ten base-36 digits)

    private final int requests;
    private final int auditPerRequest;
    private final Instant now;

    History(int requests, int auditPerRequest, Instant now) {
        this.requests = requests;
        this.auditPerRequest = auditPerRequest;
        this.now = now;
    }

    static String person(int k) {
        return String.format("UH%04d", k);
    }

    static String iamUser(int k) {
        return String.format("hist%04d", k);
    }

    /** Brings the database at {@code url} to {@link #SCHEMA_VERSION} and writes the history; milliseconds taken. */
    long fill(String url) throws SQLException {
        long t0 = System.nanoTime();
        Flyway.configure().dataSource(url, null, null).locations("classpath:db/migration").target(SCHEMA_VERSION).load().migrate();
        boolean postgres = url.startsWith("jdbc:postgresql:");
        try (Connection c = DriverManager.getConnection(url)) {
            if (postgres) {
                copy(c);
            } else {
                insert(c);
            }
        }
        return (System.nanoTime() - t0) / 1_000_000;
    }

    // ---- the rows ----

    /** A stable 64-bit mix of {@code i}, so every run writes the same history. */
    private static long mix(long i) {
        long z = i + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Request i's id: a bijection of i onto ten base-36 digits (the multiplier is prime to 36), so ids are unique and unordered. */
    static String id(long i) {
        long v = Math.floorMod((i + 1) * 1_000_000_007L, ID_SPACE);
        char[] digits = new char[10];
        for (int d = 9; d >= 0; d--) {
            digits[d] = Character.forDigit((int) (v % 36), 36);
            v /= 36;
        }
        return "r-" + new String(digits);
    }

    /** Request i's values, in the order of {@link #COLUMNS}. */
    String[] request(int i) {
        long h = mix(i);
        int k = (int) Math.floorMod(h, (long) PEOPLE);
        int s = (int) ((h >>> 12) % 100);
        String status = s < 80 ? "DONE" : s < 85 ? "DENIED" : s < 89 ? "CANCELLED" : s < 93 ? "REJECTED" : s < 97 ? "EXPIRED" : "FAILED";
        int kd = (int) ((h >>> 24) % 100);
        String kind = kd < 40 ? "ONBOARD" : kd < 65 ? "RESET_MFA" : kd < 85 ? "RESET_PASSWORD" : kd < 95 ? "OFFBOARD" : "LINK";
        int r = (int) ((h >>> 36) % 100);
        String requester = r < 20 ? World.REQUESTER : r < 25 ? World.APPROVER : r < 60 ? person(k) : String.format("UL%02d", r % 50);
        boolean decided = switch (status) {
            case "DONE", "DENIED", "FAILED" -> true;
            case "EXPIRED" -> (h & 1) == 0; // half expired waiting for the person, after approval
            default -> false;
        };
        String step = !status.equals("DONE") ? "NONE" : switch (kind) {
            case "ONBOARD", "RESET_MFA" -> "MFA_ENABLED";
            case "RESET_PASSWORD" -> "PASSWORD_SHOWN";
            case "OFFBOARD" -> "USER_DELETED";
            default -> "LINK_RECORDED";
        };
        boolean device = (kind.equals("ONBOARD") || kind.equals("RESET_MFA")) && decided && !status.equals("DENIED");
        Instant created = createdAt(i);
        String name = iamUser(k);
        return new String[]{id(i), status, step, name, name, person(k), requester, decided ? World.APPROVER : null,
                kind.equals("ONBOARD") ? "[\"developers\"]" : "[]", "history", "[]",
                device ? "arn:aws:iam::" + FakeIam.ACCOUNT_ID + ":mfa/" + name : null,
                FORMAT.format(created), FORMAT.format(created.plus(Duration.ofMinutes(10))), "5", kind};
    }

    /** Evenly over {@link #SPAN} before an hour ago, oldest first. */
    private Instant createdAt(int i) {
        long spanNanos = SPAN.minusHours(1).toNanos();
        return now.minus(SPAN).plusNanos(spanNanos / Math.max(1, requests) * i);
    }

    /** Audit row j (from 0) of request i, in the order of {@link #AUDIT_COLUMNS}. */
    private String[] audit(int i, String[] request, int j) {
        Instant at = createdAt(i).plusSeconds(j);
        return new String[]{request[0], Integer.toString(j + 1), FORMAT.format(at), j == 0 ? request[6] : World.APPROVER,
                ACTIONS.get(j % ACTIONS.size()), "history", "ok"};
    }

    private String[] link(int k) {
        return new String[]{String.format("AIDAHIST%012d", k), FakeIam.ACCOUNT_ID, iamUser(k), iamUser(k), FakeSlack.TEAM_ID,
                person(k), "LINKED", World.APPROVER, FORMAT.format(now.minus(SPAN))};
    }

    private static final List<String> LINK_COLUMNS = List.of("iam_user_id", "account_id", "iam_user_name", "iam_user_name_lower",
            "slack_team_id", "slack_user_id", "how", "made_by", "made_at");

    // ---- SQLite: batched inserts in one transaction ----

    private void insert(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("PRAGMA journal_mode = OFF");
            st.execute("PRAGMA synchronous = OFF");
            st.execute("PRAGMA cache_size = -1000000"); // 1 GB: the random index inserts stay in memory
        }
        c.setAutoCommit(false);
        try (PreparedStatement rq = c.prepareStatement(insertSql("onboarding_request", COLUMNS));
             PreparedStatement au = c.prepareStatement(insertSql("onboarding_audit", AUDIT_COLUMNS))) {
            for (int i = 0; i < requests; i++) {
                String[] row = request(i);
                bind(rq, row);
                for (int j = 0; j < auditPerRequest; j++) {
                    bind(au, audit(i, row, j));
                }
                if (i % 10_000 == 9_999) {
                    rq.executeBatch();
                    au.executeBatch();
                    progress(i + 1);
                }
            }
            rq.executeBatch();
            au.executeBatch();
        }
        try (PreparedStatement ln = c.prepareStatement(insertSql("iam_user_link", LINK_COLUMNS))) {
            for (int k = LINKED_FROM; k < PEOPLE; k++) {
                bind(ln, link(k));
            }
            ln.executeBatch();
        }
        try (PreparedStatement step = c.prepareStatement("INSERT INTO one_time_step (name, done_at) VALUES ('links-backfill', ?)")) {
            step.setString(1, FORMAT.format(now.minus(SPAN)));
            step.executeUpdate();
        }
        c.commit();
        c.setAutoCommit(true);
    }

    private static String insertSql(String table, List<String> columns) {
        return "INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES ("
                + String.join(", ", java.util.Collections.nCopies(columns.size(), "?")) + ")";
    }

    private static void bind(PreparedStatement ps, String[] values) throws SQLException {
        for (int i = 0; i < values.length; i++) {
            ps.setString(i + 1, values[i]);
        }
        ps.addBatch();
    }

    // ---- PostgreSQL: COPY, then VACUUM ANALYZE as autovacuum would have done by now ----

    private void copy(Connection c) throws SQLException {
        PGConnection pg = c.unwrap(PGConnection.class);
        CopyIn rq = pg.getCopyAPI().copyIn(copySql("onboarding_request", COLUMNS));
        StringBuilder out = new StringBuilder(1 << 20);
        for (int i = 0; i < requests; i++) {
            csv(out, request(i));
            if (out.length() > 1 << 20) {
                flush(rq, out);
            }
            if (i % 100_000 == 99_999) {
                progress(i + 1);
            }
        }
        flush(rq, out);
        rq.endCopy();
        CopyIn au = pg.getCopyAPI().copyIn(copySql("onboarding_audit", AUDIT_COLUMNS));
        for (int i = 0; i < requests; i++) {
            String[] row = request(i);
            for (int j = 0; j < auditPerRequest; j++) {
                csv(out, audit(i, row, j));
            }
            if (out.length() > 1 << 20) {
                flush(au, out);
            }
        }
        flush(au, out);
        au.endCopy();
        CopyIn ln = pg.getCopyAPI().copyIn(copySql("iam_user_link", LINK_COLUMNS));
        for (int k = LINKED_FROM; k < PEOPLE; k++) {
            csv(out, link(k));
        }
        flush(ln, out);
        ln.endCopy();
        try (Statement st = c.createStatement()) {
            st.execute("INSERT INTO one_time_step (name, done_at) VALUES ('links-backfill', '" + FORMAT.format(now.minus(SPAN)) + "')");
            st.execute("VACUUM ANALYZE");
        }
    }

    private static String copySql(String table, List<String> columns) {
        return "COPY " + table + " (" + String.join(", ", columns) + ") FROM STDIN WITH (FORMAT csv)";
    }

    /** One CSV line; null is an unquoted empty field, which COPY reads as NULL. */
    private static void csv(StringBuilder out, String[] values) {
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                out.append(',');
            }
            if (values[i] != null) {
                out.append('"').append(values[i].replace("\"", "\"\"")).append('"');
            }
        }
        out.append('\n');
    }

    private static void flush(CopyIn copy, StringBuilder out) throws SQLException {
        byte[] bytes = out.toString().getBytes(StandardCharsets.UTF_8);
        copy.writeToCopy(bytes, 0, bytes.length);
        out.setLength(0);
    }

    private void progress(int done) {
        if (requests >= 100_000) {
            System.err.printf("  filled %,d of %,d requests%n", done, requests);
        }
    }
}
