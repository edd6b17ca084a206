package io.berth.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.config.PromotionConfig;
import io.berth.config.QuotaConfig;
import io.berth.oci.MediaTypes;
import io.berth.testing.ManifestJson;
import io.berth.testing.RegistryHttp;
import io.berth.testing.TestBlob;
import io.berth.testing.TestRegistry;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Promotion into a repository a quota covers: what the promotion would add is judged as the gate
 * {@code quota}, so a promotion past the limit is refused with 409 naming the quota and changes
 * nothing, and one that fits passes the gate.
 */
class QuotaPromotionApiTest {
    private static final TestBlob CONFIG = TestBlob.of("{\"os\":\"linux\"}");
    private static final TestBlob LAYER = TestBlob.random(5000, 21);
    private static final TestBlob MANIFEST = ManifestJson.ociImage(CONFIG, LAYER).build();

    private TestRegistry registry;
    private RegistryHttp http;

    @BeforeEach
    void start() {
        registry = TestRegistry.start(config -> config
                .withPromotion(new PromotionConfig(List.of(new PromotionConfig.Namespace("candidate/*", "*")), null))
                .withQuotas(List.of(new QuotaConfig("tight", 4000L, null), new QuotaConfig("roomy", 1L << 20, 5L))));
        http = registry.http();
        http.pushBlob("candidate/tight", CONFIG.content());
        http.pushBlob("candidate/tight", LAYER.content());
        http.pushManifest("candidate/tight", "1.0", MediaTypes.OCI_MANIFEST, MANIFEST.content());
        http.pushBlob("candidate/roomy", CONFIG.content());
        http.pushBlob("candidate/roomy", LAYER.content());
        http.pushManifest("candidate/roomy", "1.0", MediaTypes.OCI_MANIFEST, MANIFEST.content());
    }

    @AfterEach
    void stop() {
        registry.close();
    }

    @Test
    void aPromotionPastAQuotaFailsTheQuotaGateAndChangesNothing() {
        HttpResponse<byte[]> refused = promote("candidate/tight:1.0", "tight:1.0");

        assertThat(refused.statusCode()).as(RegistryHttp.text(refused)).isEqualTo(409);
        assertThat(RegistryHttp.text(refused)).contains("quota \\\"tight\\\" allows at most 4000 bytes; 0 are in use and 3 new"
                + " blobs and manifests add " + (CONFIG.content().length + LAYER.content().length + MANIFEST.content().length));
        assertThat(http.get("/v2/tight/manifests/1.0").statusCode()).isEqualTo(404);
    }

    @Test
    void aPromotionThatFitsPassesTheQuotaGate() {
        HttpResponse<byte[]> promoted = promote("candidate/roomy:1.0", "roomy:1.0");

        assertThat(promoted.statusCode()).as(RegistryHttp.text(promoted)).isEqualTo(201);
        assertThat(RegistryHttp.text(promoted)).contains("fits its quotas");
        assertThat(http.get("/v2/roomy/manifests/1.0").statusCode()).isEqualTo(200);
    }

    private HttpResponse<byte[]> promote(String source, String target) {
        return http.post("/berth/v1/promotions", ("{\"source\":\"" + source + "\",\"targets\":[\"" + target + "\"]}")
                .getBytes(StandardCharsets.UTF_8));
    }
}
