package io.berth.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.testing.ManifestJson;
import io.berth.testing.TestBlob;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The facts the registry derives from a parsed manifest: its referrers {@code artifactType} and the blobs it needs. */
class ManifestTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FOREIGN_LAYER = "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip";
    private static final String NONDISTRIBUTABLE_LAYER = "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip";
    private static final TestBlob CONFIG = TestBlob.of("{}");
    private static final TestBlob LAYER = TestBlob.random(16, 1);
    private static final TestBlob SECOND_LAYER = TestBlob.random(16, 2);
    private static final TestBlob CHILD = TestBlob.random(16, 3);

    static Stream<Arguments> referrerArtifactTypes() {
        return Stream.of(
                argumentSet("image manifest with artifactType: the declared type",
                        image(root -> root.put("artifactType", "application/vnd.example.sbom.v1")), Optional.of("application/vnd.example.sbom.v1")),
                argumentSet("artifact with the empty config: the declared type, not the empty type",
                        image(root -> {
                            root.put("artifactType", "application/vnd.example.signature.v1");
                            root.set("config", ManifestJson.descriptor(MediaTypes.OCI_EMPTY, CONFIG.digest(), CONFIG.size()));
                        }), Optional.of("application/vnd.example.signature.v1")),
                argumentSet("image manifest without artifactType: the config's mediaType",
                        image(root -> { }), Optional.of("application/vnd.oci.image.config.v1+json")),
                argumentSet("Docker manifest without artifactType: the config's mediaType",
                        parse(ManifestJson.dockerImage(CONFIG, LAYER).root(), MediaTypes.DOCKER_MANIFEST),
                        Optional.of("application/vnd.docker.container.image.v1+json")),
                argumentSet("index with artifactType: the declared type",
                        index(root -> root.put("artifactType", "application/vnd.example.bundle")), Optional.of("application/vnd.example.bundle")),
                argumentSet("index without artifactType: none", index(root -> { }), Optional.empty()));
    }

    /**
     * Distribution spec, "Listing Referrers": "If the artifactType is empty or missing in the image
     * manifest, the value of artifactType MUST be set to the config descriptor mediaType value. If
     * the artifactType is empty or missing in an index, the artifactType MUST be omitted."
     */
    @ParameterizedTest
    @MethodSource("referrerArtifactTypes")
    void referrerArtifactTypePrefersTheDeclaredType(Manifest manifest, Optional<String> expected) {
        assertThat(manifest.referrerArtifactType()).isEqualTo(expected);
    }

    @Test
    void requiredBlobsAreTheConfigThenEveryLayer() {
        Manifest manifest = parse(ManifestJson.ociImage(CONFIG, LAYER, SECOND_LAYER).root(), MediaTypes.OCI_MANIFEST);

        assertThat(manifest.requiredBlobs()).extracting(Descriptor::digest)
                .containsExactly(CONFIG.digest(), LAYER.digest(), SECOND_LAYER.digest());
    }

    static Stream<Arguments> layersAndWhetherRequired() {
        List<String> urls = List.of("https://example.com/layer.tar.gz");
        return Stream.of(
                argumentSet("Docker foreign layer with urls: skipped", FOREIGN_LAYER, urls, false),
                argumentSet("OCI non-distributable layer with urls: skipped", NONDISTRIBUTABLE_LAYER, urls, false),
                argumentSet("OCI non-distributable layer without urls: required", NONDISTRIBUTABLE_LAYER, List.of(), true),
                argumentSet("Docker foreign layer without urls: required", FOREIGN_LAYER, List.of(), true),
                argumentSet("regular layer with urls: required", "application/vnd.oci.image.layer.v1.tar+gzip", urls, true));
    }

    /**
     * Non-distributable layers are fetched from their {@code urls} (image spec, "Non-Distributable
     * Layers"; Docker schema 2: foreign layers "should never be pushed"), so the registry need not hold them.
     */
    @ParameterizedTest
    @MethodSource("layersAndWhetherRequired")
    void requiredBlobsSkipNonDistributableLayersWithUrls(String mediaType, List<String> urls, boolean required) {
        Manifest manifest = image(root -> {
            ObjectNode secondLayer = (ObjectNode) root.get("layers").get(1);
            secondLayer.put("mediaType", mediaType);
            urls.forEach(url -> secondLayer.withArray("urls").add(url));
        });

        List<Digest> expected = required
                ? List.of(CONFIG.digest(), LAYER.digest(), SECOND_LAYER.digest())
                : List.of(CONFIG.digest(), LAYER.digest());
        assertThat(manifest.requiredBlobs()).extracting(Descriptor::digest).containsExactlyElementsOf(expected);
    }

    @Test
    void indexRequiresNoBlobs() {
        assertThat(index(root -> { }).requiredBlobs()).isEmpty();
    }

    private static Manifest image(Consumer<ObjectNode> change) {
        ObjectNode root = ManifestJson.ociImage(CONFIG, LAYER, SECOND_LAYER).root();
        change.accept(root);
        return parse(root, MediaTypes.OCI_MANIFEST);
    }

    private static Manifest index(Consumer<ObjectNode> change) {
        ObjectNode root = ManifestJson.index(MediaTypes.OCI_INDEX, MediaTypes.OCI_MANIFEST, CHILD).root();
        change.accept(root);
        return parse(root, MediaTypes.OCI_INDEX);
    }

    private static Manifest parse(ObjectNode root, String contentType) {
        try {
            return ManifestParser.parse(JSON.writeValueAsBytes(root), Optional.of(contentType));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
