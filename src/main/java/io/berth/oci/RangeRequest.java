package io.berth.oci;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A single-range {@code Range: bytes=…} request on a blob (RFC 9110 section 14.2). Multiple ranges
 * are not supported: such requests are served whole, as RFC 9110 permits.
 */
public final class RangeRequest {
    private static final Pattern SINGLE = Pattern.compile("bytes=\\s*([0-9]{0,18})\\s*-\\s*([0-9]{0,18})\\s*");

    private RangeRequest() {
    }

    /** Outcome of resolving a {@code Range} header against a blob of known size. */
    public sealed interface Resolution permits Whole, Partial, Unsatisfiable {
    }

    /** Serve the whole blob with 200. */
    public record Whole() implements Resolution {
    }

    /** Serve {@code range} with 206. */
    public record Partial(ByteRange range) implements Resolution {
    }

    /** Answer 416 with {@code Content-Range: bytes *}/size. */
    public record Unsatisfiable() implements Resolution {
    }

    public static Resolution resolve(Optional<String> header, long size) {
        if (header.isEmpty()) {
            return new Whole();
        }
        Matcher matcher = SINGLE.matcher(header.get());
        if (!matcher.matches()) {
            return new Whole();
        }
        String start = matcher.group(1);
        String end = matcher.group(2);
        if (start.isEmpty() && end.isEmpty()) {
            return new Whole();
        }
        if (start.isEmpty()) {
            long suffix = Long.parseLong(end);
            if (suffix == 0 || size == 0) {
                return new Unsatisfiable();
            }
            return new Partial(new ByteRange(Math.max(0, size - suffix), size - 1));
        }
        long first = Long.parseLong(start);
        if (first >= size) {
            return new Unsatisfiable();
        }
        long last = end.isEmpty() ? size - 1 : Math.min(Long.parseLong(end), size - 1);
        if (last < first) {
            return new Whole();
        }
        return new Partial(new ByteRange(first, last));
    }
}
