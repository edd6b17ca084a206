package io.berth.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The PostgreSQL backend passes the metadata contract, against the server named by
 * {@code BERTH_TEST_POSTGRES_URL} (default: 127.0.0.1:5432, database {@code test}, user
 * {@code postgres}), each test in a schema of its own that is dropped afterwards. The server must
 * be running: CI starts it, and a missing server fails these tests rather than skipping them.
 */
class PostgresqlMetadataStoreTest extends MetadataStoreContract {
    static final String URL = System.getenv().getOrDefault("BERTH_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    static final String USER = System.getenv().getOrDefault("BERTH_TEST_POSTGRES_USER", "postgres");
    static final String PASSWORD = System.getenv().getOrDefault("BERTH_TEST_POSTGRES_PASSWORD", "");

    private final String schema = "berth_test_" + UUID.randomUUID().toString().replace("-", "");

    @Override
    protected MetadataStore openStore(Clock clock) {
        return SqlMetadataStore.openPostgresql(URL, USER, PASSWORD, schema, 8, clock);
    }

    @AfterEach
    void dropSchema() throws SQLException {
        try (Connection connection = DriverManager.getConnection(URL, USER, PASSWORD);
             Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    /** Opening an already migrated schema again changes nothing. */
    @Test
    void reopeningAMigratedSchemaIsHarmless() {
        store.close();
        store = openStore(clock);

        assertThat(metadata.listRepositories(Optional.empty(), 10)).isEmpty();
    }
}
