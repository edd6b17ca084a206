package io.berth.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.config.DatabaseConfig;
import io.berth.testing.RegistryHttp;
import io.berth.testing.TestBlob;
import io.berth.testing.TestRegistry;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Tag protection on PostgreSQL ({@code BERTH_TEST_POSTGRES_URL}, default 127.0.0.1:5432, database
 * {@code test}), in a schema of its own, with a pool of connections so that concurrent pushes really
 * run their transactions at once; a missing server fails the test rather than skipping it.
 */
class TagProtectionPostgresqlApiTest {
    private static final String URL = System.getenv().getOrDefault("BERTH_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    private static final String USER = System.getenv().getOrDefault("BERTH_TEST_POSTGRES_USER", "postgres");
    private static final String PASSWORD = System.getenv().getOrDefault("BERTH_TEST_POSTGRES_PASSWORD", "");

    private final String schema = "berth_test_" + UUID.randomUUID().toString().replace("-", "");
    private TestRegistry registry;
    private RegistryHttp http;

    @BeforeEach
    void start() {
        registry = TestRegistry.start(config -> config.withDatabase(new DatabaseConfig(URL, USER, PASSWORD, schema, 12))
                .withTagProtection(List.of(TagProtectionApiTest.FEDORA)));
        http = registry.http();
    }

    @AfterEach
    void stop() throws Exception {
        try {
            registry.close();
        } finally {
            try (Connection connection = DriverManager.getConnection(URL, USER, PASSWORD);
                 Statement statement = connection.createStatement()) {
                statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
    }

    @Test
    void ofTwelveConcurrentPushesToAnEmptyImmutableTagExactlyOneWins() throws Exception {
        TagProtectionApiTest.exactlyOneOfConcurrentPushesWins(http, "fedora/race");
    }

    @Test
    void anImmutableTagIsNeitherMovedNorDeleted() {
        TestBlob first = TagProtectionApiTest.image(http, "fedora/app", 1);
        TestBlob second = TagProtectionApiTest.image(http, "fedora/app", 2);
        assertThat(TagProtectionApiTest.put(http, "fedora/app", "41.1", first).statusCode()).isEqualTo(201);

        TagProtectionApiTest.assertDenied(TagProtectionApiTest.put(http, "fedora/app", "41.1", second), "fedora/app:41.1");
        TagProtectionApiTest.assertDenied(http.delete("/v2/fedora/app/manifests/41.1"), "fedora/app:41.1");
        TagProtectionApiTest.assertDenied(http.delete("/v2/fedora/app/manifests/" + first.digest()), "fedora/app:41.1");

        assertThat(TagProtectionApiTest.digestOf(http, "fedora/app", "41.1")).isEqualTo(first.digest().toString());
    }
}
