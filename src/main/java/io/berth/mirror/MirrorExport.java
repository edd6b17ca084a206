package io.berth.mirror;

import io.berth.metadata.GenerationBlob;
import io.berth.metadata.GenerationTotals;
import io.berth.metadata.MetadataStore;
import io.berth.metadata.RemovedBlob;
import io.berth.oci.Digest;
import io.berth.storage.BlobReader;
import io.berth.storage.LocalBlobFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * Writes and refreshes the mirror tree ({@link SyncIndex}) in a directory, from any blob store.
 *
 * <p>Each run first starts a new mirror generation holding every blob no generation holds yet that a
 * repository in the {@link ExportScope} links. Then,
 * for each generation whose list is not in the directory yet, oldest first, it brings every blob of
 * the generation into the tree — a hard link when the store keeps blobs as files on the same file
 * system, else a copy whose digest is verified on the way — writes the generation's list, and marks
 * the generation published. The current-generation file is written last. So the export is
 * incremental, a fresh directory receives everything, and a run that stops halfway is completed by
 * the next one; no file ever appears in the tree before its content is complete.
 */
public final class MirrorExport {
    private static final String TEMPORARY_PREFIX = ".berth-export-";

    /** How many blobs of a generation one metadata read returns. */
    private static final int PAGE = 1000;

    /** How long the tree keeps the file of a blob garbage collection removed, unless told otherwise. */
    public static final Duration DEFAULT_REMOVED_BLOB_GRACE = Duration.ofDays(2);

    private final MetadataStore metadata;
    private final BlobReader blobs;
    private final Clock clock;
    private final Duration removedBlobGrace;
    private final ExportScope scope;

    public MirrorExport(MetadataStore metadata, BlobReader blobs, Clock clock) {
        this(metadata, blobs, clock, DEFAULT_REMOVED_BLOB_GRACE, ExportScope.EVERYTHING);
    }

    /**
     * @param removedBlobGrace how long the tree keeps the file of a blob garbage collection removed: longer
     *                         than mirrors take to sync, so a mirror never lists a blob its tree has lost
     *                         while Berth could still send a client there
     * @param scope            the repositories whose blobs go into the tree
     */
    public MirrorExport(MetadataStore metadata, BlobReader blobs, Clock clock, Duration removedBlobGrace, ExportScope scope) {
        this.metadata = metadata;
        this.blobs = blobs;
        this.clock = clock;
        this.removedBlobGrace = removedBlobGrace;
        this.scope = scope;
    }

    /**
     * What a run did.
     *
     * @param newGeneration the generation this run started, when there were new blobs
     * @param generation    the generation the tree now holds; empty when no blob was ever exported
     * @param linked        blobs hard-linked from the store
     * @param copied        blobs copied from the store
     * @param present       blobs already in the tree
     * @param copiedBytes   bytes copied
     * @param dropped       files of blobs garbage collection removed more than the grace ago, taken out of the tree
     */
    public record Result(OptionalLong newGeneration, OptionalLong generation, long linked, long copied, long present,
                         long copiedBytes, long dropped) {
    }

    public Result export(Path directory, ExportProgress progress) {
        try {
            Files.createDirectories(directory.resolve(SyncIndex.GENERATIONS_DIRECTORY));
            OptionalLong started = metadata.inTransaction(session ->
                    session.mirrors().startMirrorGeneration(clock.instant(), scope::includes));
            List<Long> missing = new ArrayList<>();
            for (long generation : metadata.read(session -> session.mirrors().mirrorGenerations())) {
                if (!Files.exists(directory.resolve(SyncIndex.generationListPath(generation)))) {
                    missing.add(generation);
                }
            }
            long totalBlobs = 0;
            long totalBytes = 0;
            for (long generation : missing) {
                GenerationTotals totals = metadata.read(session -> session.mirrors().generationTotals(generation));
                totalBlobs += totals.blobs();
                totalBytes += totals.bytes();
            }
            progress.started(totalBlobs, totalBytes);
            Counts counts = new Counts();
            for (long generation : missing) {
                exportGeneration(directory, generation, counts, progress);
                metadata.inTransaction(session -> {
                    session.mirrors().publishMirrorGeneration(generation, clock.instant());
                    return null;
                });
            }
            OptionalLong current = completeInDirectory(directory);
            Path generationFile = directory.resolve(SyncIndex.GENERATION_FILE);
            String announced = current.isPresent() ? current.getAsLong() + "\n" : "";
            if (current.isPresent() && !(Files.exists(generationFile) && Files.readString(generationFile).equals(announced))) {
                writeAtomically(generationFile, out -> out.write(announced));
            }
            long dropped = dropRemovedBlobs(directory);
            progress.finished();
            return new Result(started, current, counts.linked, counts.copied, counts.present, counts.copiedBytes, dropped);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot export the mirror tree to " + directory + ": " + e.getMessage(), e);
        }
    }

