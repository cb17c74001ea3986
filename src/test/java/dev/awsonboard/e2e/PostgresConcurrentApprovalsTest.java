package dev.awsonboard.e2e;

import dev.awsonboard.store.Postgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

/**
 * The concurrency storm of {@link ConcurrentApprovalsTest} with two bot instances sharing
 * one PostgreSQL database, the way replicas run in production.
 */
class PostgresConcurrentApprovalsTest {
    @RegisterExtension
    final Postgres.Schema schema = Postgres.freshSchemaPerTest();

    @TempDir
    Path dir;

    @Test
    void twoInstancesOnOnePostgresDatabaseCreateExactlyOneUserUnderAClickStorm() throws Exception {
        try (TestBot t = TestBot.start(dir, Map.of("DATABASE_URL", schema.url()))) {
            ConcurrentApprovalsTest.clickStorm(t, "postgresql");
        }
    }
}
