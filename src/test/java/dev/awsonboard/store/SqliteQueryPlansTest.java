package dev.awsonboard.store;

import dev.awsonboard.lifecycle.model.AuditEntry;
import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.lifecycle.model.Status;
import dev.awsonboard.lifecycle.port.RequestStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.sql.DataSource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What SQLite plans for every statement the store runs on the paths people wait for (a new request, a
 * click, App Home, status, /metrics) and on the sweep: a search by index, never a scan of the requests
 * or the audit trail, whose rows are the history, nor a search for all of a person's or an IAM user's
 * requests (their own history) where the open ones are asked for. Without statistics SQLite plans the
 * same for ten rows as for a million, so an empty database shows the plan a large one gets
 * (HistoryBenchmark measures what it costs).
 */
class SqliteQueryPlansTest {
    private static final Instant T0 = Instant.parse("2026-01-02T03:04:05Z");

    @TempDir
    Path dir;

    @Test
    void everyStatementOnThePathsPeopleWaitForSeeksAnIndexInsteadOfReadingTheHistory() throws Exception {
        try (Database db = Database.open("jdbc:sqlite:" + dir.resolve("plans.db"))) {
            Set<String> statements = new LinkedHashSet<>();
            DataSource recording = recording(db.dataSource(), statements);
            RequestStore store = new JdbcRequestStore(recording, Writes.direct(recording));
            Request r = Request.newRequest("r-1", "alice", "U0ALICE", "U0BOB", List.of(), "", T0);

            store.insertUnlessOpen(r, new AuditEntry("r-1", T0, "U0BOB", "request", "", "ok"), EnumSet.of(Status.REQUESTED));
            store.audit(new AuditEntry("r-1", T0, "U0APPROVER", "approve", "", "ok"));
            store.replace(r, r.withStatus(Status.APPROVED, T0.plusSeconds(1)));
            store.find("r-1");
            store.findByStatus(Status.RESUMABLE);
            store.findOldest(Status.REQUESTED, 15);
            store.findLatestDecided(T0, 5);
            store.countByStatus();
            store.countUpdatedSince(T0);
            store.findOpenConcerning("U0ALICE", 10);
            store.countOpenConcerning("U0ALICE");
            store.findOpenByIamUserName("alice");
            store.findByTarget("U0ALICE", Status.OPEN);
            store.findLatestWithMfaSerial("alice", "arn:aws:iam::123456789012:mfa/alice");
            store.auditTrail("r-1");

            assertThat(statements).hasSizeGreaterThan(15);
            for (String sql : statements) {
                List<String> plan = plan(db, sql);
                assertThat(plan).as(sql).noneMatch(step -> step.matches("SCAN (onboarding_request|onboarding_audit)\\b.*"))
                        .noneMatch(step -> step.matches(".*INDEX \\w+ \\((target_user_id|requester_user_id|iam_user_name_lower)=\\?\\)"));
            }
        }
    }

    /** Each step of SQLite's plan for {@code sql} ("SEARCH onboarding_request USING INDEX ...", "SCAN ..."). */
    private static List<String> plan(Database db, String sql) throws SQLException {
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("EXPLAIN QUERY PLAN " + sql)) {
            for (int i = 1; i <= ps.getParameterMetaData().getParameterCount(); i++) {
                ps.setInt(i, 1); // values do not change the plan: SQLite has no statistics here
            }
            List<String> steps = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    steps.add(rs.getString("detail"));
                }
            }
            return steps;
        }
    }

    /** {@code pool}, noting the SQL of every statement prepared on its connections. */
    private static DataSource recording(DataSource pool, Set<String> statements) {
        return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[]{DataSource.class},
                (proxy, method, args) -> {
                    Object result = invoke(pool, method, args);
                    if (method.getName().equals("getConnection")) {
                        Connection c = (Connection) result;
                        return Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[]{Connection.class},
                                (p, m, a) -> {
                                    if (m.getName().equals("prepareStatement")) {
                                        statements.add((String) a[0]);
                                    }
                                    return invoke(c, m, a);
                                });
                    }
                    return result;
                });
    }

    private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
