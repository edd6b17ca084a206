package io.berth.integrity;

import io.berth.oci.Digest;
import io.berth.oci.DigestAlgorithm;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * Hashes a stream through one fixed buffer, acquiring every chunk from the rate limit first: a
 * blob of any size costs {@link #BUFFER_BYTES} of memory.
 */
final class ContentHasher {
    /** Large enough for sequential disk and object-store reads to be efficient, small enough to never matter. */
    static final int BUFFER_BYTES = 64 * 1024;

    private final byte[] buffer = new byte[BUFFER_BYTES];
    private final ByteRate rate;

    ContentHasher(ByteRate rate) {
        this.rate = rate;
    }

    /** What a stream hashed to, and how many bytes it held. */
    record Hashed(Digest digest, long bytes) {
    }

    /** Reads {@code in} to its end (the caller closes it) and hashes it with {@code algorithm}. */
    Hashed hash(InputStream in, DigestAlgorithm algorithm) throws IOException, InterruptedException {
        MessageDigest hash = algorithm.newMessageDigest();
        long total = 0;
        while (true) {
            rate.acquire(buffer.length);
            int read = in.readNBytes(buffer, 0, buffer.length);
            if (read <= 0) {
                break;
            }
            hash.update(buffer, 0, read);
            total += read;
        }
        return new Hashed(Digest.fromHash(algorithm, hash.digest()), total);
    }
}
