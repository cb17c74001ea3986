package dev.awsonboard.e2e;

import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.lifecycle.model.Status;
import dev.awsonboard.store.Postgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import static dev.awsonboard.e2e.TestBot.ALICE;
import static dev.awsonboard.e2e.TestBot.APPROVER;
import static dev.awsonboard.e2e.TestBot.REQUESTER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The happy path of {@link OnboardingEndToEndTest} with the bot's store on PostgreSQL
 * ({@code DATABASE_URL=jdbc:postgresql:...}, an empty schema of its own): slash command,
 * approval, QR scanned, two codes, ACTIVE; the rows are on the server, hold no secret, and
 * outlive a restart. On {@code TEST_POSTGRES_URL}'s server, else on an embedded one (see {@code Postgres}).
 */
class PostgresEndToEndTest {
    @RegisterExtension
    final Postgres.Schema schema = Postgres.freshSchemaPerTest();

    @TempDir
    Path dir;
    TestBot t;
    CapturedLogs logs;

    @BeforeEach
    void start() {
        logs = CapturedLogs.attach();
        t = TestBot.start(dir, Map.of("DATABASE_URL", schema.url()));
    }

    @AfterEach
    void stop() {
        if (t != null) {
            t.close();
        }
        logs.close();
    }

    @Test
    void onboardingRunsToActiveWithTheStoreOnPostgres() throws SQLException, java.io.IOException {
        HttpResponse<String> asked = t.command(REQUESTER, "sampleUser <@" + ALICE + "|alice> groups=developers needs the console");
        assertThat(asked.statusCode()).isEqualTo(200);
        assertThat(asked.body()).contains("Got it");
        assertThat(t.awaitFollowUp()).contains("waiting for approval");
        await().atMost(java.time.Duration.ofSeconds(20)).until(() -> !t.slack.messages(TestBot.APPROVAL_CHANNEL).isEmpty());
        String id = t.latestApprovalRequestId();

        assertThat(t.approve(APPROVER, id).statusCode()).isEqualTo(200);
        Request waiting = t.awaitStatus(id, Status.AWAITING_MFA);
        String initialPassword = t.iam.lastPasswordSetFor("sampleUser");

        String seed = TestBot.scanSeed(t.qrFileFor(ALICE).bytes());
        assertThat(seed).isEqualTo(t.iam.seedOf(waiting.mfaSerial()));
        List<String> codes = t.codesFromQr(ALICE);
        HttpResponse<String> submitted = t.submitCodes(ALICE, id, codes.get(0), codes.get(1));
        assertThat(t.json(submitted).path("response_action").asText()).isEqualTo("update");

        Request done = t.request(id);
        assertThat(done.status()).isEqualTo(Status.DONE);
        assertThat(t.iam.user("sampleUser").orElseThrow().mfaDevices()).containsExactly(waiting.mfaSerial());

        // The state is on the server, in this test's schema, and no SQLite file was made.
        assertThat(rowsOnServer("SELECT status FROM onboarding_request WHERE id = '" + id + "'")).isEqualTo("DONE\n");
        assertThat(rowsOnServer("SELECT action FROM onboarding_audit WHERE request_id = '" + id + "' ORDER BY seq"))
                .contains("request", "approve", "iam:CreateUser", "iam:EnableMFADevice");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("onboard.db"));
        }

        // No secret reached a row or a log line; the log shows the URL without the password.
        String everything = rowsOnServer("SELECT * FROM onboarding_request") + rowsOnServer("SELECT * FROM onboarding_audit");
        for (String secret : List.of(initialPassword, seed)) {
            assertThat(everything).doesNotContain(secret);
            assertThat(logs.all()).doesNotContain(secret);
        }
        assertThat(logs.all()).contains("jdbc:postgresql:").doesNotContain(passwordOf(schema.url()));

        // A redeploy on the same database finds the request as it was left.
        t.restart();
        assertThat(t.request(id)).isEqualTo(done);
    }

    /** Every value of every row the query returns, joined, read straight from the server. */
    private String rowsOnServer(String sql) throws SQLException {
        StringBuilder out = new StringBuilder();
        try (Connection c = DriverManager.getConnection(schema.url()); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            ResultSetMetaData meta = rs.getMetaData();
            while (rs.next()) {
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    out.append(rs.getString(i)).append('\n');
                }
            }
        }
        return out.toString();
    }

    /** {@code password=...} as it appears in the URL, or a marker no log contains when there is none. */
    private static String passwordOf(String url) {
        var m = java.util.regex.Pattern.compile("password=[^&]*").matcher(url);
        return m.find() ? m.group() : "password=\u0000none";
    }
}
