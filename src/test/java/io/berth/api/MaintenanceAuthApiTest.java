package io.berth.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.api.LockedDownRegistry.Caller;
import io.berth.testing.RegistryHttp;
import io.berth.testing.UnsentBody;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Who may read and switch read-only maintenance mode under the policy of a {@link LockedDownRegistry}:
 * reading takes any authenticated caller, switching a registry admin, and a caller who may not
 * switch is refused before the body is read. While the mode is on, tokens are still issued and
 * pulls work.
 */
class MaintenanceAuthApiTest {
    private static final byte[] ON = "{\"read-only\": true}".getBytes(StandardCharsets.UTF_8);
    private static final byte[] OFF = "{\"read-only\": false}".getBytes(StandardCharsets.UTF_8);
    private static LockedDownRegistry registry;

    @BeforeAll
    static void start() throws IOException {
        registry = LockedDownRegistry.start();
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    @Test
    void readingTakesAnAuthenticatedCallerAndSwitchingAnAdminDecidedBeforeTheBody() throws Exception {
        registry.assertChallenged(registry.anonymous().get("/berth/v1/maintenance"), "");
        for (Caller caller : new Caller[] {registry.releng(), registry.osbs(), registry.admin()}) {
            HttpResponse<byte[]> state = caller.get("/berth/v1/maintenance");
            assertThat(state.statusCode()).as(RegistryHttp.text(state)).isEqualTo(200);
            assertThat(RegistryHttp.json(state).path("read-only").asBoolean()).isFalse();
        }

        registry.assertChallenged(registry.anonymous().put("/berth/v1/maintenance", "application/json", ON), "");
        for (Caller caller : new Caller[] {registry.releng(), registry.osbs()}) {
            HttpResponse<byte[]> refused = caller.put("/berth/v1/maintenance", "application/json", ON);
            assertThat(refused.statusCode()).isEqualTo(403);
            assertThat(RegistryHttp.errorCode(refused)).isEqualTo("DENIED");
        }
        String releng = "Authorization: Basic " + Base64.getEncoder().encodeToString(
                ("releng:" + LockedDownRegistry.RELENG_PASSWORD).getBytes(StandardCharsets.UTF_8));
        assertThat(UnsentBody.statusLine(registry.uri(), "PUT", "/berth/v1/maintenance", Duration.ofSeconds(5),
                "Content-Type: application/json", releng)).as("refused before the body").startsWith("HTTP/1.1 403");
        assertThat(UnsentBody.statusLine(registry.uri(), "PUT", "/berth/v1/maintenance", Duration.ofSeconds(5),
                "Content-Type: application/json")).as("anonymous, before the body").startsWith("HTTP/1.1 401");
        assertThat(RegistryHttp.json(registry.admin().get("/berth/v1/maintenance")).path("read-only").asBoolean())
                .as("nobody but an admin switched").isFalse();

        HttpResponse<byte[]> on = registry.admin().put("/berth/v1/maintenance", "application/json", ON);
        try {
            assertThat(on.statusCode()).as(RegistryHttp.text(on)).isEqualTo(200);
            assertThat(RegistryHttp.json(on).path("changed-by").asText()).isEqualTo("admin");
            String token = LockedDownRegistry.token(registry.osbs(), "repository:candidate/app:pull,push");
            assertThat(token).as("tokens are still issued").isNotBlank();
            assertThat(registry.bearer(token).get("/v2/candidate/app/manifests/1.0").statusCode()).isEqualTo(200);
            MaintenanceApiTest.assertRefused(registry.bearer(token).post("/v2/candidate/app/blobs/uploads/"));
        } finally {
            assertThat(registry.admin().put("/berth/v1/maintenance", "application/json", OFF).statusCode()).isEqualTo(200);
        }
    }
}
