package dev.awsonboard.store;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The leases on a real PostgreSQL server ({@code TEST_POSTGRES_URL}), in a fresh schema. */
class PostgresLeasesTest extends JdbcLeasesContract {
    @RegisterExtension
    final Postgres.Schema schema = Postgres.freshSchemaPerTest();

    @Override
    protected String jdbcUrl() {
        return schema.url();
    }
}
