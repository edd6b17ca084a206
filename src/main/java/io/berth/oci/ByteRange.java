package io.berth.oci;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An inclusive byte range {@code first-last}, as in an upload chunk's {@code Content-Range} and the
 * {@code Range} header Berth answers upload requests with (OCI Distribution Spec, "Pushing a blob in
 * chunks": {@code ^[0-9]+-[0-9]+$}).
 */
public record ByteRange(long first, long last) {
    private static final Pattern CHUNK_RANGE = Pattern.compile("(?:bytes[ =])?([0-9]{1,18})-([0-9]{1,18})(?:/(?:[0-9]{1,18}|\\*))?");

    public ByteRange {
        if (first < 0 || last < first) {
            throw new IllegalArgumentException("invalid byte range " + first + "-" + last);
        }
    }

    /**
     * Parses an upload chunk's {@code Content-Range}. The spec's form is {@code first-last}; the
     * RFC 9110 spelling {@code bytes first-last/total} that some clients send is accepted too.
     *
     * @throws RegistryException {@code BLOB_UPLOAD_INVALID} with 416 when malformed or reversed
     */
    public static ByteRange parseContentRange(String value) {
        Matcher matcher = CHUNK_RANGE.matcher(value.trim());
        if (!matcher.matches()) {
            throw RegistryException.withStatus(ErrorCode.BLOB_UPLOAD_INVALID, 416, "malformed Content-Range: " + value);
        }
        long first = Long.parseLong(matcher.group(1));
        long last = Long.parseLong(matcher.group(2));
        if (last < first) {
            throw RegistryException.withStatus(ErrorCode.BLOB_UPLOAD_INVALID, 416, "Content-Range ends before it starts");
        }
        return new ByteRange(first, last);
    }

    public long length() {
        return last - first + 1;
    }

    /** The {@code Range} header value that reports {@code size} bytes received: {@code 0-(size-1)}. */
    public static String receivedHeader(long size) {
        return "0-" + Math.max(0, size - 1);
    }

    @Override
    public String toString() {
        return first + "-" + last;
    }
}
