package io.berth.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * "The registry SHOULD ignore parameters on the Content-Type header" (distribution spec, "Pushing
 * Manifests"); media types compare case-insensitively (RFC 9110 section 8.3.1).
 */
class MediaTypesTest {

    static Stream<Arguments> contentTypes() {
        return Stream.of(
                argumentSet("bare type", MediaTypes.OCI_MANIFEST, MediaTypes.OCI_MANIFEST),
                argumentSet("charset parameter", "application/json; charset=utf-8", "application/json"),
                argumentSet("parameter without space", "application/json;charset=utf-8", "application/json"),
                argumentSet("several parameters", "text/plain; a=1; b=2", "text/plain"),
                argumentSet("upper case", "Application/VND.OCI.Image.Manifest.v1+JSON", MediaTypes.OCI_MANIFEST),
                argumentSet("surrounding whitespace", "  application/octet-stream  ", "application/octet-stream"),
                argumentSet("whitespace before parameters", "application/json   ;q=1", "application/json"),
                argumentSet("empty", "", ""),
                argumentSet("parameters only", ";charset=utf-8", ""));
    }

    @ParameterizedTest
    @MethodSource("contentTypes")
    void essenceDropsParametersAndLowercases(String contentType, String essence) {
        assertThat(MediaTypes.essence(contentType)).isEqualTo(essence);
    }

    @Test
    void manifestTypesAreTheFourStoredFormats() {
        assertThat(MediaTypes.MANIFESTS).containsExactlyInAnyOrder(
                "application/vnd.oci.image.manifest.v1+json",
                "application/vnd.oci.image.index.v1+json",
                "application/vnd.docker.distribution.manifest.v2+json",
                "application/vnd.docker.distribution.manifest.list.v2+json");
        assertThat(MediaTypes.MANIFESTS).doesNotContain(MediaTypes.DOCKER_SCHEMA1, MediaTypes.DOCKER_SCHEMA1_SIGNED);
    }

    @Test
    void everyManifestKindCarriesItsMediaType() {
        for (ManifestKind kind : ManifestKind.values()) {
            assertThat(ManifestKind.fromMediaType(kind.mediaType())).contains(kind);
        }
        assertThat(ManifestKind.fromMediaType(MediaTypes.DOCKER_SCHEMA1)).isEmpty();
    }
}
