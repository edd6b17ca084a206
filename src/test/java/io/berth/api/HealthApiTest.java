package io.berth.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.testing.RegistryHttp;
import io.berth.testing.TestRegistry;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code /berth/v1/health}: what a load balancer asks to know whether a node can serve. */
class HealthApiTest {

    @Test
    void answers200WhileTheDatabaseAndStoreAnswerAnd503WhenTheStoreIsGone() throws Exception {
        try (TestRegistry registry = TestRegistry.start()) {
            RegistryHttp http = registry.http();
            HttpResponse<byte[]> healthy = http.get("/berth/v1/health");
            assertThat(healthy.statusCode()).isEqualTo(200);
            assertThat(body(healthy)).isEqualTo("{\"status\":\"ok\",\"metadata\":\"ok\",\"storage\":\"ok\"}");
            assertThat(healthy.headers().firstValue("Cache-Control")).contains("no-store");
            assertThat(http.head("/berth/v1/health").statusCode()).isEqualTo(200);
            assertThat(http.send(http.request("/berth/v1/health").POST(HttpRequest.BodyPublishers.noBody()).build())
                    .statusCode()).isEqualTo(405);

            Path blobs = registry.dataDir().resolve("blobs");
            Path moved = registry.dataDir().resolve("blobs-moved");
            Files.move(blobs, moved);
            HttpResponse<byte[]> broken = http.get("/berth/v1/health");
            assertThat(broken.statusCode()).isEqualTo(503);
            assertThat(body(broken)).isEqualTo("{\"status\":\"unavailable\",\"metadata\":\"ok\",\"storage\":\"failing\"}");

            Files.move(moved, blobs);
            assertThat(http.get("/berth/v1/health").statusCode()).as("recovered").isEqualTo(200);
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

    private static String body(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }
}
