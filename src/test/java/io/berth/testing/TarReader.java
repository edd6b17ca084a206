package io.berth.testing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * Reads the entries of a tar archive as image layers hold them: ustar headers, with the pax
 * ({@code x}) and GNU long-name ({@code L}) extensions that Go's archive/tar writes for long paths.
 * Every header's checksum is verified. Meant for layers of a few MiB held in memory.
 */
public final class TarReader {
    private static final int BLOCK = 512;

    private TarReader() {
    }

    /**
     * One archive member.
     *
     * @param path    its path, as stored (directories end with {@code /})
     * @param type    the ustar type flag: {@code '0'} file, {@code '5'} directory, …
     * @param content the file's bytes (empty for anything else)
     */
    public record Entry(String path, char type, byte[] content) {
        public String text() {
            return new String(content, StandardCharsets.UTF_8);
        }
    }

    /** The entries of a gzip-compressed archive, such as a {@code tar+gzip} layer blob. */
    public static List<Entry> readGzip(byte[] compressed) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed))) {
            return read(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The entries of an uncompressed archive, in order.
     *
     * @throws IllegalArgumentException for a bad header checksum or a truncated archive
     */
    public static List<Entry> read(byte[] tar) {
        List<Entry> entries = new ArrayList<>();
        Optional<String> longPath = Optional.empty();
        int offset = 0;
        while (offset + BLOCK <= tar.length && !isZeroBlock(tar, offset)) {
            int header = offset;
            verifyChecksum(tar, header);
            String name = text(tar, header, 100);
            String prefix = text(tar, header + 345, 155);
            long size = octal(tar, header + 124, 12);
            char type = tar[header + 156] == 0 ? '0' : (char) tar[header + 156];
            int dataStart = header + BLOCK;
            if (dataStart + size > tar.length) {
                throw new IllegalArgumentException("archive truncated inside the entry at offset " + header);
            }
            byte[] data = Arrays.copyOfRange(tar, dataStart, dataStart + (int) size);
            offset = dataStart + (int) ((size + BLOCK - 1) / BLOCK) * BLOCK;
            switch (type) {
                case 'x' -> longPath = paxPath(data);
                case 'L' -> longPath = Optional.of(text(data, 0, data.length));
                case 'g' -> {
                    // A global pax header names no member.
                }
                default -> {
                    String path = longPath.orElse(prefix.isEmpty() ? name : prefix + "/" + name);
                    entries.add(new Entry(path, type, type == '0' ? data : new byte[0]));
                    longPath = Optional.empty();
                }
            }
        }
        return entries;
    }

    private static Optional<String> paxPath(byte[] records) {
        String text = new String(records, StandardCharsets.UTF_8);
        for (String line : text.split("\n")) {
            int space = line.indexOf(' ');
            if (space > 0 && line.startsWith("path=", space + 1)) {
                return Optional.of(line.substring(space + 1 + "path=".length()));
            }
        }
        return Optional.empty();
    }

    private static void verifyChecksum(byte[] tar, int offset) {
        long sum = 0;
        for (int i = 0; i < BLOCK; i++) {
            sum += (i >= 148 && i < 156) ? ' ' : tar[offset + i] & 0xff;
        }
        long stored = octal(tar, offset + 148, 8);
        if (stored != sum) {
            throw new IllegalArgumentException("bad header checksum at offset " + offset + ": " + stored + " != " + sum);
        }
    }

    private static boolean isZeroBlock(byte[] tar, int offset) {
        for (int i = offset; i < offset + BLOCK; i++) {
            if (tar[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static String text(byte[] bytes, int offset, int length) {
        int end = offset;
        while (end < offset + length && bytes[end] != 0) {
            end++;
        }
        return new String(bytes, offset, end - offset, StandardCharsets.UTF_8);
    }

    private static long octal(byte[] tar, int offset, int length) {
        String digits = text(tar, offset, length).trim();
        return digits.isEmpty() ? 0 : Long.parseLong(digits, 8);
    }
}
