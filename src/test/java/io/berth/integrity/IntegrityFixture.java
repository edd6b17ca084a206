package io.berth.integrity;

import io.berth.metadata.ManifestRecord;
import io.berth.metadata.MetadataStore;
import io.berth.metadata.SqlMetadataStore;
import io.berth.oci.Digest;
import io.berth.oci.DigestAlgorithm;
import io.berth.oci.MediaTypes;
import io.berth.oci.RepositoryName;
import io.berth.testing.TestBlob;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Puts content into a store and its SQLite metadata the way a push does — bytes committed, blob
 * recorded and linked, manifest stored with its references — and keeps checkpoints in memory.
 */
final class IntegrityFixture {
    private IntegrityFixture() {
    }

    static MetadataStore sqlite(Path directory) {
        return SqlMetadataStore.openSqlite(directory.resolve("berth.db"), Clock.systemUTC());
    }

    /** Puts bytes at a blob's content address, as a completed upload leaves them. */
    @FunctionalInterface
    interface BlobPlacer {
        void place(Digest digest, byte[] content) throws IOException;
    }

    /** The bytes of a filesystem data directory's blob, written at its place in {@code layout}. */
    static BlobPlacer files(io.berth.storage.BlobLayout layout) {
        return (digest, content) -> {
            java.nio.file.Path file = layout.blob(digest);
            java.nio.file.Files.createDirectories(file.getParent());
            java.nio.file.Files.write(file, content);
        };
    }

    /** Places the blob's bytes in the store, records the blob and links it into {@code repository}. */
    static TestBlob pushed(BlobPlacer store, MetadataStore metadata, RepositoryName repository, TestBlob blob)
            throws IOException {
        store.place(blob.digest(), blob.content());
        metadata.inTransaction(session -> {
            session.recordBlob(blob.digest(), blob.size());
            session.linkBlob(repository, blob.digest());
            return null;
        });
        return blob;
    }

    /** Stores an image manifest in {@code repository} that references {@code layers}; returns its digest. */
    static Digest image(MetadataStore metadata, RepositoryName repository, String name, Digest... layers) {
        byte[] bytes = ("{\"image\":\"" + name + "\"}").getBytes(StandardCharsets.UTF_8);
        ManifestRecord manifest = new ManifestRecord(Digest.of(DigestAlgorithm.SHA256, bytes), MediaTypes.OCI_MANIFEST,
                bytes, Optional.empty(), Optional.empty(), Map.of(), List.of(layers), List.of());
        metadata.inTransaction(session -> {
            session.putManifest(repository, manifest);
            return null;
        });
        return manifest.digest();
    }

    static RepositoryName repository(String name) {
        return RepositoryName.parse(name);
    }

    /** Checkpoints kept in memory, with every save remembered. */
    static final class MemoryCheckpoints implements Checkpoint.Store {
        final List<Checkpoint> saves = new ArrayList<>();
        private Optional<Checkpoint> current = Optional.empty();

        @Override
        public Optional<Checkpoint> load() {
            return current;
        }

        @Override
        public void save(Checkpoint checkpoint) {
            saves.add(checkpoint);
            current = Optional.of(checkpoint);
        }

        @Override
        public void clear() {
            current = Optional.empty();
        }
    }
}
