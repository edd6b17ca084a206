package io.berth.oci;

import static io.berth.testing.RegistryErrors.thrownBy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.testing.ManifestJson;
import io.berth.testing.TestBlob;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The four manifest formats Berth stores (image spec "Image Manifest" and "Image Index", Docker's
 * "Image Manifest Version 2, Schema 2" manifest and manifest list), and every structural refusal,
 * each answered with {@code MANIFEST_INVALID}.
 */
class ManifestParserTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
    private static final String OCI_LAYER = "application/vnd.oci.image.layer.v1.tar+gzip";
    private static final TestBlob CONFIG = TestBlob.of("{\"architecture\":\"amd64\"}");
    private static final TestBlob LAYER = TestBlob.random(64, 1);
    private static final TestBlob SECOND_LAYER = TestBlob.random(32, 2);
    private static final TestBlob CHILD = TestBlob.of("{\"schemaVersion\":2}");
    /** The empty descriptor's content, {@code {}} (image spec, "Guidance for an Empty Descriptor"). */
    private static final TestBlob EMPTY = TestBlob.of("{}");

    // --- the accepted formats -------------------------------------------------------------------

    static Stream<Arguments> acceptedManifests() {
        return Stream.of(
                argumentSet("OCI image manifest, mediaType and Content-Type agree",
                        ociImage(), type(MediaTypes.OCI_MANIFEST), ManifestKind.OCI_IMAGE),
                argumentSet("OCI image manifest, Content-Type with parameters",
                        ociImage(), type(MediaTypes.OCI_MANIFEST + "; charset=utf-8"), ManifestKind.OCI_IMAGE),
                argumentSet("OCI image manifest, Content-Type in upper case",
                        ociImage(), type(MediaTypes.OCI_MANIFEST.toUpperCase()), ManifestKind.OCI_IMAGE),
                argumentSet("OCI image manifest without mediaType, typed by Content-Type",
                        ociImageWith(root -> root.remove("mediaType")), type(MediaTypes.OCI_MANIFEST), ManifestKind.OCI_IMAGE),
                argumentSet("OCI image manifest without any type, told by its config",
                        ociImageWith(root -> root.remove("mediaType")), Optional.empty(), ManifestKind.OCI_IMAGE),
                argumentSet("OCI image manifest without mediaType sent as application/json",
                        ociImageWith(root -> root.remove("mediaType")), type(MediaTypes.JSON), ManifestKind.OCI_IMAGE),
                argumentSet("OCI image manifest with mediaType and no Content-Type",
                        ociImage(), Optional.empty(), ManifestKind.OCI_IMAGE),
                argumentSet("the image spec's example image manifest",
                        specExampleManifest(), type(MediaTypes.OCI_MANIFEST), ManifestKind.OCI_IMAGE),
                argumentSet("OCI image manifest with no layers (the list of blobs MAY be empty)",
                        ociImageWith(root -> root.putArray("layers")), type(MediaTypes.OCI_MANIFEST), ManifestKind.OCI_IMAGE),
                argumentSet("OCI image manifest with unknown fields and an unknown layer type",
                        ociImageWith(root -> {
                            root.put("org.example.extension", true);
                            layer(root, 0).put("mediaType", "application/vnd.example.unknown.layer");
                        }), type(MediaTypes.OCI_MANIFEST), ManifestKind.OCI_IMAGE),
                argumentSet("OCI index",
                        ociIndex(), type(MediaTypes.OCI_INDEX), ManifestKind.OCI_INDEX),
                argumentSet("OCI index without mediaType, typed by Content-Type",
                        ociIndexWith(root -> root.remove("mediaType")), type(MediaTypes.OCI_INDEX), ManifestKind.OCI_INDEX),
                argumentSet("OCI index without any type, told by its manifests",
                        ociIndexWith(root -> root.remove("mediaType")), Optional.empty(), ManifestKind.OCI_INDEX),
                argumentSet("OCI index with no manifests (the array MAY be empty)",
                        ociIndexWith(root -> root.putArray("manifests")), type(MediaTypes.OCI_INDEX), ManifestKind.OCI_INDEX),
                argumentSet("Docker schema 2 image manifest",
                        dockerImage(), type(MediaTypes.DOCKER_MANIFEST), ManifestKind.DOCKER_IMAGE),
                argumentSet("Docker schema 2 image manifest, no Content-Type",
                        dockerImage(), Optional.empty(), ManifestKind.DOCKER_IMAGE),
                argumentSet("Docker manifest list",
                        dockerList(), type(MediaTypes.DOCKER_MANIFEST_LIST), ManifestKind.DOCKER_LIST),
                argumentSet("artifact manifest: artifactType and the empty config",
                        artifact(), type(MediaTypes.OCI_MANIFEST), ManifestKind.OCI_IMAGE));
    }

    @ParameterizedTest
    @MethodSource("acceptedManifests")
    void acceptsEachStoredFormat(byte[] content, Optional<String> contentType, ManifestKind kind) {
        Manifest manifest = ManifestParser.parse(content, contentType);

        assertThat(manifest.kind()).isEqualTo(kind);
        assertThat(manifest.mediaType()).isEqualTo(kind.mediaType());
        if (kind.isIndex()) {
            assertThat(manifest.config()).isEmpty();
            assertThat(manifest.layers()).isEmpty();
        } else {
            assertThat(manifest.config()).isPresent();
            assertThat(manifest.manifests()).isEmpty();
        }
    }

    @Test
    void ociImageManifestYieldsItsConfigAndLayersInOrder() {
        Manifest manifest = ManifestParser.parse(bytes(ManifestJson.ociImage(CONFIG, LAYER, SECOND_LAYER).root()),
                type(MediaTypes.OCI_MANIFEST));

        assertThat(manifest.config()).contains(Descriptor.of(OCI_CONFIG, CONFIG.digest(), CONFIG.size()));
        assertThat(manifest.layers()).containsExactly(
                Descriptor.of(OCI_LAYER, LAYER.digest(), LAYER.size()),
                Descriptor.of(OCI_LAYER, SECOND_LAYER.digest(), SECOND_LAYER.size()));
        assertThat(manifest.subject()).isEmpty();
        assertThat(manifest.artifactType()).isEmpty();
        assertThat(manifest.annotations()).isEmpty();
    }

    @Test
    void indexYieldsItsChildManifests() {
        Manifest manifest = ManifestParser.parse(ociIndex(), type(MediaTypes.OCI_INDEX));

        assertThat(manifest.manifests()).extracting(Descriptor::digest).containsExactly(CHILD.digest());
        assertThat(manifest.manifests()).extracting(Descriptor::mediaType).containsExactly(MediaTypes.OCI_MANIFEST);
    }

    @Test
    void dockerManifestListYieldsItsChildManifests() {
        Manifest manifest = ManifestParser.parse(dockerList(), type(MediaTypes.DOCKER_MANIFEST_LIST));

        assertThat(manifest.manifests()).extracting(Descriptor::mediaType).containsExactly(MediaTypes.DOCKER_MANIFEST);
    }

    /** Image spec "Guidelines for Artifact Usage": the empty config requires {@code artifactType}. */
    @Test
    void artifactManifestYieldsItsArtifactTypeAndEmptyConfig() {
        Manifest manifest = ManifestParser.parse(artifact(), type(MediaTypes.OCI_MANIFEST));

        assertThat(manifest.artifactType()).contains("application/vnd.example.sbom.v1");
        assertThat(manifest.config()).contains(Descriptor.of(MediaTypes.OCI_EMPTY, EMPTY.digest(), 2));
    }

    /** Image spec "Image Manifest", {@code subject}; distribution spec "Pushing Manifests with Subject". */
    @Test
    void subjectAndAnnotationsAreRead() {
        byte[] content = bytes(ManifestJson.ociImage(CONFIG, LAYER)
                .subject(CHILD, MediaTypes.OCI_MANIFEST)
                .annotation("org.opencontainers.image.created", "2024-01-01T00:00:00Z")
                .annotation("com.example.key", "value")
                .root());

        Manifest manifest = ManifestParser.parse(content, type(MediaTypes.OCI_MANIFEST));

        assertThat(manifest.subject()).contains(Descriptor.of(MediaTypes.OCI_MANIFEST, CHILD.digest(), CHILD.size()));
        assertThat(manifest.annotations()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "org.opencontainers.image.created", "2024-01-01T00:00:00Z", "com.example.key", "value"));
    }

    @Test
    void indexMayHaveASubjectAndArtifactType() {
        byte[] content = ociIndexWith(root -> {
            root.put("artifactType", "application/vnd.example.bundle");
            root.set("subject", ManifestJson.descriptor(MediaTypes.OCI_MANIFEST, CHILD.digest(), CHILD.size()));
        });

        Manifest manifest = ManifestParser.parse(content, type(MediaTypes.OCI_INDEX));

        assertThat(manifest.subject()).map(Descriptor::digest).contains(CHILD.digest());
        assertThat(manifest.artifactType()).contains("application/vnd.example.bundle");
    }

    @Test
    void nullSubjectIsNoSubject() {
        Manifest manifest = ManifestParser.parse(ociImageWith(root -> root.putNull("subject")), type(MediaTypes.OCI_MANIFEST));

        assertThat(manifest.subject()).isEmpty();
    }

    @Test
    void descriptorFieldsAreKept() {
        byte[] content = ociImageWith(root -> {
            ObjectNode layer = layer(root, 0);
            layer.putArray("urls").add("https://example.com/layer");
            layer.putObject("annotations").put("com.example.layer", "yes");
            layer.put("artifactType", "application/vnd.example.layer");
        });

        Descriptor layer = ManifestParser.parse(content, type(MediaTypes.OCI_MANIFEST)).layers().getFirst();

        assertThat(layer.urls()).containsExactly("https://example.com/layer");
        assertThat(layer.annotations()).containsExactly(Map.entry("com.example.layer", "yes"));
        assertThat(layer.artifactType()).contains("application/vnd.example.layer");
    }

    // --- refusals -------------------------------------------------------------------------------

    static Stream<Arguments> refusedManifests() {
        String ociImage = text(ociImage());
        return Stream.of(
                // Not one JSON object.
                argumentSet("malformed JSON", utf8("{\"schemaVersion\": 2,"), none(), "malformed JSON"),
                argumentSet("not JSON at all", utf8("schemaVersion: 2"), none(), "malformed JSON"),
                argumentSet("empty body", new byte[0], none(), "empty manifest"),
                argumentSet("whitespace only", utf8("  \n"), none(), "empty manifest"),
                argumentSet("trailing data after the object", utf8(ociImage + " x"), none(), "malformed JSON"),
                argumentSet("a second object after the first", utf8(ociImage + ociImage), none(), "malformed JSON"),
                argumentSet("JSON array", utf8("[" + ociImage + "]"), none(), "JSON object"),
                argumentSet("JSON string", utf8("\"manifest\""), none(), "JSON object"),
                argumentSet("JSON number", utf8("2"), none(), "JSON object"),
                argumentSet("JSON null", utf8("null"), none(), "JSON object"),
                argumentSet("duplicate top-level key",
                        utf8("{\"schemaVersion\":2,\"schemaVersion\":2,\"config\":{},\"layers\":[]}"), none(), "Duplicate"),
                argumentSet("duplicate key inside a descriptor", utf8(ociImage.replace(
                        "\"digest\":\"" + LAYER.digest() + "\"",
                        "\"digest\":\"" + LAYER.digest() + "\",\"digest\":\"" + SECOND_LAYER.digest() + "\"")), none(), "Duplicate"),
                // Schema versions and schema 1.
                argumentSet("schemaVersion 1 (Docker schema 1 body)",
                        utf8("{\"schemaVersion\":1,\"name\":\"library/x\",\"tag\":\"latest\",\"fsLayers\":[]}"), none(), "unsupported"),
                argumentSet("schema 1 mediaType", ociImageWith(root -> root.put("mediaType", MediaTypes.DOCKER_SCHEMA1)),
                        none(), "unsupported"),
                argumentSet("signed schema 1 mediaType", ociImageWith(root -> root.put("mediaType", MediaTypes.DOCKER_SCHEMA1_SIGNED)),
                        none(), "unsupported"),
                argumentSet("schema 1 Content-Type", ociImageWith(root -> root.remove("mediaType")),
                        type(MediaTypes.DOCKER_SCHEMA1), "unsupported"),
                argumentSet("signed schema 1 Content-Type", ociImageWith(root -> root.remove("mediaType")),
                        type(MediaTypes.DOCKER_SCHEMA1_SIGNED), "unsupported"),
                argumentSet("schemaVersion missing", ociImageWith(root -> root.remove("schemaVersion")), none(), "schemaVersion must be 2"),
                argumentSet("schemaVersion 3", ociImageWith(root -> root.put("schemaVersion", 3)), none(), "schemaVersion must be 2"),
                argumentSet("schemaVersion as a string", ociImageWith(root -> root.put("schemaVersion", "2")), none(), "schemaVersion must be 2"),
                // Media types.
                argumentSet("mediaType differs from Content-Type", ociImage(), type(MediaTypes.OCI_INDEX), "does not match"),
                argumentSet("Docker mediaType sent as OCI", dockerImage(), type(MediaTypes.OCI_MANIFEST), "does not match"),
                argumentSet("unknown mediaType", ociImageWith(root -> root.put("mediaType", "application/vnd.example.thing.v1+json")),
                        none(), "unsupported manifest mediaType"),
                argumentSet("artifact type as the manifest's mediaType (the withdrawn artifact manifest)",
                        ociImageWith(root -> root.put("mediaType", "application/vnd.oci.artifact.manifest.v1+json")),
                        none(), "unsupported manifest mediaType"),
                argumentSet("unknown Content-Type and no mediaType", ociImageWith(root -> root.remove("mediaType")),
                        type("application/vnd.example.thing.v1+json"), "unsupported manifest media type"),
                argumentSet("mediaType that is not a string", ociImageWith(root -> root.put("mediaType", 2)), none(), "mediaType must be a string"),
                argumentSet("Docker manifest without mediaType", dockerImageWith(root -> root.remove("mediaType")),
                        type(MediaTypes.DOCKER_MANIFEST), "must declare its mediaType"),
                argumentSet("Docker manifest list without mediaType", dockerListWith(root -> root.remove("mediaType")),
                        type(MediaTypes.DOCKER_MANIFEST_LIST), "must declare its mediaType"),
                argumentSet("no type and no telling shape", utf8("{\"schemaVersion\":2,\"layers\":[]}"), none(), "cannot tell"),
                // Shape.
                argumentSet("image manifest without config", ociImageWith(root -> root.remove("config")), none(), "config descriptor"),
                argumentSet("image manifest with a string config", ociImageWith(root -> root.put("config", "sha256:x")), none(), "config descriptor"),
                argumentSet("image manifest without layers", ociImageWith(root -> root.remove("layers")), none(), "layers array"),
                argumentSet("image manifest with an object for layers", ociImageWith(root -> root.putObject("layers")), none(), "layers array"),
                argumentSet("image manifest with manifests", ociImageWith(root -> root.putArray("manifests")), none(), "must not have manifests"),
                argumentSet("Docker manifest without config", dockerImageWith(root -> root.remove("config")), none(), "config descriptor"),
                argumentSet("index without manifests", ociIndexWith(root -> root.remove("manifests")), none(), "manifests array"),
                argumentSet("index with an object for manifests", ociIndexWith(root -> root.putObject("manifests")), none(), "manifests array"),
                argumentSet("index with a config", ociIndexWith(root -> root.set("config", ManifestJson.descriptor(OCI_CONFIG, CONFIG.digest(), CONFIG.size()))),
                        none(), "must not have a config or layers"),
                argumentSet("index with layers", ociIndexWith(root -> root.putArray("layers")), none(), "must not have a config or layers"),
                argumentSet("Docker manifest list without manifests", dockerListWith(root -> root.remove("manifests")), none(), "manifests array"),
                // Descriptors.
                argumentSet("layer that is not an object", ociImageWith(root -> root.withArray("layers").add("sha256:x")), none(), "descriptor object"),
                argumentSet("config digest in upper case", ociImageWith(root -> config(root).put("digest", upperCase(CONFIG))), none(), "invalid digest"),
                argumentSet("layer digest of the wrong length", ociImageWith(root -> layer(root, 0).put("digest", "sha256:abc")), none(), "invalid digest"),
                argumentSet("layer digest with an unknown algorithm", ociImageWith(root -> layer(root, 0).put("digest", "md5:d41d8cd98f00b204e9800998ecf8427e")),
                        none(), "invalid digest"),
                argumentSet("layer without digest", ociImageWith(root -> layer(root, 0).remove("digest")), none(), "lacks digest"),
                argumentSet("layer with a numeric digest", ociImageWith(root -> layer(root, 0).put("digest", 7)), none(), "digest must be a string"),
                argumentSet("layer without mediaType", ociImageWith(root -> layer(root, 0).remove("mediaType")), none(), "lacks mediaType"),
                argumentSet("layer with an invalid mediaType", ociImageWith(root -> layer(root, 0).put("mediaType", "tar")), none(), "invalid mediaType"),
                argumentSet("config without size", ociImageWith(root -> config(root).remove("size")), none(), "integer size"),
                argumentSet("layer with a negative size", ociImageWith(root -> layer(root, 0).put("size", -1)), none(), "negative"),
                argumentSet("layer with a string size", ociImageWith(root -> layer(root, 0).put("size", "64")), none(), "integer size"),
                argumentSet("layer with a fractional size", ociImageWith(root -> layer(root, 0).put("size", 1.5)), none(), "integer size"),
                argumentSet("layer with a size beyond int64", ociImageWith(root -> layer(root, 0).put("size", new java.math.BigInteger("99999999999999999999"))),
                        none(), "integer size"),
                argumentSet("index entry with a bad digest", ociIndexWith(root -> ((ObjectNode) root.withArray("manifests").get(0)).put("digest", "sha256:")),
                        none(), "invalid digest"),
                argumentSet("subject without digest", ociImageWith(root -> root.putObject("subject").put("mediaType", MediaTypes.OCI_MANIFEST).put("size", 2)),
                        none(), "subject lacks digest"),
                argumentSet("artifactType that is not a media type", ociImageWith(root -> root.put("artifactType", "sbom")), none(), "artifactType must be a media type"),
                argumentSet("artifactType that is not a string", ociImageWith(root -> root.put("artifactType", 1)), none(), "artifactType must be a string"),
                argumentSet("annotations that are not an object", ociImageWith(root -> root.putArray("annotations")), none(), "annotations must be an object"),
                argumentSet("annotation value that is not a string", ociImageWith(root -> root.putObject("annotations").put("count", 3)),
                        none(), "annotation count must be a string"));
    }

    @ParameterizedTest
    @MethodSource("refusedManifests")
    void refusesWithManifestInvalid(byte[] content, Optional<String> contentType, String messageFragment) {
        RegistryException error = thrownBy(() -> ManifestParser.parse(content, contentType));

        assertThat(error.code()).isEqualTo(ErrorCode.MANIFEST_INVALID);
        assertThat(error.httpStatus()).isEqualTo(400);
        assertThat(error.getMessage()).contains(messageFragment);
    }

    // --- test content ---------------------------------------------------------------------------

    private static byte[] ociImage() {
        return bytes(ManifestJson.ociImage(CONFIG, LAYER).root());
    }

    private static byte[] ociImageWith(Consumer<ObjectNode> change) {
        return changed(ManifestJson.ociImage(CONFIG, LAYER), change);
    }

    private static byte[] dockerImage() {
        return bytes(ManifestJson.dockerImage(CONFIG, LAYER).root());
    }

    private static byte[] dockerImageWith(Consumer<ObjectNode> change) {
        return changed(ManifestJson.dockerImage(CONFIG, LAYER), change);
    }

    private static byte[] ociIndex() {
        return ociIndexWith(root -> {
        });
    }

    private static byte[] ociIndexWith(Consumer<ObjectNode> change) {
        return changed(ManifestJson.index(MediaTypes.OCI_INDEX, MediaTypes.OCI_MANIFEST, CHILD), change);
    }

    private static byte[] dockerList() {
        return dockerListWith(root -> {
        });
    }

    private static byte[] dockerListWith(Consumer<ObjectNode> change) {
        return changed(ManifestJson.index(MediaTypes.DOCKER_MANIFEST_LIST, MediaTypes.DOCKER_MANIFEST, CHILD), change);
    }

    /** The minimal artifact of "Guidelines for Artifact Usage": empty config, empty layer, artifactType. */
    private static byte[] artifact() {
        return ociImageWith(root -> {
            root.put("artifactType", "application/vnd.example.sbom.v1");
            root.set("config", ManifestJson.descriptor(MediaTypes.OCI_EMPTY, EMPTY.digest(), EMPTY.size()));
            root.putArray("layers").add(ManifestJson.descriptor(MediaTypes.OCI_EMPTY, EMPTY.digest(), EMPTY.size()));
        });
    }

    /** Verbatim from the image spec's "Example Image Manifest". */
    private static byte[] specExampleManifest() {
        return utf8("""
                {
                  "schemaVersion": 2,
                  "mediaType": "application/vnd.oci.image.manifest.v1+json",
                  "config": {
                    "mediaType": "application/vnd.oci.image.config.v1+json",
                    "digest": "sha256:b5b2b2c507a0944348e0303114d8d93aaaa081732b86451d9bce1f432a537bc7",
                    "size": 7023
                  },
                  "layers": [
                    {
                      "mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
                      "digest": "sha256:9834876dcfb05cb167a5c24953eba58c4ac89b1adf57f28f2f9d09af107ee8f0",
                      "size": 32654
                    },
                    {
                      "mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
                      "digest": "sha256:3c3a4604a545cdc127456d94e421cd355bca5b528f4a9c1905b15da2eb4a4c6b",
                      "size": 16724
                    },
                    {
                      "mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
                      "digest": "sha256:ec4b8955958665577945c89419d1af06b5f7636b4ac3da7f12184802ad867736",
                      "size": 73109
                    }
                  ],
                  "subject": {
                    "mediaType": "application/vnd.oci.image.manifest.v1+json",
                    "digest": "sha256:5b0bcabd1ed22e9fb1310cf6c2dec7cdef19f0ad69efa1f392e94a4333501270",
                    "size": 7682
                  },
                  "annotations": {
                    "com.example.key1": "value1",
                    "com.example.key2": "value2"
                  }
                }
                """);
    }

    private static byte[] changed(ManifestJson manifest, Consumer<ObjectNode> change) {
        ObjectNode root = manifest.root();
        change.accept(root);
        return bytes(root);
    }

    private static ObjectNode config(ObjectNode root) {
        return (ObjectNode) root.get("config");
    }

    private static ObjectNode layer(ObjectNode root, int index) {
        return (ObjectNode) root.get("layers").get(index);
    }

    private static String upperCase(TestBlob blob) {
        return "sha256:" + blob.digest().encoded().toUpperCase();
    }

    private static Optional<String> type(String contentType) {
        return Optional.of(contentType);
    }

    private static Optional<String> none() {
        return Optional.empty();
    }

    private static byte[] bytes(ObjectNode root) {
        try {
            return JSON.writeValueAsBytes(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
