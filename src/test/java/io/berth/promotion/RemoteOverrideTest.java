package io.berth.promotion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.metadata.MetadataStore;
import io.berth.metadata.PromotionRecord;
import io.berth.metadata.SqlMetadataStore;
import io.berth.oci.MediaTypes;
import io.berth.oci.RepositoryGlob;
import io.berth.oci.RepositoryName;
import io.berth.oci.Tag;
import io.berth.storage.BlobLayout;
import io.berth.storage.FilesystemBlobStore;
import io.berth.testing.ManifestJson;
import io.berth.testing.RegistryHttp;
import io.berth.testing.TestBlob;
import io.berth.testing.TestRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A promotion to another registry ({@code berth promote --to … --override}) is overridden as one
 * inside Berth: a candidate a day-long minimum age refuses is sent with an override, and the audit
 * trail marks it.
 */
class RemoteOverrideTest {
    private static final RepositoryName SOURCE = RepositoryName.parse("candidate/app");
    private static final RepositoryName TARGET = RepositoryName.parse("app");

    @TempDir
    Path dataDir;

    @Test
    void anOverrideSendsACandidateTheMinimumAgeRefuses() throws Exception {
        try (TestRegistry candidates = TestRegistry.startOn(dataDir)) {
            RegistryHttp http = candidates.http();
            TestBlob config = TestBlob.of("{\"architecture\":\"amd64\",\"os\":\"linux\"}");
            TestBlob layer = TestBlob.random(1_000, 11);
            http.pushBlob(SOURCE.value(), config.content());
            http.pushBlob(SOURCE.value(), layer.content());
            http.pushManifest(SOURCE.value(), "1.0", MediaTypes.OCI_MANIFEST, ManifestJson.ociImage(config, layer).build().content());
        }
        PromotionRules rules = new PromotionRules(List.of(new NamespaceMapping("candidate/*", "*")),
                List.of(new GateRule(new RepositoryGlob("**"), List.of(new Gates.MinimumAge(Duration.ofDays(1))))));
        try (TestRegistry stable = TestRegistry.start();
             MetadataStore store = SqlMetadataStore.openSqlite(dataDir.resolve("berth.db"), Clock.systemUTC())) {
            PromotionService service = new PromotionService(store, new FilesystemBlobStore(new BlobLayout(dataDir)), rules,
                    Clock.systemUTC());
            RemoteRegistry remote = new RemoteRegistry(stable.uri(), Optional.empty());
            PromotionRequest request = new PromotionRequest(SOURCE, Tag.parse("1.0"), TARGET, List.of(Tag.parse("1.0")), "ops");

            assertThatThrownBy(() -> service.promoteTo(remote, request)).isInstanceOf(PromotionRefused.class)
                    .hasMessageContaining("pushed only");
            assertThat(stable.http().get("/v2/app/manifests/1.0").statusCode()).isEqualTo(404);

            PromotionRecord promoted = service.promoteTo(remote, request.withOverride(OverrideReason.of("hotfix"))).promotion();

            assertThat(promoted.outcome()).isEqualTo(PromotionRecord.Outcome.PROMOTED);
            assertThat(promoted.overridden()).isTrue();
            assertThat(promoted.overrideReason()).hasValue("hotfix");
            assertThat(promoted.targetRepository()).isEqualTo(stable.hostPort() + "/app");
            assertThat(stable.http().get("/v2/app/manifests/1.0").statusCode()).isEqualTo(200);
        }
    }
}
