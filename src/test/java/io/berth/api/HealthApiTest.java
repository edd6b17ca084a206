package io.berth.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.testing.RegistryHttp;
import io.berth.testing.TestRegistry;
import io.berth.testing.TinyFilesystem;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code /berth/v1/health}: what a load balancer asks to know whether a node can serve. */
class HealthApiTest {
    private static final Duration CHANGE_SHOWS_WITHIN = Duration.ofSeconds(3);

    @Test
    void answers200WhileTheDatabaseAndStoreAnswerAnd503WhenTheStoreIsGone() throws Exception {
        try (TestRegistry registry = TestRegistry.start()) {
            RegistryHttp http = registry.http();
            HttpResponse<byte[]> healthy = http.get("/berth/v1/health");
            assertThat(healthy.statusCode()).isEqualTo(200);
            assertThat(body(healthy)).isEqualTo("{\"status\":\"ok\",\"metadata\":\"ok\",\"storage\":\"ok\",\"mode\":\"read-write\"}");
            assertThat(healthy.headers().firstValue("Cache-Control")).contains("no-store");
            assertThat(http.head("/berth/v1/health").statusCode()).isEqualTo(200);
            assertThat(http.send(http.request("/berth/v1/health").POST(HttpRequest.BodyPublishers.noBody()).build())
                    .statusCode()).isEqualTo(405);

            Path blobs = registry.dataDir().resolve("blobs");
            Path moved = registry.dataDir().resolve("blobs-moved");
            Files.move(blobs, moved);
            HttpResponse<byte[]> broken = awaitHealth(http, 503);
            assertThat(body(broken)).isEqualTo("{\"status\":\"unavailable\",\"metadata\":\"ok\",\"storage\":\"failing\",\"mode\":\"read-write\"}");

            Files.move(moved, blobs);
            awaitHealth(http, 200);
        }
    }

    @Test
    void aFullDiskIs503UntilSpaceIsFreed() throws Exception {
        try (TinyFilesystem disk = TinyFilesystem.mount(4)) {
            Path dataDir = disk.root().resolve("data");
            try (TestRegistry registry = TestRegistry.startOn(dataDir)) {
                RegistryHttp http = registry.http();
                assertThat(http.get("/berth/v1/health").statusCode()).isEqualTo(200);

                Path filler = disk.root().resolve("filler");
                disk.fill(filler);
                HttpResponse<byte[]> full = awaitHealth(http, 503);
                assertThat(body(full)).isEqualTo("{\"status\":\"unavailable\",\"metadata\":\"ok\",\"storage\":\"failing\",\"mode\":\"read-write\"}");

                Files.delete(filler);
                awaitHealth(http, 200);
            }
        }
    }

    @Test
    void needsNoCredentialsWhenAuthenticationIsOn() throws Exception {
        try (LockedDownRegistry registry = LockedDownRegistry.start()) {
            RegistryHttp anonymous = new RegistryHttp(registry.http().url("/"));
            assertThat(anonymous.get("/v2/").statusCode()).as("the API itself wants credentials").isEqualTo(401);
            assertThat(anonymous.get("/berth/v1/health").statusCode()).isEqualTo(200);
        }
    }

    /**
     * Asks until the answer is {@code status}: an answer stands for a second, and a probe may take
     * up to another before it counts as failing, so a change shows within about two seconds.
     */
    private static HttpResponse<byte[]> awaitHealth(RegistryHttp http, int status) throws InterruptedException {
        long deadline = System.nanoTime() + CHANGE_SHOWS_WITHIN.toNanos();
        HttpResponse<byte[]> response = http.get("/berth/v1/health");
        while (response.statusCode() != status && System.nanoTime() < deadline) {
            Thread.sleep(100);
            response = http.get("/berth/v1/health");
        }
        assertThat(response.statusCode()).as(body(response)).isEqualTo(status);
        return response;
    }

    private static String body(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }
}
