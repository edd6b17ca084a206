package io.berth.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.config.QuotaConfig;
import io.berth.oci.MediaTypes;
import io.berth.testing.ManifestJson;
import io.berth.testing.RegistryHttp;
import io.berth.testing.TestBlob;
import io.berth.testing.TestRegistry;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Quotas over HTTP: each place a push adds to a repository — completing an upload, a
 * cross-repository mount, a manifest put, a push into a new repository — is refused with 403
 * {@code DENIED} naming the quota, its limit and its usage, and leaves nothing behind; content
 * already held by a covered repository adds nothing; {@code GET /berth/v1/quotas} shows the usage.
 */
class QuotaApiTest {
    private static final TestBlob CONFIG = TestBlob.of("{\"os\":\"linux\"}");
    private static final TestBlob LAYER = TestBlob.random(4000, 11);
    private static final TestBlob MANIFEST = ManifestJson.ociImage(CONFIG, LAYER).build();
    private static final TestBlob BIG = TestBlob.random(6000, 12);
    /** Room for the image's two blobs, not for its manifest too. */
    private static final long TEAM_A_BYTES = CONFIG.content().length + LAYER.content().length + MANIFEST.content().length - 1;

    private TestRegistry registry;
    private RegistryHttp http;

    @BeforeEach
    void start() {
        registry = TestRegistry.start(config -> config.withQuotas(List.of(
                new QuotaConfig("team-a/**", TEAM_A_BYTES, null),
                new QuotaConfig("team-b/*", null, 1L))));
        http = registry.http();
    }

    @AfterEach
    void stop() {
        registry.close();
    }

    @Test
    void aManifestThatWouldPassMaxBytesIsRefusedNamingTheQuota() {
        http.pushBlob("team-a/app", CONFIG.content());
        http.pushBlob("team-a/app", LAYER.content());

        HttpResponse<byte[]> refused = http.put("/v2/team-a/app/manifests/1.0", MediaTypes.OCI_MANIFEST, MANIFEST.content());

        assertDenied(refused, "quota \"team-a/**\" allows at most " + TEAM_A_BYTES + " bytes; "
                + (CONFIG.content().length + LAYER.content().length) + " are in use and manifest " + MANIFEST.digest()
                + " adds " + MANIFEST.content().length);
        assertThat(http.get("/v2/team-a/app/manifests/1.0").statusCode()).as("nothing stored").isEqualTo(404);
    }

    @Test
    void completingAnUploadThatWouldPassMaxBytesIsRefusedAndItsStagingDiscarded() {
        http.pushBlob("team-a/app", LAYER.content());
        HttpResponse<byte[]> started = http.post("/v2/team-a/app/blobs/uploads/");
        String location = started.headers().firstValue("Location").orElseThrow();

        HttpResponse<byte[]> refused = http.put(location + (location.contains("?") ? "&" : "?") + "digest=" + BIG.digest(),
                "application/octet-stream", BIG.content());

        assertDenied(refused, "quota \"team-a/**\" allows at most " + TEAM_A_BYTES + " bytes; " + LAYER.content().length
                + " are in use and blob " + BIG.digest() + " adds " + BIG.content().length);
        assertThat(http.get(location).statusCode()).as("the session is gone").isEqualTo(404);
        assertThat(http.head("/v2/team-a/app/blobs/" + BIG.digest()).statusCode()).isEqualTo(404);
        assertThat(registry.dataDir().resolve("uploads").toFile().list()).as("no staged bytes stay").isNullOrEmpty();
    }

    @Test
    void aMountThatWouldPassMaxBytesIsRefusedAndContentAlreadyCoveredAddsNothing() {
        http.pushBlob("elsewhere", BIG.content());
        http.pushBlob("team-a/app", LAYER.content());

        HttpResponse<byte[]> refused = http.post("/v2/team-a/app/blobs/uploads/?mount=" + BIG.digest() + "&from=elsewhere");
        assertDenied(refused, "quota \"team-a/**\" allows at most " + TEAM_A_BYTES + " bytes");
        assertThat(http.head("/v2/team-a/app/blobs/" + BIG.digest()).statusCode()).isEqualTo(404);

        HttpResponse<byte[]> shared = http.post("/v2/team-a/other/blobs/uploads/?mount=" + LAYER.digest() + "&from=team-a/app");
        assertThat(shared.statusCode()).as("a blob the quota's repositories hold already adds no bytes").isEqualTo(201);
    }

    @Test
    void aPushIntoOneRepositoryTooManyIsRefusedWhenItStarts() {
        http.pushBlob("team-b/first", CONFIG.content());

        HttpResponse<byte[]> refused = http.post("/v2/team-b/second/blobs/uploads/");
        assertDenied(refused, "quota \"team-b/*\" allows at most 1 repositories and 1 exist; team-b/second would be one more");
        HttpResponse<byte[]> mounted = http.post("/v2/team-b/second/blobs/uploads/?mount=" + CONFIG.digest() + "&from=team-b/first");
        assertDenied(mounted, "quota \"team-b/*\"");

        assertThat(http.post("/v2/team-b/first/blobs/uploads/").statusCode()).as("the existing one takes more").isEqualTo(202);
        assertThat(http.post("/v2/team-b/deeper/still/blobs/uploads/").statusCode()).as("team-b/* is one level").isEqualTo(202);
    }

    @Test
    void theUsageEndpointShowsEachQuotaWithItsLimitsAndUsage() {
        http.pushBlob("team-a/app", LAYER.content());
        http.pushBlob("team-a/copy", LAYER.content());
        http.pushBlob("team-b/first", CONFIG.content());

        HttpResponse<byte[]> response = http.get("/berth/v1/quotas");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode quotas = RegistryHttp.json(response).path("quotas");
        assertThat(quotas).hasSize(2);
        assertThat(Map.of("repositories", quotas.get(0).path("repositories").asText(),
                "max-bytes", quotas.get(0).path("max-bytes").asLong(),
                "used-bytes", quotas.get(0).path("used-bytes").asLong(),
                "used-repositories", quotas.get(0).path("used-repositories").asLong()))
                .isEqualTo(Map.of("repositories", "team-a/**", "max-bytes", TEAM_A_BYTES,
                        "used-bytes", (long) LAYER.content().length, "used-repositories", 2L));
        assertThat(quotas.get(0).has("max-repositories")).isFalse();
        assertThat(quotas.get(1).path("max-repositories").asLong()).isEqualTo(1);
        assertThat(quotas.get(1).path("used-repositories").asLong()).isEqualTo(1);
        assertThat(quotas.get(1).path("used-bytes").asLong()).isEqualTo(CONFIG.content().length);
    }

    static void assertDenied(HttpResponse<byte[]> response, String message) {
        assertThat(response.statusCode()).as(RegistryHttp.text(response)).isEqualTo(403);
        assertThat(RegistryHttp.errorCode(response)).isEqualTo("DENIED");
        assertThat(RegistryHttp.json(response).path("errors").get(0).path("message").asText()).startsWith(message);
    }
}
