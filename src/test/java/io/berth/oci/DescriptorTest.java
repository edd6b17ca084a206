package io.berth.oci;

import static io.berth.testing.RegistryErrors.thrownBy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Content descriptors (image spec, "Content Descriptors", "Properties"): {@code mediaType} "MUST comply
 * with RFC 6838, including the naming requirements in its section 4.2", and {@code size} is the
 * content's byte count, so never negative.
 */
class DescriptorTest {
    private static final Digest DIGEST = Digest.of(DigestAlgorithm.SHA256, new byte[]{1, 2, 3});

    static Stream<Arguments> validMediaTypes() {
        return Stream.of(
                argumentSet("OCI manifest", MediaTypes.OCI_MANIFEST),
                argumentSet("OCI layer with +zstd", "application/vnd.oci.image.layer.v1.tar+zstd"),
                argumentSet("empty descriptor type", MediaTypes.OCI_EMPTY),
                argumentSet("plain", "text/plain"),
                argumentSet("shortest", "a/b"),
                argumentSet("every allowed punctuation", "application/x!#$&^_.+-y"),
                argumentSet("127-character subtype", "application/" + "a".repeat(127)));
    }

    @ParameterizedTest
    @MethodSource("validMediaTypes")
    void acceptsRfc6838MediaTypes(String mediaType) {
        assertThat(Descriptor.isValidMediaType(mediaType)).isTrue();
        assertThat(Descriptor.of(mediaType, DIGEST, 3).mediaType()).isEqualTo(mediaType);
    }

    static Stream<Arguments> invalidMediaTypes() {
        return Stream.of(
                argumentSet("empty", ""),
                argumentSet("no subtype", "application"),
                argumentSet("empty subtype", "application/"),
                argumentSet("empty type", "/json"),
                argumentSet("three parts", "application/vnd/json"),
                argumentSet("parameters", "application/json; charset=utf-8"),
                argumentSet("space", "application/vnd oci"),
                argumentSet("subtype starting with a period", "application/.json"),
                argumentSet("wildcard", "application/*"),
                argumentSet("128-character subtype", "application/" + "a".repeat(128)));
    }

    @ParameterizedTest
    @MethodSource("invalidMediaTypes")
    void refusesOtherMediaTypesWithManifestInvalid(String mediaType) {
        assertThat(Descriptor.isValidMediaType(mediaType)).isFalse();
        assertThat(thrownBy(() -> Descriptor.of(mediaType, DIGEST, 3)).code()).isEqualTo(ErrorCode.MANIFEST_INVALID);
    }

    @Test
    void refusesAMissingMediaType() {
        assertThat(Descriptor.isValidMediaType(null)).isFalse();
        assertThat(thrownBy(() -> Descriptor.of(null, DIGEST, 3)).code()).isEqualTo(ErrorCode.MANIFEST_INVALID);
    }

    @Test
    void refusesANegativeSize() {
        assertThat(thrownBy(() -> Descriptor.of("text/plain", DIGEST, -1)).code()).isEqualTo(ErrorCode.MANIFEST_INVALID);
    }

    @Test
    void acceptsZeroSize() {
        assertThat(Descriptor.of("text/plain", DIGEST, 0).size()).isZero();
    }

    @Test
    void keepsImmutableCopiesOfAnnotationsAndUrls() {
        Map<String, String> annotations = new HashMap<>(Map.of("a", "1"));
        List<String> urls = new ArrayList<>(List.of("https://example.com/layer"));
        Descriptor descriptor = new Descriptor("text/plain", DIGEST, 3, Optional.empty(), annotations, urls);

        annotations.put("b", "2");
        urls.clear();

        assertThat(descriptor.annotations()).containsExactly(Map.entry("a", "1"));
        assertThat(descriptor.urls()).containsExactly("https://example.com/layer");
        assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(() -> descriptor.urls().add("x"));
    }

    static Stream<Arguments> distributability() {
        String foreign = "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip";
        String nondistributable = "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip";
        String regular = "application/vnd.oci.image.layer.v1.tar+gzip";
        List<String> urls = List.of("https://example.com/layer");
        return Stream.of(
                argumentSet("Docker foreign layer with urls", foreign, urls, true),
                argumentSet("OCI non-distributable layer with urls", nondistributable, urls, true),
                argumentSet("OCI non-distributable layer without urls", nondistributable, List.of(), false),
                argumentSet("Docker foreign layer without urls", foreign, List.of(), false),
                argumentSet("regular layer with urls", regular, urls, false),
                argumentSet("regular layer", regular, List.of(), false));
    }

    /** Image spec "Image Layer Filesystem Changeset", non-distributable layers; Docker's foreign layers "should never be pushed". */
    @ParameterizedTest
    @MethodSource("distributability")
    void isNonDistributableOnlyForForeignLayerTypesThatCarryUrls(String mediaType, List<String> urls, boolean expected) {
        Descriptor layer = new Descriptor(mediaType, DIGEST, 3, Optional.empty(), Map.of(), urls);

        assertThat(layer.isNonDistributable()).isEqualTo(expected);
    }
}
