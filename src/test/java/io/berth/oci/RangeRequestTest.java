package io.berth.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A blob GET's {@code Range: bytes=…} header resolved against the blob's size (RFC 9110 section 14.1.2
 * for the forms, 14.2 for "a server MAY ignore the Range header field" when it is not understood).
 * Every case is resolved against a blob of 1000 bytes unless it says otherwise.
 */
class RangeRequestTest {
    private static final long SIZE = 1000;

    static Stream<Arguments> resolutions() {
        return Stream.of(
                argumentSet("no header: whole", Optional.empty(), SIZE, whole()),
                argumentSet("first-last", header("bytes=0-99"), SIZE, partial(0, 99)),
                argumentSet("first-last in the middle", header("bytes=100-199"), SIZE, partial(100, 199)),
                argumentSet("single byte", header("bytes=999-999"), SIZE, partial(999, 999)),
                argumentSet("last beyond the end is clamped", header("bytes=900-5000"), SIZE, partial(900, 999)),
                argumentSet("open-ended", header("bytes=100-"), SIZE, partial(100, 999)),
                argumentSet("open-ended from zero", header("bytes=0-"), SIZE, partial(0, 999)),
                argumentSet("suffix", header("bytes=-100"), SIZE, partial(900, 999)),
                argumentSet("suffix longer than the blob", header("bytes=-5000"), SIZE, partial(0, 999)),
                argumentSet("spaces around the numbers", header("bytes= 10 - 19 "), SIZE, partial(10, 19)),
                argumentSet("first at the size: unsatisfiable", header("bytes=1000-"), SIZE, unsatisfiable()),
                argumentSet("first beyond the size: unsatisfiable", header("bytes=2000-2999"), SIZE, unsatisfiable()),
                argumentSet("zero-length suffix: unsatisfiable", header("bytes=-0"), SIZE, unsatisfiable()),
                argumentSet("any range of an empty blob: unsatisfiable", header("bytes=0-"), 0L, unsatisfiable()),
                argumentSet("suffix of an empty blob: unsatisfiable", header("bytes=-10"), 0L, unsatisfiable()),
                argumentSet("last before first (invalid): whole", header("bytes=50-10"), SIZE, whole()),
                argumentSet("no numbers (malformed): whole", header("bytes=-"), SIZE, whole()),
                argumentSet("letters (malformed): whole", header("bytes=a-b"), SIZE, whole()),
                argumentSet("other unit: whole", header("items=0-9"), SIZE, whole()),
                argumentSet("no unit: whole", header("0-9"), SIZE, whole()),
                argumentSet("several ranges (not supported): whole", header("bytes=0-9,20-29"), SIZE, whole()),
                argumentSet("19 digits (beyond a long): whole", header("bytes=0-9999999999999999999"), SIZE, whole()),
                argumentSet("empty header: whole", header(""), SIZE, whole()));
    }

    @ParameterizedTest
    @MethodSource("resolutions")
    void resolvesSingleByteRanges(Optional<String> header, long size, RangeRequest.Resolution expected) {
        assertThat(RangeRequest.resolve(header, size)).isEqualTo(expected);
    }

    private static Optional<String> header(String value) {
        return Optional.of(value);
    }

    private static RangeRequest.Resolution whole() {
        return new RangeRequest.Whole();
    }

    private static RangeRequest.Resolution partial(long first, long last) {
        return new RangeRequest.Partial(new ByteRange(first, last));
    }

    private static RangeRequest.Resolution unsatisfiable() {
        return new RangeRequest.Unsatisfiable();
    }
}
