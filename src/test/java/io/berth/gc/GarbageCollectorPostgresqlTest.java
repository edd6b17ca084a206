package io.berth.gc;

import io.berth.metadata.MetadataStore;
import io.berth.metadata.SqlMetadataStore;
import io.berth.testing.MutableClock;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;

class GarbageCollectorPostgresqlTest extends GarbageCollectorContract {
    static final String URL = System.getenv().getOrDefault("BERTH_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    static final String USER = System.getenv().getOrDefault("BERTH_TEST_POSTGRES_USER", "postgres");
    static final String PASSWORD = System.getenv().getOrDefault("BERTH_TEST_POSTGRES_PASSWORD", "");

    private final String schema = "berth_gc_" + UUID.randomUUID().toString().replace("-", "");

    @Override
    protected MetadataStore openStore(MutableClock clock) {
        return SqlMetadataStore.openPostgresql(URL, USER, PASSWORD, schema, 8, clock);
    }

    @AfterEach
    void dropSchema() throws SQLException {
        try (Connection connection = DriverManager.getConnection(URL, USER, PASSWORD);
             Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }
}
