package io.berth.oci;

import static io.berth.testing.RegistryErrors.thrownBy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An upload chunk's {@code Content-Range} is "the byte range of the chunk, and MUST be inclusive on
 * both ends", matching {@code ^[0-9]+-[0-9]+$} (distribution spec, "Pushing a blob in chunks"). The
 * RFC 9110 form {@code bytes first-last/total} that some clients send is accepted too.
 */
class ByteRangeTest {

    static Stream<Arguments> contentRanges() {
        return Stream.of(
                argumentSet("spec form", "0-1023", 0L, 1023L),
                argumentSet("spec form, later chunk", "1024-2047", 1024L, 2047L),
                argumentSet("single byte", "5-5", 5L, 5L),
                argumentSet("RFC 9110 form with total", "bytes 0-1023/4096", 0L, 1023L),
                argumentSet("RFC 9110 form with unknown total", "bytes 1024-2047/*", 1024L, 2047L),
                argumentSet("bytes= prefix", "bytes=0-99", 0L, 99L),
                argumentSet("surrounding whitespace", "  0-9 ", 0L, 9L),
                argumentSet("18-digit bounds", "0-999999999999999999", 0L, 999_999_999_999_999_999L));
    }

    @ParameterizedTest
    @MethodSource("contentRanges")
    void parsesInclusiveRanges(String header, long first, long last) {
        assertThat(ByteRange.parseContentRange(header)).isEqualTo(new ByteRange(first, last));
    }

    static Stream<Arguments> invalidContentRanges() {
        return Stream.of(
                argumentSet("reversed", "100-99"),
                argumentSet("reversed with bytes prefix", "bytes 10-0/20"),
                argumentSet("empty", ""),
                argumentSet("no end", "0-"),
                argumentSet("no start", "-99"),
                argumentSet("negative start", "-1-5"),
                argumentSet("no hyphen", "1024"),
                argumentSet("letters", "a-b"),
                argumentSet("two ranges", "0-1,2-3"),
                argumentSet("unknown unit", "items 0-1"),
                argumentSet("19-digit bound (beyond a long)", "0-9999999999999999999"),
                argumentSet("garbage", "whatever"));
    }

    @ParameterizedTest
    @MethodSource("invalidContentRanges")
    void refusesMalformedOrReversedRangesWith416(String header) {
        RegistryException error = thrownBy(() -> ByteRange.parseContentRange(header));

        assertThat(error.code()).isEqualTo(ErrorCode.BLOB_UPLOAD_INVALID);
        assertThat(error.httpStatus()).isEqualTo(416);
    }

    @Test
    void lengthCountsBothEnds() {
        assertThat(new ByteRange(0, 0).length()).isEqualTo(1);
        assertThat(new ByteRange(1024, 2047).length()).isEqualTo(1024);
    }

    @Test
    void rendersAsFirstHyphenLast() {
        assertThat(new ByteRange(3, 7)).hasToString("3-7");
    }

    @Test
    void constructorRefusesNegativeOrReversedBounds() {
        assertThatIllegalArgumentException().isThrownBy(() -> new ByteRange(-1, 5));
        assertThatIllegalArgumentException().isThrownBy(() -> new ByteRange(5, 4));
    }

    /** The upload {@code Range} header is {@code 0-<end-of-range>}, inclusive; nothing received reports {@code 0-0}, as the reference registry does. */
    @Test
    void receivedHeaderReportsTheInclusiveEndOfTheStagedBytes() {
        assertThat(ByteRange.receivedHeader(1024)).isEqualTo("0-1023");
        assertThat(ByteRange.receivedHeader(1)).isEqualTo("0-0");
        assertThat(ByteRange.receivedHeader(0)).isEqualTo("0-0");
    }
}
