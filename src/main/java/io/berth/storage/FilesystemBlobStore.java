package io.berth.storage;

import io.berth.oci.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A blob store on a local filesystem, laid out by {@link BlobLayout}. Every directory and file it
 * creates is private to Berth's user ({@link PrivateFiles}); a blob keeps the permissions of its
 * staged upload, since committing it is a rename.
 */
public final class FilesystemBlobStore implements BlobStore, LocalBlobFiles, BlobInventory {
    private static final int COPY_BUFFER_BYTES = 256 * 1024;
    /**
     * A file lock excludes other processes only; threads of this process that share a store (or two
     * stores over one folder) take this lock first, as the JVM refuses overlapping file locks.
     */
    private static final KeyedLocks<Path> STAGING_LOCKS = new KeyedLocks<>();
    /** Copy buffers shared by every append; a few stay pooled between bursts. */
    private static final TransferBuffers COPY_BUFFERS = new TransferBuffers(COPY_BUFFER_BYTES, 16);
    /** The health probe's file: a name no upload id has, so the staging sweep never takes it for one. */
    private static final String PROBE_PREFIX = ".health-probe-";
    /** One filesystem block: the least a write of new content needs the disk to have free. */
    private static final int PROBE_BYTES = 4096;

    private final BlobLayout layout;

    public FilesystemBlobStore(BlobLayout layout) throws IOException {
        this.layout = layout;
        PrivateFiles.createDirectories(layout.blobsRoot());
        PrivateFiles.createDirectories(layout.uploadsRoot());
    }

    @Override
    public void delete(Digest digest) throws IOException {
        Files.deleteIfExists(layout.blob(digest));
    }

    @Override
    public OptionalLong size(Digest digest) throws IOException {
        Path file = layout.blob(digest);
        try {
            return OptionalLong.of(Files.size(file));
        } catch (NoSuchFileException e) {
            return OptionalLong.empty();
        }
    }

