package io.berth.storage;

import io.berth.oci.Digest;
import io.berth.oci.DigestAlgorithm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Lists the blobs of a {@code blobs/<algorithm>/<2 hex>/<hex>} tree on a filesystem (a data
 * directory's, or a mirror tree's) in {@link BlobInventory#DIGEST_ORDER}, a page at a time: only the
 * directories that can hold digests after the starting point are read, one at a time.
 */
public final class BlobTree {
    private final Path blobsRoot;

    /** The tree under {@code blobsRoot}, the {@code blobs} folder itself. */
    public BlobTree(Path blobsRoot) {
        this.blobsRoot = blobsRoot;
    }

    /** As {@link BlobInventory#committedBlobs}: files that are not named like a blob at its address are skipped. */
    public List<CommittedBlob> list(Optional<Digest> after, int limit) throws IOException {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive: " + limit);
        }
        String start = after.map(Digest::toString).orElse("");
        List<CommittedBlob> page = new ArrayList<>();
        for (DigestAlgorithm algorithm : algorithms()) {
            for (String prefix : sortedNames(blobsRoot.resolve(algorithm.identifier()))) {
                String first = algorithm.identifier() + ":" + prefix;
                if (prefix.length() != 2 || first.compareTo(start.substring(0, Math.min(start.length(), first.length()))) < 0) {
                    continue;
                }
                for (String name : sortedNames(blobsRoot.resolve(algorithm.identifier()).resolve(prefix))) {
                    Optional<Digest> digest = blobName(algorithm, prefix, name);
                    if (digest.isEmpty() || digest.get().toString().compareTo(start) <= 0) {
                        continue;
                    }
                    Path file = blobsRoot.resolve(algorithm.identifier()).resolve(prefix).resolve(name);
                    try {
                        if (!Files.isRegularFile(file)) {
                            continue;
                        }
                        page.add(new CommittedBlob(digest.get(), Files.size(file)));
                    } catch (NoSuchFileException e) {
                        continue; // removed while listing
                    }
                    if (page.size() == limit) {
                        return page;
                    }
                }
            }
        }
        return page;
    }

    private List<DigestAlgorithm> algorithms() {
        return java.util.Arrays.stream(DigestAlgorithm.values())
                .sorted(Comparator.comparing(algorithm -> algorithm.identifier() + ":"))
                .toList();
    }

    private static List<String> sortedNames(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> children = Files.list(directory)) {
            return children.map(child -> child.getFileName().toString()).sorted().toList();
        } catch (NoSuchFileException e) {
            return List.of();
        }
    }

    /** The digest a file name stands for, when it is a blob's name in the right prefix folder. */
    private static Optional<Digest> blobName(DigestAlgorithm algorithm, String prefix, String name) {
        if (name.length() != algorithm.encodedLength() || !name.startsWith(prefix)) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Digest(algorithm, name));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
