package io.berth.storage;

import io.berth.oci.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A blob store on a local filesystem, laid out by {@link BlobLayout}. Every directory and file it
 * creates is private to Berth's user ({@link PrivateFiles}); a blob keeps the permissions of its
 * staged upload, since committing it is a rename.
 */
public final class FilesystemBlobStore implements BlobStore, LocalBlobFiles {
    private static final int COPY_BUFFER_BYTES = 256 * 1024;
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
    public void create(UploadId id) throws IOException {
        PrivateFiles.createDirectories(layout.uploadDirectory(id));
        PrivateFiles.open(layout.uploadData(id), StandardOpenOption.CREATE, StandardOpenOption.WRITE).close();
    }

    @Override
    public long append(UploadId id, long offset, InputStream data) throws IOException {
        Path file = layout.uploadData(id);
        if (!Files.exists(file)) {
            // Staging lost (for example a cleared uploads folder): start again only from zero.
            if (offset != 0) {
                throw new NoSuchFileException(file.toString());
            }
            create(id);
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            long staged = channel.size();
            if (staged < offset) {
                throw new IOException("staging of upload " + id + " holds " + staged + " bytes, expected " + offset);
            }
            if (staged > offset) {
                channel.truncate(offset);
            }
            channel.position(offset);
            ByteBuffer buffer = ByteBuffer.allocate(COPY_BUFFER_BYTES);
            byte[] array = buffer.array();
            long position = offset;
            try {
                int read;
                // Fill the buffer before each write: network reads arrive in small pieces.
                while ((read = data.readNBytes(array, 0, array.length)) > 0) {
                    buffer.clear().limit(read);
                    while (buffer.hasRemaining()) {
                        position += channel.write(buffer);
                    }
                }
            } catch (IOException | RuntimeException e) {
                channel.truncate(offset);
                throw e;
            }
            return position;
        }
    }

    @Override
    public InputStream openStaged(UploadId id) throws IOException {
        Path file = layout.uploadData(id);
        if (!Files.exists(file)) {
            return InputStream.nullInputStream();
        }
        return Files.newInputStream(file);
    }

    @Override
    public void commit(UploadId id, Digest digest) throws IOException {
        Path staged = layout.uploadData(id);
        Path target = layout.blob(digest);
        if (Files.exists(target)) {
            discard(id);
            return;
        }
        if (!Files.exists(staged)) {
            create(id);
        }
        try (FileChannel channel = FileChannel.open(staged, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        PrivateFiles.createDirectories(target.getParent());
        try {
            Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException e) {
            // A concurrent upload of the same content committed first; its bytes are identical.
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the uploads and blobs folders must be on one filesystem", e);
        }
        syncDirectory(target.getParent());
        discard(id);
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