    @Override
    public InputStream open(Digest digest, long offset, long length) throws IOException {
        FileChannel channel = FileChannel.open(layout.blob(digest), StandardOpenOption.READ);
        try {
            channel.position(offset);
            return new BoundedInputStream(Channels.newInputStream(channel), length);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    @Override
    public Optional<Path> localFile(Digest digest) {
        Path file = layout.blob(digest);
        return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
    }

    @Override
    public List<CommittedBlob> committedBlobs(Optional<Digest> after, int limit) throws IOException {
        return new BlobTree(layout.blobsRoot()).list(after, limit);
    }

    /** Renames the file into {@code quarantine/} on the same filesystem: the bytes and the inode are kept. */
    @Override
    public Optional<String> quarantine(Digest digest) throws IOException {
        return FilesystemQuarantine.move(layout, digest);
    }

    @Override
    public void create(UploadId id) throws IOException {
        PrivateFiles.createDirectories(layout.uploadDirectory(id));
        PrivateFiles.open(layout.uploadData(id), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
    }

    @Override
    public Optional<StagedBytes> staged(UploadId id) throws IOException {
        try {
            return Optional.of(stagedBytes(layout.uploadData(id)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /**
     * The version of a staged file is its inode, size and modification time: staging only grows
     * (appends are serialised by a lock on the file and must start at its end), so any write
     * changes the size, and a file that replaced it has another inode.
     */
    private static StagedBytes stagedBytes(Path file) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        String version = attributes.fileKey() + "/" + attributes.size() + "/"
                + attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS);
        return new StagedBytes(attributes.size(), version);
    }

    @Override
    public Appended append(UploadId id, long offset, InputStream data) throws IOException {
        Path file = layout.uploadData(id);
        return STAGING_LOCKS.withLock(file, () -> appendLocked(id, file, offset, data));
    }

    private Appended appendLocked(UploadId id, Path file, long offset, InputStream data) throws IOException {
        try (FileChannel channel = openLocked(id, file);
             TransferBuffers.Lease copyBuffer = COPY_BUFFERS.acquire()) {
            StagedBytes before = stagedBytes(file);
            if (before.size() != offset) {
                throw new StagingConflict("upload " + id.value() + " has " + before.size()
                        + " bytes staged, not " + offset, before.size());
            }
            channel.position(offset);
            ByteBuffer buffer = ByteBuffer.wrap(copyBuffer.array());
            byte[] array = buffer.array();
            try {
                int read;
                // Fill the buffer before each write: network reads arrive in small pieces.
                while ((read = data.readNBytes(array, 0, array.length)) > 0) {
                    buffer.clear().limit(read);
                    while (buffer.hasRemaining()) {
                        channel.write(buffer);
                    }
                }
            } catch (IOException | RuntimeException e) {
                // Only this call's own bytes are removed: the staging is as it was before.
                channel.truncate(offset);
                throw e;
            }
            return new Appended(before, stagedBytes(file));
        }
    }

    /**
     * Opens the staged file and takes an exclusive lock on it, so that processes sharing this
     * folder (several nodes on one host, or on a filesystem with working POSIX locks) never write
     * one upload at once. The file is never re-created once removed, so if its path still exists
     * once the lock is held, the locked file is the staging; otherwise it was committed or
     * discarded meanwhile.
     */
    private static FileChannel openLocked(UploadId id, Path file) throws IOException {
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (NoSuchFileException e) {
            throw new StagingLost(id);
        }
        try {
            channel.lock();
            if (!Files.exists(file)) {
                throw new StagingLost(id);
            }
            return channel;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    @Override
    public int appendBufferBytes() {
        return COPY_BUFFER_BYTES;
    }

    @Override
    public InputStream openStaged(UploadId id) throws IOException {
        try {
            return Files.newInputStream(layout.uploadData(id));
        } catch (NoSuchFileException e) {
            throw new StagingLost(id);
        }
    }

    @Override
    public void commit(UploadId id, StagedBytes expected, Digest digest) throws IOException {
        Path staged = layout.uploadData(id);
        Path target = layout.blob(digest);
        STAGING_LOCKS.withLock(staged, () -> {
            commitLocked(id, staged, expected, target);
            return null;
        });
        syncDirectory(target.getParent());
        discard(id);
    }

    private static void commitLocked(UploadId id, Path staged, StagedBytes expected, Path target) throws IOException {
        try (FileChannel channel = openLocked(id, staged)) {
            StagedBytes current = stagedBytes(staged);
            if (!current.equals(expected)) {
                throw new StagingConflict("upload " + id.value() + " changed after it was verified", current.size());
            }
            channel.force(true);
            PrivateFiles.createDirectories(target.getParent());
            try {
                // Replaces a file already at the target: it may predate verification (or be damaged),
                // while these bytes were verified just now. Readers keep the file they opened.
                Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the uploads and blobs folders must be on one filesystem", e);
            }
        }
    }

    @Override
    public void discard(UploadId id) throws IOException {
        Path directory = layout.uploadDirectory(id);
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    @Override
    public void probe() throws IOException {
        for (Path folder : List.of(layout.blobsRoot(), layout.uploadsRoot())) {
            if (!Files.isDirectory(folder) || !Files.isWritable(folder)) {
                throw new IOException(folder + " is not a writable folder");
            }
        }
        // Staged bytes and blobs share one filesystem (commit is a rename), so one write tells for both.
        Path probe = layout.uploadsRoot().resolve(PROBE_PREFIX + UUID.randomUUID());
        try (FileChannel channel = PrivateFiles.open(probe, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer block = ByteBuffer.allocate(PROBE_BYTES);
            while (block.hasRemaining()) {
                channel.write(block);
            }
            channel.force(true);
        } catch (IOException e) {
            throw new IOException("cannot write to " + layout.uploadsRoot() + ": " + e.getMessage(), e);
        } finally {
            Files.deleteIfExists(probe);
        }
    }

    @Override
    public List<UploadId> stagedUploads() throws IOException {
        try (Stream<Path> directories = Files.list(layout.uploadsRoot())) {
            return directories.map(path -> UploadId.tryParse(path.getFileName().toString()))
                    .flatMap(Optional::stream)
                    .toList();
        }
    }

    private static void syncDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Some filesystems refuse to open directories; the rename itself is still atomic.
        }
    }
}
