package io.berth.integrity;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.storage.PrivateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * A checkpoint kept as a small JSON file (in the data directory: {@code fsck-checkpoint.json}),
 * replaced atomically, so that a run killed at any moment leaves either the previous checkpoint or
 * the new one. A file that cannot be read is reported, never silently ignored.
 */
public final class CheckpointFile implements Checkpoint.Store {
    /** The file's name in the data directory. */
    public static final String NAME = "fsck-checkpoint.json";

    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Path file;

    public CheckpointFile(Path file) {
        this.file = file;
    }

    @Override
    public Optional<Checkpoint> load() {
        try {
            return Optional.of(JSON.readValue(Files.readAllBytes(file), Stored.class).checkpoint());
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the fsck checkpoint " + file
                    + " (remove it, or run with --restart): " + e.getMessage(), e);
        }
    }

    @Override
    public void save(Checkpoint checkpoint) {
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            PrivateFiles.createDirectories(file.toAbsolutePath().getParent());
            try (FileChannel channel = PrivateFiles.open(temporary, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                channel.write(ByteBuffer.wrap(JSON.writeValueAsBytes(Stored.of(checkpoint))));
            }
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the fsck checkpoint " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void clear() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the fsck checkpoint " + file + ": " + e.getMessage(), e);
        }
    }

    /** The file's JSON: a checkpoint with {@code after} as a string or null. */
    record Stored(String pass, String after, long blobsChecked, long bytesChecked, long mirrorChecked,
                          java.util.Map<Finding.Kind, Long> counts, java.util.Map<Finding.Kind, Long> bytes,
                          java.util.List<Finding> listed) {
        static Stored of(Checkpoint checkpoint) {
            return new Stored(checkpoint.pass(), checkpoint.after().orElse(null), checkpoint.blobsChecked(),
                    checkpoint.bytesChecked(), checkpoint.mirrorChecked(), checkpoint.counts(), checkpoint.bytes(),
                    checkpoint.listed());
        }

        Checkpoint checkpoint() {
            return new Checkpoint(pass, Optional.ofNullable(after), blobsChecked, bytesChecked, mirrorChecked,
                    counts == null ? java.util.Map.of() : counts, bytes == null ? java.util.Map.of() : bytes,
                    listed == null ? java.util.List.of() : listed);
        }
    }
}
