package io.berth.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The entries of one image layer, in archive order. Immutable: each method returns a new value.
 * The same entries always give the same tar bytes, so layers and their digests are reproducible.
 */
public record LayerContent(List<Entry> entries) {
    private static final int DIRECTORY_MODE = 0755;
    private static final int FILE_MODE = 0644;

    public LayerContent {
        entries = List.copyOf(entries);
    }

    /** One entry of the layer's tar archive. */
    public sealed interface Entry {
        String path();
    }

    public record Directory(String path) implements Entry {
    }

    public record RegularFile(String path, byte[] content) implements Entry {
    }

    public static LayerContent empty() {
        return new LayerContent(List.of());
    }

    public LayerContent directory(String path) {
        return with(new Directory(path));
    }

    public LayerContent file(String path, String text) {
        return file(path, text.getBytes(StandardCharsets.UTF_8));
    }

    public LayerContent file(String path, byte[] content) {
        return with(new RegularFile(path, content.clone()));
    }

    /** A file of {@code size} pseudo-random bytes from {@code seed}: incompressible, so the layer stays large. */
    public LayerContent randomFile(String path, int size, long seed) {
        byte[] content = new byte[size];
        new Random(seed).nextBytes(content);
        return with(new RegularFile(path, content));
    }

    /** The uncompressed ustar archive; its sha256 is the layer's diff ID. */
    public byte[] tar() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (UstarWriter tar = new UstarWriter(bytes)) {
            for (Entry entry : entries) {
                switch (entry) {
                    case Directory directory -> tar.directory(directory.path(), DIRECTORY_MODE);
                    case RegularFile file -> tar.file(file.path(), FILE_MODE, file.content());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private LayerContent with(Entry entry) {
        List<Entry> more = new ArrayList<>(entries);
        more.add(entry);
        return new LayerContent(more);
    }
}
