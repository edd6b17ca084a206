package io.berth.gc;

import io.berth.config.BerthConfig;
import io.berth.config.DatabaseConfig;
import io.berth.metadata.MetadataStore;
import io.berth.oci.Digest;
import io.berth.oci.DigestAlgorithm;
import io.berth.server.BerthServer;
import io.berth.storage.BlobLayout;
import io.berth.storage.FilesystemBlobStore;
import io.berth.testing.TestRegistry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * One garbage-collection pass over many unreferenced blobs: records and files are seeded straight
 * into the metadata database and the filesystem store (no HTTP, for speed), then one pass with no
 * grace removes them all. The blob store is the filesystem in both cases, so the figures compare the
 * databases.
 */
final class GcPassBenchmark {
    /** Blobs recorded per seeding transaction. */
    private static final int SEED_BATCH = 1_000;
    private static final int BLOB_BYTES = 64;

    /** What a pass did and how long it took. */
    record Result(String database, int seeded, Duration seeding, GcReport pass) {
        String summary() {
            double seconds = pass.took().toNanos() / 1e9;
            return "%s: seeded %d unreferenced blobs in %.1f s; one pass removed %d blobs in %.2f s (%.0f blobs/s); %d deadlocks"
                    .formatted(database, seeded, seeding.toNanos() / 1e9, pass.blobsRemoved(), seconds,
                            pass.blobsRemoved() / seconds, pass.deadlocks());
        }
    }

    private GcPassBenchmark() {
    }

    static Result sqlite(int blobs) throws IOException {
        Path directory = Files.createTempDirectory("berth-gc-pass-");
        try {
            return measure("SQLite", new BerthConfig("127.0.0.1:0", directory.toString(), false, 5), directory, blobs, 1);
        } finally {
            TestRegistry.deleteRecursively(directory);
        }
    }

    static Result postgresql(int blobs) throws Exception {
        Path directory = Files.createTempDirectory("berth-gc-pass-");
        String schema = "berth_gc_pass_" + UUID.randomUUID().toString().replace("-", "");
        try {
            BerthConfig config = new BerthConfig("127.0.0.1:0", directory.toString(), false, 5).withDatabase(new DatabaseConfig(
                    SoakNodes.POSTGRES_URL, SoakNodes.POSTGRES_USER, SoakNodes.POSTGRES_PASSWORD, schema, 8));
            return measure("PostgreSQL", config, directory, blobs, io.berth.config.GcConfig.DEFAULT_WORKERS);
        } finally {
            TestRegistry.deleteRecursively(directory);
            try (Connection connection = DriverManager.getConnection(SoakNodes.POSTGRES_URL, SoakNodes.POSTGRES_USER,
                    SoakNodes.POSTGRES_PASSWORD); Statement statement = connection.createStatement()) {
                statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
    }

    private static Result measure(String database, BerthConfig config, Path directory, int blobs, int workers) throws IOException {
        BlobLayout layout = new BlobLayout(directory);
        FilesystemBlobStore store = new FilesystemBlobStore(layout);
        try (MetadataStore metadata = BerthServer.openMetadata(config, Clock.systemUTC())) {
            long started = System.nanoTime();
            seed(metadata, layout, blobs);
            Duration seeding = Duration.ofNanos(System.nanoTime() - started);
            GcPolicy policy = new GcPolicy(Duration.ZERO, Optional.empty(), List.of(), TagGuard.NONE, workers);
            GcReport pass = new GarbageCollector(metadata, store, Clock.systemUTC(), policy, () -> false).runPass();
            return new Result(database, blobs, seeding, pass);
        }
    }

    /** Records {@code count} blobs no repository links, and writes their files where the store keeps them. */
    private static void seed(MetadataStore metadata, BlobLayout layout, int count) throws IOException {
        for (int first = 0; first < count; first += SEED_BATCH) {
            int from = first;
            int to = Math.min(count, first + SEED_BATCH);
            List<Digest> digests = new java.util.ArrayList<>();
            for (int i = from; i < to; i++) {
                byte[] content = ByteBuffer.allocate(BLOB_BYTES).putLong(i).array();
                Digest digest = Digest.of(DigestAlgorithm.SHA256, content);
                Path file = layout.blob(digest);
                Files.createDirectories(file.getParent());
                Files.write(file, content);
                digests.add(digest);
            }
            metadata.inTransaction(session -> {
                digests.forEach(digest -> session.recordBlob(digest, BLOB_BYTES));
                return null;
            });
        }
    }
}
