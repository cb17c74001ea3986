package dev.awsonboard.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.awsonboard.fakes.FakeIam;
import dev.awsonboard.fakes.FakeSlack;
import dev.awsonboard.fakes.SlackRequests;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the bot talks to in a benchmark: the Slack and IAM fakes (in this process), the workspace
 * they hold, signed Slack requests as Slack sends them, and a read-only look at the bot's SQLite
 * file to count what it stored.
 */
final class World implements AutoCloseable {
    static final String SECRET = "bench-signing-secret-0123456789";
    static final String REQUESTER = "UREQUESTER";
    static final String APPROVER = "UAPPROVER1";
    static final String APPROVALS = "CAPPROVALS";
    /** The fixed instant of the IAM fake's TOTP check, and of the codes we type. */
    static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    private static final Pattern REQUEST_ID = Pattern.compile("r-[a-z0-9]{10}");

    static {
        // The fakes run on the JDK's HTTP server, which writes an answer's head and body apart; with
        // Nagle's algorithm on, the body then waits for the client's delayed ACK (40 ms on Linux) and
        // every remote call would look 40 ms slower than the fake was told to be. Read once, at the
        // first server's creation: set before the fakes start.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    /** Request statuses as stored (names of {@code Status}). */
    enum Status { SUBMITTED, REQUESTED, APPROVED, PROVISIONING, AWAITING_MFA, AWAITING_PASSWORD, DONE, DENIED, CANCELLED, REJECTED, EXPIRED, FAILED }

    final FakeIam iam;
    final FakeSlack slack;
    final Path dir;
    private SlackRequests bodies;
    private final Set<String> people = new HashSet<>();
    private Connection db;

    World(Path dir) {
        this.dir = dir;
        this.iam = FakeIam.start(Clock.fixed(NOW, ZoneOffset.UTC), 7);
        this.slack = FakeSlack.start();
        iam.createGroup("developers");
        slack.addUser(REQUESTER, "requester").addUser(APPROVER, "approver").inviteBot(APPROVALS).addMember(APPROVALS, APPROVER);
    }

    /** A person of the workspace (registered once). */
    String person(String id) {
        if (people.add(id)) {
            slack.addUser(id, id.toLowerCase());
        }
        return id;
    }

    /** The bot's environment: HTTP mode against these fakes, SQLite in this world's directory. */
    Map<String, String> env(int port, String database) throws IOException {
        Map<String, String> env = new HashMap<>();
        env.put("SLACK_BOT_TOKEN", slack.botToken());
        env.put("SLACK_SIGNING_SECRET", SECRET);
        env.put("SLACK_API_URL", slack.apiUrl());
        env.put("PORT", String.valueOf(port));
        env.put("DATABASE_URL", "jdbc:sqlite:" + dir.resolve(database));
        env.put("ONBOARD_APPROVERS", APPROVER);
        env.put("ONBOARD_APPROVAL_CHANNEL", APPROVALS);
        env.put("ONBOARD_CONFIG", Files.writeString(dir.resolve("onboard.yml"), "groups: [developers]\n").toString());
        env.put("AWS_ENDPOINT_URL_IAM", iam.endpoint().toString());
        env.put("AWS_ACCESS_KEY_ID", FakeIam.ACCESS_KEY_ID);
        env.put("AWS_SECRET_ACCESS_KEY", FakeIam.SECRET_ACCESS_KEY);
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        return env;
    }

    /** Talks to the bot on {@code port} from now on, and reads its database. */
    void attach(int port, String database) throws SQLException {
        talkTo(port);
        db = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(database));
    }

    /** Talks to the bot on {@code port} from now on (its database is not read here). */
    void talkTo(int port) {
        closeDb();
        bodies = new SlackRequests(URI.create("http://127.0.0.1:" + port), SECRET, Clock.systemUTC(), slack);
    }

    // ---- signed requests, as Slack sends them ----

    Load.Prepared command(String user, String text, String responseId) {
        return form(bodies.slashCommandBody(user, SlackRequests.DEFAULT_CHANNEL_ID, "/aws-onboard", text, slack.trigger(),
                slack.responseUrl(responseId)));
    }

    Load.Prepared click(String user, String actionId, String requestId, String channel) {
        return form(bodies.blockActionBody(user, actionId, requestId, channel, "1700000000.000100", slack.trigger()));
    }

    Load.Prepared codes(String user, String requestId, List<String> codes, String viewId) {
        return form(bodies.viewSubmissionBody(user, "onboard_codes_modal", requestId, Map.of(
                "code_1", Map.of("code_1_input", SlackRequests.plainTextInput(codes.get(0))),
                "code_2", Map.of("code_2_input", SlackRequests.plainTextInput(codes.get(1)))), viewId));
    }

