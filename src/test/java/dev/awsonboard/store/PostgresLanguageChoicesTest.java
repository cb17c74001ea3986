package dev.awsonboard.store;

import org.junit.jupiter.api.extension.RegisterExtension;

/** Language choices on a real PostgreSQL server ({@code TEST_POSTGRES_URL}), in a schema of their own. */
class PostgresLanguageChoicesTest extends LanguageChoicesContract {
    @RegisterExtension
    final Postgres.Schema schema = Postgres.freshSchemaPerTest();

    @Override
    protected String jdbcUrl() {
        return schema.url();
    }
}
