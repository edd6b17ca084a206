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
import io.berth.testing.ManifestJson;
import io.berth.testing.RegistryHttp;
import io.berth.testing.SimpleSigner;
import io.berth.testing.TestBlob;
import io.berth.testing.TestRegistry;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A signed candidate promoted to another registry ({@code berth promote --to}) arrives there with
 * its {@code sha256-<hex>.sig} attachment, so clients of the other registry find the signature
 * under the stable name; a second promotion sends nothing.
 */
class SignatureRemotePromotionTest {
    private static final RepositoryName SOURCE = RepositoryName.parse("candidate/app");
    private static final RepositoryName TARGET = RepositoryName.parse("app");

    @TempDir
    Path dataDir;

    @Test
    void theSignatureAttachmentFollowsThePromotedImageToTheOtherRegistry() throws Exception {
        SimpleSigner release = SimpleSigner.generate();
        Digest image;
        Digest attachment;
        try (TestRegistry candidates = TestRegistry.startOn(dataDir)) {
            RegistryHttp http = candidates.http();
            TestBlob config = TestBlob.of("{\"architecture\":\"amd64\",\"os\":\"linux\"}");
            TestBlob layer = TestBlob.random(2_000, 7);
            http.pushBlob(SOURCE.value(), config.content());
            http.pushBlob(SOURCE.value(), layer.content());
            TestBlob manifest = ManifestJson.ociImage(config, layer).build();
            image = http.pushManifest(SOURCE.value(), "1.0", MediaTypes.OCI_MANIFEST, manifest.content());
            attachment = release.attach(http, SOURCE.value(), image,
                    SimpleSigner.payload(candidates.hostPort() + "/candidate/app:1.0", image));
        }
        String tag = "sha256-" + image.encoded() + ".sig";
        PromotionRules rules = new PromotionRules(List.of(new NamespaceMapping("candidate/*", "*")), List.of(new GateRule(
                new RepositoryGlob("**"), List.of(new RequiredSignature(List.of(SigningKey.fromPem("release.pub", release.publicKeyPem())))))));
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
            String payload = RegistryHttp.json(carried).path("layers").get(0).path("digest").asText();
            assertThat(stable.http().get("/v2/app/blobs/" + payload).statusCode()).isEqualTo(200);
            assertThat(service.promoteTo(remote, request).promotion().outcome()).as("everything is there already")
                    .isEqualTo(Outcome.UNCHANGED);
        }
    }
}
