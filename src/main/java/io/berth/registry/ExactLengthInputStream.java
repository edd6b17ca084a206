package io.berth.registry;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A request body that must hold exactly the number of bytes its request declared (by
 * {@code Content-Length} or {@code Content-Range}). Reading fails with {@link LengthMismatch} as soon
 * as the body proves shorter or longer, so that the store removes what it appended of it.
 */
final class ExactLengthInputStream extends FilterInputStream {
    private final long declared;
    private final byte[] single = new byte[1];
    private long remaining;

    ExactLengthInputStream(InputStream body, long declared) {
        super(body);
        this.declared = declared;
        this.remaining = declared;
    }

    @Override
    public int read() throws IOException {
        int read = read(single, 0, 1);
        return read < 0 ? -1 : single[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        if (remaining == 0) {
            if (in.read() >= 0) {
                throw new LengthMismatch("the request body holds more than the " + declared + " bytes it declared");
            }
            return -1;
        }
        int read = in.read(buffer, offset, (int) Math.min(length, remaining));
        if (read < 0) {
            throw new LengthMismatch("received " + (declared - remaining) + " bytes, but the request declared " + declared);
        }
        remaining -= read;
        return read;
    }

    @Override
    public long skip(long count) throws IOException {
        throw new IOException("a request body is read, not skipped");
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    /** The body's length differs from the declared one. */
    static final class LengthMismatch extends IOException {
        LengthMismatch(String message) {
            super(message);
        }
    }
}
