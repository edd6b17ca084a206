package io.berth.server;

import io.berth.config.BerthConfig;
import io.berth.integrity.ByteRate;
import io.berth.integrity.CheckProgress;
import io.berth.integrity.CheckpointFile;
import io.berth.integrity.Fsck;
import io.berth.metadata.MetadataStore;
import io.berth.storage.BlobInventory;
import io.berth.storage.BlobStore;
import io.berth.storage.PrivateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/** {@code berth fsck} over the configured metadata and blob store, outside a server. */
public final class IntegrityTools {
    private IntegrityTools() {
    }

    /** Where the check keeps its checkpoint between runs: {@code <data-dir>/fsck-checkpoint.json}. */
    public static Path checkpointFile(BerthConfig config) {
        return Path.of(config.dataDir()).toAbsolutePath().normalize().resolve(CheckpointFile.NAME);
    }

    /**
     * Runs the check, continuing the saved checkpoint unless {@code restart}.
     *
     * @throws IOException when the store cannot be listed or the check cannot go on; the checkpoint keeps its place
     */
    public static Fsck.Report fsck(BerthConfig config, Fsck.Options options, boolean restart, ByteRate rate,
                                   CheckProgress progress) throws IOException, InterruptedException {
        Path dataDir = Path.of(config.dataDir()).toAbsolutePath().normalize();
        Clock clock = Clock.systemUTC();
        CheckpointFile checkpoints = new CheckpointFile(checkpointFile(config));
        if (restart) {
            checkpoints.clear();
        }
        try (MetadataStore metadata = BerthServer.openMetadata(config, clock)) {
            PrivateFiles.createDirectories(dataDir);
            BlobStore blobs = BerthServer.openBlobStore(config, dataDir);
            if (!(blobs instanceof BlobInventory inventory)) {
                throw new UncheckedIOException(new IOException("the configured blob store cannot list its blobs"));
            }
            return new Fsck(metadata, inventory, checkpoints, rate, clock).run(options, progress);
        }
    }

    /** The configured blob store in words, for the report's first line. */
    public static String describeStore(BerthConfig config) {
        return config.storageSettings().filter(io.berth.config.StorageConfig::isS3)
                .map(storage -> "bucket " + storage.bucket() + " at " + storage.endpoint())
                .orElseGet(() -> Path.of(config.dataDir()).toAbsolutePath().normalize().resolve("blobs").toString());
    }
}
