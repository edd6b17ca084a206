package io.berth.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.config.BerthConfig;
import io.berth.config.PromotionConfig;
import io.berth.config.TagProtectionConfig;
import io.berth.metadata.PromotionRecord;
import io.berth.oci.Digest;
import io.berth.oci.MediaTypes;
import io.berth.promotion.PromotionRefused;
import io.berth.promotion.PromotionRequest;
import io.berth.testing.ManifestJson;
import io.berth.testing.RegistryHttp;
import io.berth.testing.TestBlob;
import io.berth.testing.TestRegistry;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code berth promote} inside the registry, without HTTP: the operator running it may move a
 * protected tag ({@code latest}, protected for {@code robot$release}) but never an immutable one
 * ({@code 1.*}).
 */
class PromotionToolsTagProtectionTest {
    @TempDir
    Path dataDir;
    private BerthConfig config;
    private Digest first;
    private Digest second;

    @BeforeEach
    void pushTwoCandidatesAndARelease() {
        config = new BerthConfig("127.0.0.1:0", dataDir.toString(), false, 5)
                .withPromotion(new PromotionConfig(List.of(new PromotionConfig.Namespace("candidate/*", "*")), null))
                .withTagProtection(List.of(new TagProtectionConfig("app", List.of("1.*"), List.of("latest"),
                        List.of("robot$release"))));
        try (TestRegistry registry = TestRegistry.startOn(dataDir, settings -> config)) {
            RegistryHttp http = registry.http();
            first = push(http, "candidate/app", "1.0", 1);
            second = push(http, "candidate/app", "1.1", 2);
        }
    }

    private static Digest push(RegistryHttp http, String repository, String tag, long seed) {
        TestBlob config = TestBlob.of("{\"architecture\":\"amd64\",\"os\":\"linux\",\"seed\":" + seed + "}");
        TestBlob layer = TestBlob.random(500, seed);
        http.pushBlob(repository, config.content());
        http.pushBlob(repository, layer.content());
        return http.pushManifest(repository, tag, MediaTypes.OCI_MANIFEST, ManifestJson.ociImage(config, layer).build().content());
    }

    @Test
    void theLocalOperatorMovesAProtectedTagButNeverAnImmutableOne() {
        PromotionRecord promoted = PromotionTools.promote(config,
                PromotionRequest.parse("candidate/app:1.0", List.of("app:1.0", "app:latest"), "operator")).promotion();
        assertThat(promoted.outcome()).isEqualTo(PromotionRecord.Outcome.PROMOTED);
        assertThat(promoted.gates()).anySatisfy(gate -> {
            assertThat(gate.gate()).isEqualTo("tag protection");
            assertThat(gate.passed()).isTrue();
        });

        PromotionRecord moved = PromotionTools.promote(config,
                PromotionRequest.parse("candidate/app:1.1", List.of("app:latest"), "operator")).promotion();
        assertThat(moved.outcome()).isEqualTo(PromotionRecord.Outcome.PROMOTED);
        assertThat(moved.sourceDigest()).contains(second);

        assertThatThrownBy(() -> PromotionTools.promote(config,
                PromotionRequest.parse("candidate/app:1.1", List.of("app:1.0"), "operator")))
                .isInstanceOfSatisfying(PromotionRefused.class, refused -> assertThat(refused.promotion().promotion().gates())
                        .anySatisfy(gate -> {
                            assertThat(gate.gate()).isEqualTo("tag protection");
                            assertThat(gate.passed()).isFalse();
                            assertThat(gate.reason()).contains("app:1.0", "immutable", first.toString());
                        }))
                .hasMessageContaining("immutable");
    }
}
