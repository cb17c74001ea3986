package dev.awsonboard.store;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The links on a real PostgreSQL server ({@code TEST_POSTGRES_URL}), in a fresh schema. */
class PostgresLinksTest extends JdbcLinksContract {
    @RegisterExtension
    final Postgres.Schema schema = Postgres.freshSchemaPerTest();

    @Override
    protected String jdbcUrl() {
        return schema.url();
    }
}