    /**
     * Brings every blob of {@code generation} into the tree, a page at a time, and then writes the
     * generation's list, which names them in digest order.
     */
    private void exportGeneration(Path directory, long generation, Counts counts, ExportProgress progress)
            throws IOException {
        writeAtomically(directory.resolve(SyncIndex.generationListPath(generation)), out -> {
            Optional<Digest> after = Optional.empty();
            List<GenerationBlob> page;
            do {
                Optional<Digest> from = after;
                page = metadata.read(session -> session.mirrors().blobsOfGeneration(generation, from, PAGE));
                for (GenerationBlob blob : page) {
                    place(directory, blob, counts);
                    out.write(SyncIndex.listLine(blob.digest(), blob.size()));
                    progress.advanced(blob.size());
                    after = Optional.of(blob.digest());
                }
            } while (page.size() == PAGE);
        });
    }

    /**
     * Takes out of the tree the files of blobs garbage collection removed more than the grace ago and
     * nobody pushed again since. Berth no longer sends clients to mirrors for them (it no longer holds
     * them), and the grace gave mirrors time to stop listing them before their files go.
     */
    private long dropRemovedBlobs(Path directory) throws IOException {
        Instant before = clock.instant().minus(removedBlobGrace);
        long dropped = 0;
        while (true) {
            List<RemovedBlob> removals = metadata.read(session -> session.gc().removalsBefore(before, 500));
            if (removals.isEmpty()) {
                return dropped;
            }
            for (RemovedBlob removal : removals) {
                boolean recordedAgain = metadata.read(session -> session.blobSize(removal.digest())).isPresent();
                if (!recordedAgain && Files.deleteIfExists(directory.resolve(SyncIndex.blobPath(removal.digest())))) {
                    dropped++;
                }
            }
            metadata.inTransaction(session -> {
                removals.forEach(removal -> session.gc().forgetRemoval(removal.digest()));
                return null;
            });
        }
    }

    /**
     * The newest generation this directory holds completely: every generation up to it has its list
     * here (lists are written after their blobs), whatever other export directories hold.
     */
    private OptionalLong completeInDirectory(Path directory) {
        OptionalLong complete = OptionalLong.empty();
        for (long generation : metadata.read(session -> session.mirrors().mirrorGenerations())) {
            if (!Files.exists(directory.resolve(SyncIndex.generationListPath(generation)))) {
                break;
            }
            complete = OptionalLong.of(generation);
        }
        return complete;
    }

    private static final class Counts {
        long linked;
        long copied;
        long present;
        long copiedBytes;
    }

    private void place(Path directory, GenerationBlob blob, Counts counts) throws IOException {
        Path target = directory.resolve(SyncIndex.blobPath(blob.digest()));
        if (Files.isRegularFile(target) && Files.size(target) == blob.size()) {
            counts.present++;
            return;
        }
        Files.createDirectories(target.getParent());
        Files.deleteIfExists(target);
        if (link(blob.digest(), target)) {
            counts.linked++;
            return;
        }
        Path temporary = target.resolveSibling(TEMPORARY_PREFIX + UUID.randomUUID());
        try {
            MessageDigest hash = blob.digest().algorithm().newMessageDigest();
            try (InputStream in = blobs.open(blob.digest(), 0, blob.size());
                 OutputStream out = Files.newOutputStream(temporary)) {
                byte[] buffer = new byte[1 << 16];
                for (int read; (read = in.read(buffer)) >= 0; ) {
                    hash.update(buffer, 0, read);
                    out.write(buffer, 0, read);
                }
            }
            Digest copied = Digest.fromHash(blob.digest().algorithm(), hash.digest());
            if (!copied.equals(blob.digest())) {
                throw new IOException("blob " + blob.digest() + " reads back from the store as " + copied);
            }
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            counts.copied++;
            counts.copiedBytes += blob.size();
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /** Hard-links the store's file when the store keeps one on this file system; false otherwise. */
    private boolean link(Digest digest, Path target) throws IOException {
        if (!(blobs instanceof LocalBlobFiles files)) {
            return false;
        }
        Optional<Path> source = files.localFile(digest);
        if (source.isEmpty()) {
            throw new NoSuchFileException(digest + " is recorded but not in the blob store");
        }
        try {
            Files.createLink(target, source.get());
            return true;
        } catch (FileAlreadyExistsException e) {
            throw e;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** Writes what {@code content} writes. */
    @FunctionalInterface
    private interface Content {
        void writeTo(Writer out) throws IOException;
    }

    /** Writes {@code file} whole or not at all: into a temporary file beside it, then renamed over it. */
    private static void writeAtomically(Path file, Content content) throws IOException {
        Path temporary = file.resolveSibling(TEMPORARY_PREFIX + UUID.randomUUID());
        try {
            try (Writer out = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
                content.writeTo(out);
            }
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }
}
