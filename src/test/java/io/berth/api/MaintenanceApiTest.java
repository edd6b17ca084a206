package io.berth.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.oci.MediaTypes;
import io.berth.testing.ManifestJson;
import io.berth.testing.RegistryHttp;
import io.berth.testing.TestBlob;
import io.berth.testing.TestRegistry;
import io.berth.testing.UnsentBody;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Read-only maintenance mode over HTTP ({@code /berth/v1/maintenance}): while it is on every write
 * is refused with 405 {@code UNSUPPORTED} and {@code Allow: GET, HEAD}, decided before any body is
 * read; pulls and the health check go on, and health names the mode. Authentication is off here,
 * so anyone may switch; {@link MaintenanceAuthApiTest} holds who may.
 */
class MaintenanceApiTest {
    private static final TestBlob CONFIG = TestBlob.of("{\"os\":\"linux\"}");
    private static final TestBlob LAYER = TestBlob.random(2000, 7);
    private static final TestBlob MANIFEST = ManifestJson.ociImage(CONFIG, LAYER).build();
    private static final Duration ANSWERED_WITHIN = Duration.ofSeconds(5);

    @Test
    void whileReadOnlyWritesAre405UnsupportedAndReadsGoOnUntilSwitchedOff() throws Exception {
        try (TestRegistry registry = TestRegistry.start()) {
            RegistryHttp http = registry.http();
            push(http, "app", "1.0");

            HttpResponse<byte[]> on = switchTo(http, true);
            assertThat(on.statusCode()).as(RegistryHttp.text(on)).isEqualTo(200);
            assertThat(RegistryHttp.json(on).path("read-only").asBoolean()).isTrue();
            assertThat(RegistryHttp.json(on).path("changed-by").asText()).isEqualTo("anonymous");
            assertThat(RegistryHttp.json(http.get("/berth/v1/maintenance")).path("read-only").asBoolean()).isTrue();

            assertRefused(http.post("/v2/app/blobs/uploads/"));
            assertRefused(http.post("/v2/other/blobs/uploads/?mount=" + LAYER.digest() + "&from=app"));
            assertRefused(http.put("/v2/app/manifests/2.0", MediaTypes.OCI_MANIFEST, MANIFEST.content()));
            assertRefused(http.delete("/v2/app/manifests/1.0"));
            assertRefused(http.delete("/v2/app/manifests/" + MANIFEST.digest()));
            assertRefused(http.delete("/v2/app/blobs/" + LAYER.digest()));
            assertRefused(http.post("/berth/v1/promotions", "{}".getBytes(StandardCharsets.UTF_8)));
            assertThat(UnsentBody.statusLine(registry.uri(), "PATCH", "/v2/app/blobs/uploads/" + java.util.UUID.randomUUID(),
                    ANSWERED_WITHIN, "Content-Type: application/octet-stream"))
                    .as("refused from the head alone, the body never read").startsWith("HTTP/1.1 405");
            assertThat(UnsentBody.statusLine(registry.uri(), "PUT", "/v2/app/manifests/3.0", ANSWERED_WITHIN,
                    "Content-Type: " + MediaTypes.OCI_MANIFEST)).startsWith("HTTP/1.1 405");

            assertThat(http.get("/v2/app/manifests/1.0").statusCode()).as("pulls go on").isEqualTo(200);
            assertThat(http.get("/v2/app/blobs/" + LAYER.digest()).body()).isEqualTo(LAYER.content());
            assertThat(http.get("/v2/app/tags/list").statusCode()).isEqualTo(200);
            HttpResponse<byte[]> health = http.get("/berth/v1/health");
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(RegistryHttp.json(health).path("mode").asText()).isEqualTo("read-only");

            HttpResponse<byte[]> off = switchTo(http, false);
            assertThat(RegistryHttp.json(off).path("read-only").asBoolean()).isFalse();
            push(http, "app", "2.0");
            assertThat(http.delete("/v2/app/manifests/2.0").statusCode()).isEqualTo(202);
            assertThat(RegistryHttp.json(http.get("/berth/v1/health")).path("mode").asText()).isEqualTo("read-write");
        }
    }

    @Test
    void readOnlyInTheConfigurationSwitchesItOnAtStartUntilSwitchedOff() throws Exception {
        try (TestRegistry registry = TestRegistry.start(config -> config.withReadOnly(true))) {
            RegistryHttp http = registry.http();
            HttpResponse<byte[]> state = http.get("/berth/v1/maintenance");
            assertThat(RegistryHttp.json(state).path("read-only").asBoolean()).isTrue();
            assertThat(RegistryHttp.json(state).path("changed-by").asText()).isEqualTo("configuration (read-only: true)");
            assertRefused(http.post("/v2/app/blobs/uploads/"));

            switchTo(http, false);

            push(http, "app", "1.0");
        }
    }

    @Test
    void theSwitchTakesOneSmallJsonObject() throws Exception {
        try (TestRegistry registry = TestRegistry.start()) {
            RegistryHttp http = registry.http();
            for (String bad : new String[] {"{", "[]", "{\"read-only\": \"yes\"}", "{\"read-only\": true, \"x\": 1}", ""}) {
                HttpResponse<byte[]> refused = http.put("/berth/v1/maintenance", "application/json",
                        bad.getBytes(StandardCharsets.UTF_8));
                assertThat(refused.statusCode()).as(bad).isEqualTo(400);
                assertThat(RegistryHttp.errorCode(refused)).isEqualTo("UNSUPPORTED");
            }
            byte[] oversized = ("{\"read-only\": true" + " ".repeat(2000) + "}").getBytes(StandardCharsets.UTF_8);
            HttpResponse<byte[]> tooLarge = http.put("/berth/v1/maintenance", "application/json", oversized);
            assertThat(tooLarge.statusCode()).isEqualTo(413);
            assertThat(UnsentBody.statusLine(registry.uri(), "PUT", "/berth/v1/maintenance", ANSWERED_WITHIN,
                    "Content-Type: application/json")).as("refused from the declared length").startsWith("HTTP/1.1 413");
            assertThat(RegistryHttp.json(http.get("/berth/v1/maintenance")).path("read-only").asBoolean())
                    .as("nothing switched").isFalse();
            assertThat(http.delete("/berth/v1/maintenance").statusCode()).isEqualTo(405);
        }
    }

    private static HttpResponse<byte[]> switchTo(RegistryHttp http, boolean readOnly) {
        return http.put("/berth/v1/maintenance", "application/json",
                ("{\"read-only\": " + readOnly + "}").getBytes(StandardCharsets.UTF_8));
    }

    private static void push(RegistryHttp http, String repository, String tag) {
        http.pushBlob(repository, CONFIG.content());
        http.pushBlob(repository, LAYER.content());
        http.pushManifest(repository, tag, MediaTypes.OCI_MANIFEST, MANIFEST.content());
    }

    static void assertRefused(HttpResponse<byte[]> response) {
        assertThat(response.statusCode()).as(RegistryHttp.text(response)).isEqualTo(405);
        assertThat(RegistryHttp.errorCode(response)).isEqualTo("UNSUPPORTED");
        assertThat(RegistryHttp.json(response).path("errors").get(0).path("message").asText())
                .contains("read-only maintenance mode");
        assertThat(response.headers().firstValue("Allow")).hasValue("GET, HEAD");
    }
}
