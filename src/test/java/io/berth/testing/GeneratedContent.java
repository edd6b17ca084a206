package io.berth.testing;

import io.berth.oci.Digest;
import io.berth.oci.DigestAlgorithm;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.Random;

/**
 * Large, reproducible content generated on the fly (never held in memory): a random 1 MiB block
 * repeated with each copy's index stamped into its first bytes, so that every MiB differs.
 */
public final class GeneratedContent {
    private static final int BLOCK = 1024 * 1024;
    private final byte[] block = new byte[BLOCK];
    private final long size;

    public GeneratedContent(long size, long seed) {
        this.size = size;
        new Random(seed).nextBytes(block);
    }

    public long size() {
        return size;
    }

    /** A stream of bytes {@code [offset, offset + length)} of the content. */
    public InputStream stream(long offset, long length) {
        return new InputStream() {
            private long position = offset;
            private final long end = offset + length;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] buffer, int start, int count) {
                if (position >= end) {
                    return -1;
                }
                int n = (int) Math.min(count, end - position);
                int done = 0;
                while (done < n) {
                    long at = position + done;
                    int within = (int) (at % BLOCK);
                    int run = Math.min(n - done, BLOCK - within);
                    System.arraycopy(block, within, buffer, start + done, run);
                    for (int i = within; i < 8 && i < within + run; i++) {
                        buffer[start + done + i - within] = stamp(at / BLOCK, i);
                    }
                    done += run;
                }
                position += n;
                return n;
            }
        };
    }

    private static byte stamp(long blockIndex, int byteIndex) {
        return (byte) (blockIndex >>> (8 * byteIndex));
    }

    public Digest digest() {
        MessageDigest hash = DigestAlgorithm.SHA256.newMessageDigest();
        byte[] buffer = new byte[BLOCK];
        try (InputStream in = stream(0, size)) {
            int read;
            while ((read = in.read(buffer)) >= 0) {
                hash.update(buffer, 0, read);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return Digest.fromHash(DigestAlgorithm.SHA256, hash.digest());
    }
}
