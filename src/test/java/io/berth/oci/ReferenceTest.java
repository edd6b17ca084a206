package io.berth.oci;

import static io.berth.testing.RegistryErrors.thrownBy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A manifest {@code <reference>} "MUST be either (a) the digest of the manifest or (b) a tag" and
 * "MUST NOT be in any other format" (distribution spec, "Pulling manifests"). A colon can only
 * appear in a digest, so it decides which grammar applies.
 */
class ReferenceTest {
    private static final String HEX = "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a";

    static Stream<Arguments> references() {
        return Stream.of(
                argumentSet("tag", "latest", new Tag("latest")),
                argumentSet("tag that looks like hex", HEX, new Tag(HEX)),
                argumentSet("referrers-schema tag", "sha256-" + HEX, new Tag("sha256-" + HEX)),
                argumentSet("sha256 digest", "sha256:" + HEX, new Digest(DigestAlgorithm.SHA256, HEX)));
    }

    @ParameterizedTest
    @MethodSource("references")
    void parsesADigestWhenThereIsAColonElseATag(String text, Reference expected) {
        assertThat(Reference.parse(text)).isEqualTo(expected);
    }

    static Stream<Arguments> invalidReferences() {
        return Stream.of(
                argumentSet("malformed digest", "sha256:abc", ErrorCode.DIGEST_INVALID),
                argumentSet("unknown digest algorithm", "md5:d41d8cd98f00b204e9800998ecf8427e", ErrorCode.DIGEST_INVALID),
                argumentSet("tag with a colon", "v1:2", ErrorCode.DIGEST_INVALID),
                argumentSet("empty", "", ErrorCode.MANIFEST_INVALID),
                argumentSet("tag with a leading period", ".x", ErrorCode.MANIFEST_INVALID),
                argumentSet("tag of 129 characters", "a".repeat(129), ErrorCode.MANIFEST_INVALID));
    }

    @ParameterizedTest
    @MethodSource("invalidReferences")
    void refusesAnyOtherFormat(String text, ErrorCode expected) {
        assertThat(thrownBy(() -> Reference.parse(text)).code()).isEqualTo(expected);
    }
}
