package io.berth.oci;

import static io.berth.testing.RegistryErrors.thrownBy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import io.berth.testing.TestBlob;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Manifests that Go clients (podman, skopeo, containerd, docker: Go's {@code encoding/json}) would
 * read differently from Berth, or could not read at all, are refused with {@code MANIFEST_INVALID};
 * the forms they read the same way are accepted. Go matches object keys to struct fields
 * case-insensitively with the last duplicate winning, replaces invalid UTF-8 and lone surrogates with
 * U+FFFD, refuses a byte-order mark, and decodes {@code size} with {@code strconv.ParseInt}.
 */
class ManifestParserClientAgreementTest {
    private static final TestBlob CONFIG = TestBlob.of("{\"architecture\":\"amd64\"}");
    private static final TestBlob LAYER = TestBlob.random(64, 1);
    private static final TestBlob OTHER_LAYER = TestBlob.random(32, 2);
    private static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
    private static final String OCI_LAYER = "application/vnd.oci.image.layer.v1.tar+gzip";

    // --- refused ---------------------------------------------------------------------------------

    static Stream<Arguments> refused() {
        String layer = descriptor(LAYER);
        String other = descriptor(OTHER_LAYER);
        return Stream.of(
                // Keys Go matches to one struct field.
                argumentSet("layers, then Layers (Go reads the second, Berth checked the first)",
                        manifest("\"layers\":[" + layer + "],\"Layers\":[" + other + "]"), "collide"),
                argumentSet("Layers alone (Go reads it as layers, a case-sensitive reader does not)",
                        manifest("\"Layers\":[" + layer + "]"), "must be spelled \"layers\""),
                argumentSet("layers twice", manifest("\"layers\":[" + layer + "],\"layers\":[" + other + "]"), "Duplicate"),
                argumentSet("LAYERS, then layers", manifest("\"LAYERS\":[" + other + "],\"layers\":[" + layer + "]"), "must be spelled \"layers\""),
                argumentSet("layerſ with U+017F, which Go folds to s",
                        manifest("\"layers\":[" + layer + "],\"layer\u017f\":[" + other + "]"), "collide"),
                argumentSet("schemaVersion and SchemaVersion", utf8("{\"schemaVersion\":2,\"SchemaVersion\":1,\"mediaType\":\""
                        + MediaTypes.OCI_MANIFEST + "\",\"config\":" + descriptor(CONFIG, OCI_CONFIG) + ",\"layers\":[]}"), "collide"),
                argumentSet("mediaType and MediaType at the top", utf8("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST
                        + "\",\"MediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"config\":" + descriptor(CONFIG, OCI_CONFIG)
                        + ",\"layers\":[]}"), "collide"),
                argumentSet("digest and Digest in a layer", manifest("\"layers\":[{\"mediaType\":\"" + OCI_LAYER
                        + "\",\"digest\":\"" + LAYER.digest() + "\",\"Digest\":\"" + OTHER_LAYER.digest() + "\",\"size\":64}]"), "collide"),
                argumentSet("size and SIZE in a layer", manifest("\"layers\":[{\"mediaType\":\"" + OCI_LAYER
                        + "\",\"digest\":\"" + LAYER.digest() + "\",\"size\":64,\"SIZE\":1}]"), "collide"),
                argumentSet("ſize with U+017F in a layer", manifest("\"layers\":[{\"mediaType\":\"" + OCI_LAYER
                        + "\",\"digest\":\"" + LAYER.digest() + "\",\"\u017fize\":64}]"), "must be spelled \"size\""),
                argumentSet("os and OS in an index entry's platform", index("\"platform\":{\"architecture\":\"amd64\",\"os\":\"linux\",\"OS\":\"windows\"}"),
                        "collide"),
                argumentSet("the same annotation key twice", manifest("\"layers\":[" + layer + "],\"annotations\":{\"a\":\"1\",\"a\":\"2\"}"),
                        "Duplicate"),
                argumentSet("an unknown key twice", manifest("\"layers\":[" + layer + "],\"x\":{\"k\":1,\"k\":2}"), "Duplicate"),
                // Encoding.
                argumentSet("a UTF-8 byte-order mark", concat(new byte[]{(byte) 0xEF, (byte) 0xBB, (byte) 0xBF},
                        manifest("\"layers\":[" + layer + "]")), "byte-order mark"),
                argumentSet("UTF-16 (Jackson would detect it, Go cannot read it)",
                        text(manifest("\"layers\":[" + layer + "]")).getBytes(StandardCharsets.UTF_16LE), "NUL"),
                argumentSet("UTF-16 with its byte-order mark",
                        text(manifest("\"layers\":[" + layer + "]")).getBytes(StandardCharsets.UTF_16), "NUL"),
                argumentSet("an invalid UTF-8 byte in an annotation", withAnnotationBytes(new byte[]{(byte) 0xFF}), "UTF-8"),
                argumentSet("an overlong UTF-8 form of '/'", withAnnotationBytes(new byte[]{(byte) 0xC0, (byte) 0xAF}), "UTF-8"),
                argumentSet("a UTF-8-encoded surrogate", withAnnotationBytes(new byte[]{(byte) 0xED, (byte) 0xA0, (byte) 0x80}), "UTF-8"),
                argumentSet("a truncated UTF-8 sequence", withAnnotationBytes(new byte[]{(byte) 0xE2, (byte) 0x82}), "UTF-8"),
                argumentSet("a lone high surrogate escape in an annotation",
                        manifest("\"layers\":[" + layer + "],\"annotations\":{\"a\":\"x\\ud800\"}"), "surrogate"),
                argumentSet("a lone low surrogate escape in a key",
                        manifest("\"layers\":[" + layer + "],\"annotations\":{\"\\udc00\":\"x\"}"), "surrogate"),
                argumentSet("a reversed surrogate pair in an unknown field",
                        manifest("\"layers\":[" + layer + "],\"x\":\"\\ude00\\ud83d\""), "surrogate"),
                // Sizes Go's strconv.ParseInt refuses, and a negative one.
                argumentSet("size 1.0", withLayerSize("64.0"), "integer size"),
                argumentSet("size 1e3", withLayerSize("6.4e1"), "integer size"),
                argumentSet("size 64E0", withLayerSize("64E0"), "integer size"),
                argumentSet("size 2^63", withLayerSize("9223372036854775808"), "integer size"),
                argumentSet("size -1", withLayerSize("-1"), "negative"),
                argumentSet("size null (Go reads 0)", withLayerSize("null"), "integer size"),
                argumentSet("schemaVersion 2.0", utf8("{\"schemaVersion\":2.0,\"config\":" + descriptor(CONFIG, OCI_CONFIG)
                        + ",\"layers\":[]}"), "schemaVersion must be 2"),
                // Types Go cannot decode into the field.
                argumentSet("a number among urls", manifest("\"layers\":[{\"mediaType\":\"" + OCI_LAYER + "\",\"digest\":\""
                        + LAYER.digest() + "\",\"size\":64,\"urls\":[\"https://example.com/l\",7]}]"), "urls must be an array of strings"),
                argumentSet("urls that are a string", manifest("\"layers\":[{\"mediaType\":\"" + OCI_LAYER + "\",\"digest\":\""
                        + LAYER.digest() + "\",\"size\":64,\"urls\":\"https://example.com/l\"}]"), "urls must be an array of strings"),
                argumentSet("a numeric platform architecture", index("\"platform\":{\"architecture\":64,\"os\":\"linux\"}"),
                        "platform architecture must be a string"),
                argumentSet("platform os.features that are not strings", index("\"platform\":{\"os\":\"linux\",\"os.features\":[true]}"),
                        "platform os.features must be an array of strings"),
                argumentSet("a platform that is a string", index("\"platform\":\"linux/amd64\""), "platform must be an object"),
                argumentSet("data that is not base64", withLayerField("\"data\":\"not base64!\""), "not base64"),
                argumentSet("data without padding", withLayerField("\"data\":\""
                        + Base64.getEncoder().withoutPadding().encodeToString(LAYER.content()) + "\""), "base64"),
                argumentSet("data that does not match the digest", withLayerField("\"data\":\""
                        + Base64.getEncoder().encodeToString(OTHER_LAYER.content()) + "\""), "does not match"),
                argumentSet("data that is a number", withLayerField("\"data\":5"), "data must be a string"),
                argumentSet("a number beyond float64 in an unknown field", manifest("\"layers\":[" + layer + "],\"x\":1e400"), "out of range"),
                // JSON itself.
                argumentSet("a comment", manifest("\"layers\":[" + layer + "]/* c */"), "malformed JSON"),
                argumentSet("a trailing comma", manifest("\"layers\":[" + layer + "],"), "malformed JSON"),
                argumentSet("single quotes", manifest("\"layers\":[" + layer + "],'x':1"), "malformed JSON"),
                argumentSet("NaN", manifest("\"layers\":[" + layer + "],\"x\":NaN"), "malformed JSON"),
                argumentSet("a leading zero", manifest("\"layers\":[" + layer + "],\"x\":01"), "malformed JSON"),
                argumentSet("a raw tab inside a string", manifest("\"layers\":[" + layer + "],\"x\":\"a\tb\""), "malformed JSON"),
                argumentSet("a form feed as whitespace", manifest("\"layers\":\f[" + layer + "]"), "malformed JSON"),
                argumentSet("a NUL byte after the document", concat(manifest("\"layers\":[" + layer + "]"), new byte[]{0}), "NUL"),
                argumentSet("a second value after the document", concat(manifest("\"layers\":[" + layer + "]"), utf8("0")),
                        "after the document"),
                argumentSet("a closing bracket after the document", concat(manifest("\"layers\":[" + layer + "]"), utf8("]")),
                        "malformed JSON"),
                argumentSet("a truncated document", utf8(text(manifest("\"layers\":[" + layer + "]")).replaceAll("}$", "")),
                        "malformed JSON"));
    }

    @ParameterizedTest
    @MethodSource("refused")
    void refusesWhatGoClientsReadDifferently(byte[] content, String messageFragment) {
        RegistryException error = thrownBy(() -> ManifestParser.parse(content, Optional.empty()));

        assertThat(error.code()).isEqualTo(ErrorCode.MANIFEST_INVALID);
        assertThat(error.httpStatus()).isEqualTo(400);
        assertThat(error.getMessage()).contains(messageFragment);
    }

    // --- accepted --------------------------------------------------------------------------------

    @Test
    void annotationKeysThatDifferOnlyInCaseAreDistinctToGoAndAccepted() {
        Manifest manifest = ManifestParser.parse(manifest("\"layers\":[" + descriptor(LAYER)
                + "],\"annotations\":{\"com.example.Key\":\"1\",\"com.example.key\":\"2\"}"), Optional.empty());

        assertThat(manifest.annotations()).containsEntry("com.example.Key", "1").containsEntry("com.example.key", "2");
    }

    @Test
    void escapedKeysAreReadAsTheFieldTheySpellAsGoReadsThem() {
        Manifest manifest = ManifestParser.parse(manifest("\"l\\u0061yers\":[" + descriptor(LAYER) + "]"), Optional.empty());

        assertThat(manifest.layers()).extracting(Descriptor::digest).containsExactly(LAYER.digest());
    }

    @Test
    void pairedSurrogatesAndMultibyteTextAreAccepted() {
        Manifest manifest = ManifestParser.parse(manifest("\"layers\":[" + descriptor(LAYER)
                + "],\"annotations\":{\"emoji\":\"\\ud83d\\ude00 \uD83D\uDE00 é\"}"), Optional.empty());

        assertThat(manifest.annotations()).containsEntry("emoji", "\uD83D\uDE00 \uD83D\uDE00 é");
    }

    @Test
    void embeddedDataThatMatchesItsDescriptorIsAccepted() {
        String encoded = Base64.getEncoder().encodeToString(LAYER.content());
        String wrapped = encoded.substring(0, 20) + "\\n" + encoded.substring(20);

        Manifest manifest = ManifestParser.parse(withLayerField("\"data\":\"" + wrapped + "\""), Optional.empty());

        assertThat(manifest.layers()).hasSize(1);
    }

    @Test
    void indexPlatformsAndUnknownFieldsOfAnyShapeAreAccepted() {
        Manifest manifest = ManifestParser.parse(index("\"platform\":{\"architecture\":\"arm64\",\"os\":\"linux\","
                + "\"variant\":\"v8\",\"os.version\":null,\"os.features\":[\"a\"],\"features\":null,\"x\":[1,{\"y\":2.5}]}"),
                Optional.of(MediaTypes.OCI_INDEX));

        assertThat(manifest.manifests()).extracting(Descriptor::digest).containsExactly(LAYER.digest());
    }

    @Test
    void minusZeroIsTheSizeZeroForGoAsForBerth() {
        Manifest manifest = ManifestParser.parse(manifest("\"layers\":[{\"mediaType\":\"" + OCI_LAYER + "\",\"digest\":\""
                + LAYER.digest() + "\",\"size\":-0}]"), Optional.empty());

        assertThat(manifest.layers().getFirst().size()).isZero();
    }

    // --- content ---------------------------------------------------------------------------------

    /** An OCI image manifest over {@link #CONFIG} whose remaining top-level members are {@code members}. */
    private static byte[] manifest(String members) {
        return utf8("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":"
                + descriptor(CONFIG, OCI_CONFIG) + "," + members + "}");
    }

    /** An OCI index with one entry, {@link #LAYER} as a manifest, carrying {@code members} too. */
    private static byte[] index(String members) {
        return utf8("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":[{\"mediaType\":\""
                + MediaTypes.OCI_MANIFEST + "\",\"digest\":\"" + LAYER.digest() + "\",\"size\":" + LAYER.size() + ","
                + members + "}]}");
    }

    private static byte[] withLayerSize(String size) {
        return manifest("\"layers\":[{\"mediaType\":\"" + OCI_LAYER + "\",\"digest\":\"" + LAYER.digest() + "\",\"size\":" + size + "}]");
    }

    private static byte[] withLayerField(String member) {
        return manifest("\"layers\":[{\"mediaType\":\"" + OCI_LAYER + "\",\"digest\":\"" + LAYER.digest() + "\",\"size\":"
                + LAYER.size() + "," + member + "}]");
    }

    private static byte[] withAnnotationBytes(byte[] raw) {
        return concat(manifest("\"layers\":[" + descriptor(LAYER) + "],\"annotations\":{\"a\":\"x"),
                concat(raw, utf8("\"}}")), true);
    }

    private static String descriptor(TestBlob blob) {
        return descriptor(blob, OCI_LAYER);
    }

    private static String descriptor(TestBlob blob, String mediaType) {
        return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + blob.digest() + "\",\"size\":" + blob.size() + "}";
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] both = new byte[first.length + second.length];
        System.arraycopy(first, 0, both, 0, first.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }

    /** {@code first} without its closing brace, then {@code second}. */
    private static byte[] concat(byte[] first, byte[] second, boolean dropClosingBrace) {
        return concat(java.util.Arrays.copyOf(first, first.length - (dropClosingBrace ? 1 : 0)), second);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