    /** The person opened the bot's Home tab. */
    Load.Prepared homeOpened(String user) {
        return signed("application/json", bodies.appHomeOpenedBody(user, "home"));
    }

    Load.Prepared directMessage(String user, String text) {
        return signed("application/json", bodies.messageEventBody(user, "D" + user, text));
    }

    private Load.Prepared form(String body) {
        return signed("application/x-www-form-urlencoded", body);
    }

    private Load.Prepared signed(String contentType, String body) {
        String ts = Long.toString(System.currentTimeMillis() / 1000);
        return new Load.Prepared(contentType, body.getBytes(StandardCharsets.UTF_8),
                "X-Slack-Request-Timestamp", ts, "X-Slack-Signature", SlackRequests.sign(SECRET, ts, body));
    }

    /** The request id an ack names ("Got it: request `r-…`"), if any. */
    static Optional<String> requestId(dev.awsonboard.bench.Connection.Answer ack) {
        if (ack == null || ack.status() != 200 || !ack.body().contains("Got it")) {
            return Optional.empty();
        }
        Matcher m = REQUEST_ID.matcher(ack.body());
        return m.find() ? Optional.of(m.group()) : Optional.empty();
    }

    /** Base32 seed of the device the bot made for this IAM user (the QR's secret; the fake knows it). */
    String seedOf(String iamUser) {
        return iam.seedOf("arn:aws:iam::" + FakeIam.ACCOUNT_ID + ":mfa/" + iamUser);
    }

    /** Whether a QR file was shared into this DM (upload v2 completed). */
    boolean qrSharedTo(String dm) {
        return slack.uploadedFiles().stream().anyMatch(f -> f.channels().contains(dm) && f.bytes() != null);
    }

    /**
     * The requests (by id) whose requester heard how the checks went: through the command's response
     * URL ({@code responseIdOf} maps each request to it) or, when the check ran without it (a sweep
     * took over a check queued for over a minute, or a restart), by DM.
     */
    Set<String> told(Map<String, String> responseIdOf) {
        Set<String> posted = new HashSet<>();
        for (FakeSlack.ResponseCall r : slack.responses()) {
            posted.add(r.id());
        }
        Set<String> told = new HashSet<>();
        String dms = null;
        for (Map.Entry<String, String> e : responseIdOf.entrySet()) {
            if (posted.contains(e.getValue())) {
                told.add(e.getKey());
                continue;
            }
            if (dms == null) {
                dms = slack.messages("D" + REQUESTER).toString();
            }
            if (dms.contains(e.getKey())) {
                told.add(e.getKey());
            }
        }
        return told;
    }

    static String text(JsonNode n) {
        return n == null ? "" : n.toString();
    }

    // ---- the bot's database, read-only ----

    synchronized Map<Status, Integer> countByStatus() {
        Map<Status, Integer> counts = new EnumMap<>(Status.class);
        try (PreparedStatement ps = db.prepareStatement("SELECT status, COUNT(*) FROM onboarding_request GROUP BY status");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                counts.put(Status.valueOf(rs.getString(1)), rs.getInt(2));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return counts;
    }

    synchronized Map<String, Status> statuses(Set<String> ids) {
        Map<String, Status> found = new HashMap<>();
        try (PreparedStatement ps = db.prepareStatement("SELECT id, status FROM onboarding_request");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                if (ids.contains(rs.getString(1))) {
                    found.put(rs.getString(1), Status.valueOf(rs.getString(2)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return found;
    }

    /** The Slack user each of these requests is for. */
    synchronized Map<String, String> targets(Set<String> ids) {
        Map<String, String> found = new HashMap<>();
        try (PreparedStatement ps = db.prepareStatement("SELECT id, target_user_id FROM onboarding_request");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                if (ids.contains(rs.getString(1))) {
                    found.put(rs.getString(1), rs.getString(2));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return found;
    }

    /** Whether the approvers were asked: REQUESTED with the approval message recorded. */
    synchronized boolean asked(String id) {
        try (PreparedStatement ps = db.prepareStatement(
                "SELECT 1 FROM onboarding_request WHERE id = ? AND status = 'REQUESTED' AND approval_messages_json <> '[]'")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    synchronized Optional<Status> status(String id) {
        try (PreparedStatement ps = db.prepareStatement("SELECT status FROM onboarding_request WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(Status.valueOf(rs.getString(1))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private void closeDb() {
        if (db != null) {
            try {
                db.close();
            } catch (SQLException ignored) {
                // read-only look; nothing to keep
            }
            db = null;
        }
    }

    @Override
    public void close() {
        closeDb();
        iam.releaseAll();
        slack.releaseAll();
        slack.close();
        iam.close();
    }
}
