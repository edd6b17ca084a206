package io.berth.promotion;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.metadata.MetadataStore;
import io.berth.metadata.PromotionRecord.Outcome;
import io.berth.metadata.SqlMetadataStore;
import io.berth.oci.Digest;
import io.berth.oci.MediaTypes;
import io.berth.oci.RepositoryGlob;
import io.berth.oci.RepositoryName;
import io.berth.oci.Tag;
import io.berth.storage.BlobLayout;
import io.berth.storage.FilesystemBlobStore;
import io.berth.testing.InTotoAttester;
import io.berth.testing.ManifestJson;
import io.berth.testing.RegistryHttp;
import io.berth.testing.TestBlob;
import io.berth.testing.TestRegistry;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A candidate with a signed test report promoted to another registry ({@code berth promote --to})
 * passes the {@code required-attestations} gate there too and arrives with its
 * {@code sha256-<hex>.att} attachment; a second promotion sends nothing.
 */
class AttestationRemotePromotionTest {
    private static final RepositoryName SOURCE = RepositoryName.parse("candidate/app");
    private static final RepositoryName TARGET = RepositoryName.parse("app");

    @TempDir
    Path dataDir;

    @Test
    void theAttestationAttachmentFollowsThePromotedImageToTheOtherRegistry() throws Exception {
        InTotoAttester release = InTotoAttester.generate();
        Digest image;
        Digest attachment;
        try (TestRegistry candidates = TestRegistry.startOn(dataDir)) {
            RegistryHttp http = candidates.http();
            TestBlob config = TestBlob.of("{\"architecture\":\"amd64\",\"os\":\"linux\"}");
            TestBlob layer = TestBlob.random(2_000, 8);
            http.pushBlob(SOURCE.value(), config.content());
            http.pushBlob(SOURCE.value(), layer.content());
            TestBlob manifest = ManifestJson.ociImage(config, layer).build();
            image = http.pushManifest(SOURCE.value(), "1.0", MediaTypes.OCI_MANIFEST, manifest.content());
            attachment = InTotoAttester.attach(http, SOURCE.value(), image, InTotoAttester.TEST_RESULT,
                    List.of(release.envelope(InTotoAttester.testReport(image, "passed"))));
        }
        String tag = "sha256-" + image.encoded() + ".att";
        SigningKey key = SigningKey.fromPem("release.pub", release.publicKeyPem());
        PromotionRules rules = new PromotionRules(List.of(new NamespaceMapping("candidate/*", "*")), List.of(new GateRule(
                new RepositoryGlob("**"), List.of(
                        new RequiredAttestation(InTotoAttester.TEST_RESULT, List.of(key), false, Map.of("/result", "passed")),
                        new RequiredAttestation(InTotoAttester.TEST_RESULT, List.of(key), false, Map.of("/failed", "0"))))));
        try (TestRegistry stable = TestRegistry.start();
             MetadataStore store = SqlMetadataStore.openSqlite(dataDir.resolve("berth.db"), Clock.systemUTC())) {
            PromotionService service = new PromotionService(store, new FilesystemBlobStore(new BlobLayout(dataDir)), rules,
                    Clock.systemUTC());
            RemoteRegistry remote = new RemoteRegistry(stable.uri(), Optional.empty());
            PromotionRequest request = new PromotionRequest(SOURCE, Tag.parse("1.0"), TARGET, List.of(Tag.parse("1.0")), "tester");

            assertThat(service.promoteTo(remote, request).promotion().outcome()).isEqualTo(Outcome.PROMOTED);

            HttpResponse<byte[]> carried = stable.http().get("/v2/app/manifests/" + tag);
            assertThat(carried.statusCode()).isEqualTo(200);
            assertThat(carried.headers().firstValue("Docker-Content-Digest")).hasValue(attachment.toString());
            String envelope = RegistryHttp.json(carried).path("layers").get(0).path("digest").asText();
            assertThat(stable.http().get("/v2/app/blobs/" + envelope).statusCode()).isEqualTo(200);
            assertThat(service.promoteTo(remote, request).promotion().outcome()).as("everything is there already")
                    .isEqualTo(Outcome.UNCHANGED);
        }
    }
}
