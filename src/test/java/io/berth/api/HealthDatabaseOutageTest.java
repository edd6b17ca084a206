package io.berth.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.config.DatabaseConfig;
import io.berth.testing.RegistryHttp;
import io.berth.testing.TcpRelay;
import io.berth.testing.TestRegistry;
import java.net.URI;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code /berth/v1/health} with PostgreSQL behind a relay that loses it the two ways networks do:
 * refused connections and a black hole. Either way a balancer gets {@code 503} within two seconds,
 * every time it asks, instead of waiting for the connection pool (30 s) or for ever.
 *
 * <p>Runs against the PostgreSQL server that {@code PostgresqlMetadataStoreTest} uses
 * ({@code BERTH_TEST_POSTGRES_URL}, default 127.0.0.1:5432, database {@code test}), in a schema of
 * its own; a missing server fails the test rather than skipping it.
 */
class HealthDatabaseOutageTest {
    private static final String URL = System.getenv().getOrDefault("BERTH_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    private static final String USER = System.getenv().getOrDefault("BERTH_TEST_POSTGRES_USER", "postgres");
    private static final String PASSWORD = System.getenv().getOrDefault("BERTH_TEST_POSTGRES_PASSWORD", "");
    /** What the issue promises a balancer. */
    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(2);
    /** A standing healthy answer (one second) plus one probe deadline (one second), with slack. */
    private static final Duration OUTAGE_SHOWS_WITHIN = Duration.ofSeconds(4);

    private final String schema = "berth_test_" + UUID.randomUUID().toString().replace("-", "");
    private TcpRelay relay;
    private TestRegistry registry;
    private RegistryHttp http;

    @BeforeEach
    void startBehindARelay() throws Exception {
        URI server = URI.create(URL.substring("jdbc:".length()));
        relay = TcpRelay.to(server.getHost(), server.getPort());
        String relayed = "jdbc:postgresql://127.0.0.1:" + relay.port() + server.getPath();
        registry = TestRegistry.start(config -> config.withDatabase(new DatabaseConfig(relayed, USER, PASSWORD, schema, 2)));
        http = registry.http();
    }

    @AfterEach
    void stop() throws Exception {
        try {
            relay.forward();
            registry.close();
            relay.close();
        } finally {
            try (Connection connection = DriverManager.getConnection(URL, USER, PASSWORD);
                 Statement statement = connection.createStatement()) {
                statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
    }

    @Test
    void refusedConnectionsAre503WithinTwoSecondsUntilTheDatabaseIsBack() throws Exception {
        assertThat(health().statusCode()).isEqualTo(200);

        relay.refuse();
        awaitOutageAnsweredPromptly();

        relay.forward();
        awaitRecovery();
    }

    @Test
    void aDatabaseThatNeverAnswersIs503WithinTwoSecondsUntilItIsBack() throws Exception {
        assertThat(health().statusCode()).isEqualTo(200);

        relay.blackHole();
        awaitOutageAnsweredPromptly();

        relay.forward();
        awaitRecovery();
    }

    /** Every answer comes within two seconds, the outage shows soon, and it keeps showing. */
    private void awaitOutageAnsweredPromptly() throws Exception {
        long deadline = System.nanoTime() + OUTAGE_SHOWS_WITHIN.toNanos();
        HttpResponse<byte[]> response = health();
        while (response.statusCode() == 200 && System.nanoTime() < deadline) {
            Thread.sleep(100);
            response = health();
        }
        assertThat(response.statusCode()).isEqualTo(503);
        for (int check = 0; check < 4; check++) {
            HttpResponse<byte[]> again = health();
            assertThat(again.statusCode()).isEqualTo(503);
            assertThat(new String(again.body(), StandardCharsets.UTF_8))
                    .isEqualTo("{\"status\":\"unavailable\",\"metadata\":\"failing\",\"storage\":\"ok\",\"mode\":\"read-write\"}");
            Thread.sleep(300);
        }
    }

    private void awaitRecovery() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        HttpResponse<byte[]> response = health();
        while (response.statusCode() != 200 && System.nanoTime() < deadline) {
            Thread.sleep(200);
            response = health();
        }
        assertThat(response.statusCode()).as("healthy again once the database is back").isEqualTo(200);
    }

    /** One health request, which must be answered within {@link #ANSWER_WITHIN}. */
    private HttpResponse<byte[]> health() {
        long started = System.nanoTime();
        try {
            HttpResponse<byte[]> response = http.send(http.request("/berth/v1/health").timeout(ANSWER_WITHIN.plusSeconds(3))
                    .GET().build());
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("time to answer").isLessThan(ANSWER_WITHIN);
            return response;
        } catch (java.io.UncheckedIOException e) {
            if (e.getCause() instanceof HttpTimeoutException) {
                throw new AssertionError("no answer within " + ANSWER_WITHIN.plusSeconds(3), e);
            }
            throw e;
        }
    }
}
