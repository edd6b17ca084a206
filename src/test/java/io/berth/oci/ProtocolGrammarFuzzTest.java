package io.berth.oci;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Fuzzes the parsers of the protocol's small grammars: digests, references, repository names, tags,
 * an upload chunk's {@code Content-Range}, and a blob {@code Range} request. Properties: the only
 * failure is the documented {@link RegistryException} with its code (so a client gets a 4xx, never a
 * 500), and whatever is accepted is exactly the spec's grammar and prints back as it was read.
 *
 * <p>Inputs are bytes read as UTF-8, so that each seed under {@code ProtocolGrammarFuzzTestInputs/}
 * is a plain text file.
 */
class ProtocolGrammarFuzzTest {
    private static final Pattern REPOSITORY_NAME = Pattern.compile(RepositoryName.PATTERN);
    private static final Pattern TAG = Pattern.compile(Tag.PATTERN);
    private static final Pattern DIGEST = Pattern.compile("(sha256:[0-9a-f]{64}|sha512:[0-9a-f]{128})");

    @FuzzTest(maxDuration = "2m")
    void digests(byte @NotNull [] input) {
        String text = text(input);
        try {
            Digest digest = Digest.parse(text);
            assertThat(digest.toString()).isEqualTo(text);
            assertThat(DIGEST.matcher(text).matches()).isTrue();
        } catch (RegistryException refused) {
            assertThat(refused.code()).isEqualTo(ErrorCode.DIGEST_INVALID);
            assertThat(DIGEST.matcher(text).matches()).isFalse();
        }
    }

    @FuzzTest(maxDuration = "2m")
    void references(byte @NotNull [] input) {
        String text = text(input);
        try {
            Reference reference = Reference.parse(text);
            assertThat(reference.toString()).isEqualTo(text);
            assertThat(DIGEST.matcher(text).matches() || TAG.matcher(text).matches()).isTrue();
        } catch (RegistryException refused) {
            assertThat(refused.code()).isIn(ErrorCode.DIGEST_INVALID, ErrorCode.MANIFEST_INVALID);
            assertThat(DIGEST.matcher(text).matches() || TAG.matcher(text).matches()).isFalse();
        }
    }

    @FuzzTest(maxDuration = "2m")
    void repositoryNames(byte @NotNull [] input) {
        String text = text(input);
        boolean valid = text.length() <= Limits.MAX_REPOSITORY_NAME_LENGTH && REPOSITORY_NAME.matcher(text).matches();
        try {
            assertThat(RepositoryName.parse(text).toString()).isEqualTo(text);
            assertThat(valid).as("accepted %s", text).isTrue();
        } catch (RegistryException refused) {
            assertThat(refused.code()).isEqualTo(ErrorCode.NAME_INVALID);
            assertThat(valid).as("refused %s", text).isFalse();
        }
    }

    @FuzzTest(maxDuration = "2m")
    void tags(byte @NotNull [] input) {
        String text = text(input);
        boolean valid = TAG.matcher(text).matches();
        try {
            assertThat(Tag.parse(text).toString()).isEqualTo(text);
            assertThat(valid).as("accepted %s", text).isTrue();
        } catch (RegistryException refused) {
            assertThat(refused.code()).isEqualTo(ErrorCode.MANIFEST_INVALID);
            assertThat(valid).as("refused %s", text).isFalse();
        }
    }

    @FuzzTest(maxDuration = "2m")
    void contentRanges(byte @NotNull [] input) {
        String text = text(input);
        try {
            ByteRange range = ByteRange.parseContentRange(text);
            assertThat(range.first()).isNotNegative();
            assertThat(range.last()).isGreaterThanOrEqualTo(range.first());
            assertThat(range.length()).isPositive();
        } catch (RegistryException refused) {
            assertThat(refused.code()).isEqualTo(ErrorCode.BLOB_UPLOAD_INVALID);
            assertThat(refused.httpStatus()).isEqualTo(416);
        }
    }

    /** The first line is the blob's size (digits, or the input's length when not a number), the rest the header. */
    @FuzzTest(maxDuration = "2m")
    void rangeRequests(byte @NotNull [] input) {
        String text = text(input);
        int newline = text.indexOf('\n');
        long size = input.length;
        String header = text;
        if (newline >= 0) {
            header = text.substring(newline + 1);
            try {
                size = Math.abs(Long.parseLong(text.substring(0, newline)) % Long.MAX_VALUE);
            } catch (NumberFormatException notANumber) {
                size = newline;
            }
        }
        RangeRequest.Resolution resolution = RangeRequest.resolve(Optional.of(header), size);
        if (resolution instanceof RangeRequest.Partial(ByteRange range)) {
            assertThat(range.first()).isNotNegative();
            assertThat(range.last()).isLessThan(size).isGreaterThanOrEqualTo(range.first());
        }
    }

    private static String text(byte[] input) {
        return new String(input, StandardCharsets.UTF_8);
    }
}
