package io.berth.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.config.DatabaseConfig;
import io.berth.testing.PostgresqlSchema;
import io.berth.testing.RegistryHttp;
import io.berth.testing.TestBlob;
import io.berth.testing.TestRegistry;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two nodes over one PostgreSQL database ({@code BERTH_TEST_POSTGRES_URL}, default 127.0.0.1:5432,
 * database {@code test}, a schema of its own): the read-only switch made on one node is applied there
 * at once and followed by the other within its refresh interval (2 s) and a margin.
 */
class MaintenancePostgresqlApiTest {
    /** The refresh interval and a margin for a busy machine. */
    private static final Duration FOLLOWS_WITHIN = Duration.ofSeconds(5);

    private final PostgresqlSchema schema = PostgresqlSchema.named("berth_test_");
    private TestRegistry first;
    private TestRegistry second;

    @BeforeEach
    void start() {
        DatabaseConfig database = schema.database(4);
        first = TestRegistry.start(config -> config.withDatabase(database));
        second = TestRegistry.start(config -> config.withDatabase(database));
    }

    @AfterEach
    void stop() throws Exception {
        try {
            first.close();
            second.close();
        } finally {
            schema.close();
        }
    }

    @Test
    void theOtherNodeFollowsTheSwitchWithinSeconds() throws Exception {
        RegistryHttp switching = first.http();
        RegistryHttp following = second.http();
        assertThat(following.post("/v2/app/blobs/uploads/").statusCode()).isEqualTo(202);

        assertThat(switchTo(switching, true).statusCode()).isEqualTo(200);
        MaintenanceApiTest.assertRefused(switching.post("/v2/app/blobs/uploads/"));
        Duration on = awaitStatus(following, 405);
        MaintenanceApiTest.assertRefused(following.post("/v2/app/blobs/uploads/"));
        assertThat(RegistryHttp.json(following.get("/berth/v1/health")).path("mode").asText()).isEqualTo("read-only");
        assertThat(following.get("/v2/app/tags/list").statusCode()).as("reads go on").isIn(200, 404);

        assertThat(switchTo(following, false).statusCode()).as("either node switches").isEqualTo(200);
        assertThat(following.post("/v2/app/blobs/uploads/").statusCode()).isEqualTo(202);
        Duration off = awaitStatus(switching, 202);
        following.pushBlob("app", TestBlob.of("after maintenance").content());

        System.out.printf("the other node followed the switch on in %d ms and off in %d ms%n", on.toMillis(), off.toMillis());
        assertThat(on).isLessThan(FOLLOWS_WITHIN);
        assertThat(off).isLessThan(FOLLOWS_WITHIN);
    }

    /** How long until starting an upload on {@code http} answers {@code status}. */
    private static Duration awaitStatus(RegistryHttp http, int status) throws InterruptedException {
        long start = System.nanoTime();
        while (http.post("/v2/app/blobs/uploads/").statusCode() != status) {
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("waiting for %d", status).isLessThan(FOLLOWS_WITHIN);
            Thread.sleep(20);
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    private static HttpResponse<byte[]> switchTo(RegistryHttp http, boolean readOnly) {
        return http.put("/berth/v1/maintenance", "application/json",
                ("{\"read-only\": " + readOnly + "}").getBytes(StandardCharsets.UTF_8));
    }
}
