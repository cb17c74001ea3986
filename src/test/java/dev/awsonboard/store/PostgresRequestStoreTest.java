package dev.awsonboard.store;

import com.zaxxer.hikari.HikariDataSource;
import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.lifecycle.port.RequestStore;
import dev.awsonboard.lifecycle.model.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The contract on a real PostgreSQL server ({@code TEST_POSTGRES_URL}), each test in an empty
 * schema of its own; plus what the shared store must do when several replicas use it.
 * On TEST_POSTGRES_URL's server, else on an embedded one (see {@link Postgres}).
 */
class PostgresRequestStoreTest extends JdbcRequestStoreContract {
    @RegisterExtension
    final Postgres.Schema schema = Postgres.freshSchemaPerTest();

    @Override
    protected String jdbcUrl() {
        return schema.url();
    }

    @Test
    void migrationsCreateTheTablesInTheTestsOwnSchema() throws SQLException {
        Database db = openDatabase();

        List<String> tables = new ArrayList<>();
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT table_name FROM information_schema.tables WHERE table_schema = '"
                     + schema.name() + "' ORDER BY table_name")) {
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
        }
        assertThat(tables).contains("flyway_schema_history", "onboarding_audit", "onboarding_request");
    }

    @Test
    void poolIsSizedForAServerAndCarriesNoSqliteSettings() {
        HikariDataSource pool = (HikariDataSource) openDatabase().dataSource();

        assertThat(pool.getMaximumPoolSize()).isEqualTo(Database.POSTGRES_POOL_SIZE);
        assertThat(pool.getDataSourceProperties().stringPropertyNames())
                .doesNotContain("journal_mode", "synchronous", "busy_timeout");
    }

    @Test
    void replicasStartingTogetherMigrateOnce() throws Exception {
        int replicas = 4;
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(replicas);
        List<Future<Database>> started = new ArrayList<>();
        try {
            for (int i = 0; i < replicas; i++) {
                started.add(pool.submit(() -> {
                    go.await();
                    return openDatabase();
                }));
            }
            go.countDown();
            for (Future<Database> f : started) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        try (Connection c = openDatabase().dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM flyway_schema_history WHERE version = '1' AND success")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(1);
        }
    }

    @Test
    void onlyOneOfTwoReplicasWinsTheSameCompareAndSet() throws Exception {
        // Two pools on one database are two replicas: a Slack retry may reach either.
        RequestStore replicaA = newStore();
        RequestStore replicaB = newStore();
        Request original = newRequest("r-two", "alice");
        replicaA.insert(original);
        int attempts = 20;
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(attempts);
        List<Future<Optional<Request>>> results = new ArrayList<>();
        try {
            for (int i = 0; i < attempts; i++) {
                RequestStore replica = i % 2 == 0 ? replicaA : replicaB;
                String approver = "U" + i;
                Callable<Optional<Request>> task = () -> {
                    go.await();
                    return replica.replace(original, original.withStatus(Status.APPROVED, T0).withApprover(approver, T0));
                };
                results.add(pool.submit(task));
            }
            go.countDown();
            List<Request> winners = new ArrayList<>();
            for (Future<Optional<Request>> f : results) {
                f.get(60, TimeUnit.SECONDS).ifPresent(winners::add);
            }

            assertThat(winners).hasSize(1);
            assertThat(replicaB.find("r-two")).contains(winners.get(0));
            assertThat(replicaA.find("r-two")).contains(winners.get(0));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void wrongPasswordFailsWithAMessageThatHidesIt() {
        String url = schema.url().replaceAll("password=[^&]*", "password=wrong-pw-7f3a");
        String withPassword = url.contains("password=") ? url : url + "&password=wrong-pw-7f3a";

        assertThatThrownBy(() -> Database.open(withPassword))
                .isInstanceOf(StoreException.class)
                .satisfies(e -> {
                    for (Throwable t = e; t != null; t = t.getCause()) {
                        assertThat(String.valueOf(t.getMessage())).doesNotContain("wrong-pw-7f3a");
                    }
                })
                .hasMessageContaining("password=*****");
    }
}
