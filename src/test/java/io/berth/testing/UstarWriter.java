package io.berth.testing;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes a POSIX ustar archive (POSIX.1-1988, "pax" section "ustar Interchange Format"): 512-byte
 * headers, content padded to 512 bytes, and two zero blocks at the end. Only directories and
 * regular files are written, owned by uid/gid 0 with a fixed modification time, so the same entries
 * always give the same bytes.
 *
 * <p>Paths are relative ({@code etc/motd}, {@code app/}); a path longer than 100 bytes is split
 * into the header's 155-byte prefix and 100-byte name at a slash.
 */
public final class UstarWriter implements Closeable {
    private static final int BLOCK = 512;
    /** 2001-09-09T01:46:40Z: fixed, so archives are reproducible. */
    public static final long MODIFICATION_TIME_SECONDS = 1_000_000_000L;
    private static final long MAX_SIZE = 077777777777L;

    private final OutputStream out;
    private boolean closed;

    public UstarWriter(OutputStream out) {
        this.out = out;
    }

    /** A directory entry; {@code path} gets a trailing slash if it lacks one. */
    public void directory(String path, int mode) throws IOException {
        String name = path.endsWith("/") ? path : path + "/";
        out.write(header(name, mode, 0, '5'));
    }

    /** A regular file with {@code content}. */
    public void file(String path, int mode, byte[] content) throws IOException {
        if (path.endsWith("/")) {
            throw new IllegalArgumentException("a file path must not end with '/': " + path);
        }
        out.write(header(path, mode, content.length, '0'));
        out.write(content);
        int padding = (BLOCK - content.length % BLOCK) % BLOCK;
        out.write(new byte[padding]);
    }

    /** Writes the end-of-archive marker (two zero blocks); the underlying stream stays open. */
    @Override
    public void close() throws IOException {
        if (!closed) {
            out.write(new byte[2 * BLOCK]);
            out.flush();
            closed = true;
        }
    }

    private static byte[] header(String path, int mode, long size, char type) {
        if (path.startsWith("/") || path.isEmpty()) {
            throw new IllegalArgumentException("tar paths are relative and non-empty: " + path);
        }
        if (size > MAX_SIZE) {
            throw new IllegalArgumentException("ustar holds files up to 8 GiB");
        }
        byte[] header = new byte[BLOCK];
        byte[] pathBytes = path.getBytes(StandardCharsets.UTF_8);
        if (pathBytes.length <= 100) {
            put(header, 0, 100, pathBytes);
        } else {
            int split = splitPoint(path);
            put(header, 0, 100, path.substring(split + 1).getBytes(StandardCharsets.UTF_8));
            put(header, 345, 155, path.substring(0, split).getBytes(StandardCharsets.UTF_8));
        }
        octal(header, 100, 8, mode);
        octal(header, 108, 8, 0);
        octal(header, 116, 8, 0);
        octal(header, 124, 12, size);
        octal(header, 136, 12, MODIFICATION_TIME_SECONDS);
        header[156] = (byte) type;
        put(header, 257, 6, "ustar\0".getBytes(StandardCharsets.US_ASCII));
        put(header, 263, 2, "00".getBytes(StandardCharsets.US_ASCII));
        put(header, 265, 32, "root".getBytes(StandardCharsets.US_ASCII));
        put(header, 297, 32, "root".getBytes(StandardCharsets.US_ASCII));
        // The checksum is the sum of all header bytes with the checksum field read as spaces.
        Arrays.fill(header, 148, 156, (byte) ' ');
        long checksum = 0;
        for (byte b : header) {
            checksum += b & 0xff;
        }
        byte[] digits = String.format("%06o", checksum).getBytes(StandardCharsets.US_ASCII);
        put(header, 148, 6, digits);
        header[154] = 0;
        header[155] = ' ';
        return header;
    }

    /** The slash at which {@code path} splits into a prefix of at most 155 and a name of at most 100 bytes. */
    private static int splitPoint(String path) {
        for (int slash = path.indexOf('/'); slash >= 0; slash = path.indexOf('/', slash + 1)) {
            int prefixLength = path.substring(0, slash).getBytes(StandardCharsets.UTF_8).length;
            int nameLength = path.substring(slash + 1).getBytes(StandardCharsets.UTF_8).length;
            if (prefixLength <= 155 && nameLength <= 100 && nameLength > 0) {
                return slash;
            }
        }
        throw new IllegalArgumentException("path too long for ustar: " + path);
    }

    /** A NUL-terminated, zero-padded octal number filling {@code length} bytes. */
    private static void octal(byte[] header, int offset, int length, long value) {
        String digits = Long.toOctalString(value);
        String padded = "0".repeat(length - 1 - digits.length()) + digits;
        put(header, offset, length - 1, padded.getBytes(StandardCharsets.US_ASCII));
        header[offset + length - 1] = 0;
    }

    private static void put(byte[] header, int offset, int length, byte[] value) {
        if (value.length > length) {
            throw new IllegalArgumentException("header field of " + length + " bytes cannot hold " + value.length);
        }
        System.arraycopy(value, 0, header, offset, value.length);
    }
}
