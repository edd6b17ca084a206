package io.berth.oci;

import static io.berth.testing.RegistryErrors.thrownBy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Digests follow the image spec's grammar ("Digests": {@code algorithm ":" encoded}) narrowed to the
 * registered algorithms, whose encoded part is lowercase hex of a fixed length ("SHA-256":
 * {@code /[a-f0-9]{64}/}, "SHA-512": {@code /[a-f0-9]{128}/}, "[A-F] MUST NOT be used").
 */
class DigestTest {
    /** The sha256 of no bytes at all. */
    private static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    /** The sha512 of no bytes at all. */
    private static final String EMPTY_SHA512 = "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce"
            + "47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e";

    static Stream<Arguments> validDigests() {
        return Stream.of(
                argumentSet("sha256, 64 lowercase hex", "sha256:" + EMPTY_SHA256, DigestAlgorithm.SHA256, EMPTY_SHA256),
                argumentSet("sha256, all digits", "sha256:" + "0".repeat(64), DigestAlgorithm.SHA256, "0".repeat(64)),
                argumentSet("sha512, 128 lowercase hex", "sha512:" + EMPTY_SHA512, DigestAlgorithm.SHA512, EMPTY_SHA512));
    }

    @ParameterizedTest
    @MethodSource("validDigests")
    void parsesRegisteredAlgorithmsWithLowercaseHex(String text, DigestAlgorithm algorithm, String encoded) {
        Digest digest = Digest.parse(text);

        assertThat(digest.algorithm()).isEqualTo(algorithm);
        assertThat(digest.encoded()).isEqualTo(encoded);
        assertThat(digest).hasToString(text);
    }

    static Stream<Arguments> invalidDigests() {
        return Stream.of(
                argumentSet("uppercase hex ([A-F] MUST NOT be used)", "sha256:" + EMPTY_SHA256.toUpperCase()),
                argumentSet("one uppercase hex digit", "sha256:E" + EMPTY_SHA256.substring(1)),
                argumentSet("sha256 with 63 hex", "sha256:" + EMPTY_SHA256.substring(1)),
                argumentSet("sha256 with 65 hex", "sha256:" + EMPTY_SHA256 + "0"),
                argumentSet("sha256 with a sha512's 128 hex", "sha256:" + EMPTY_SHA512),
                argumentSet("sha512 with a sha256's 64 hex", "sha512:" + EMPTY_SHA256),
                argumentSet("non-hex letter in sha256", "sha256:g" + EMPTY_SHA256.substring(1)),
                argumentSet("unknown algorithm md5", "md5:d41d8cd98f00b204e9800998ecf8427e"),
                argumentSet("unregistered sha384", "sha384:" + "a".repeat(96)),
                argumentSet("unregistered multihash+base58 (grammatical)", "multihash+base58:QmRZxt2b1FVZPNqd8hsiykDL3TdBDeTSPX9Kv46HmX4Gx8"),
                argumentSet("uppercase algorithm", "SHA256:" + EMPTY_SHA256),
                argumentSet("missing colon", "sha256" + EMPTY_SHA256),
                argumentSet("bare hex", EMPTY_SHA256),
                argumentSet("empty string", ""),
                argumentSet("algorithm only", "sha256:"),
                argumentSet("encoded only", ":" + EMPTY_SHA256),
                argumentSet("two colons", "sha256:" + EMPTY_SHA256 + ":x"),
                argumentSet("space after colon", "sha256: " + EMPTY_SHA256),
                argumentSet("leading whitespace", " sha256:" + EMPTY_SHA256),
                argumentSet("trailing newline", "sha256:" + EMPTY_SHA256 + "\n"),
                argumentSet("path traversal", "sha256:../../etc/passwd"),
                argumentSet("garbage", "not a digest"),
                argumentSet("over 200 characters", "sha256:" + "a".repeat(250)));
    }

    @ParameterizedTest
    @MethodSource("invalidDigests")
    void refusesAnythingElseWithDigestInvalid(String text) {
        RegistryException error = thrownBy(() -> Digest.parse(text));

        assertThat(error.code()).isEqualTo(ErrorCode.DIGEST_INVALID);
        assertThat(error.httpStatus()).isEqualTo(400);
    }

    @Test
    void refusesNullWithDigestInvalid() {
        assertThat(thrownBy(() -> Digest.parse(null)).code()).isEqualTo(ErrorCode.DIGEST_INVALID);
    }

    @Test
    void constructorEnforcesTheAlgorithmsEncodedLength() {
        assertThat(thrownBy(() -> new Digest(DigestAlgorithm.SHA512, EMPTY_SHA256)).code())
                .isEqualTo(ErrorCode.DIGEST_INVALID);
    }

    @Test
    void digestOfBytesIsTheLowercaseHexHashUnderTheAlgorithm() {
        byte[] nothing = new byte[0];

        assertThat(Digest.of(DigestAlgorithm.SHA256, nothing)).hasToString("sha256:" + EMPTY_SHA256);
        assertThat(Digest.of(DigestAlgorithm.SHA512, nothing)).hasToString("sha512:" + EMPTY_SHA512);
        assertThat(Digest.of(DigestAlgorithm.SHA256, "{}".getBytes(StandardCharsets.UTF_8)))
                .as("the empty descriptor's digest, from the image spec's 'Guidance for an Empty Descriptor'")
                .isEqualTo(Digest.parse("sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"));
    }

    @Test
    void equalDigestsAreEqualValues() {
        assertThat(Digest.parse("sha256:" + EMPTY_SHA256)).isEqualTo(new Digest(DigestAlgorithm.SHA256, EMPTY_SHA256));
    }
}
