package io.berth.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.metadata.MetadataStore;
import io.berth.metadata.SqlMetadataStore;
import io.berth.oci.Digest;
import io.berth.oci.DigestAlgorithm;
import io.berth.oci.RepositoryName;
import io.berth.storage.InMemoryBlobStore;
import io.berth.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A cross-repository mount never waits for a lock on the source repository's link: it only reads it,
 * and keeps the blob by share-locking its record. Two mounts of one blob in opposite directions
 * ({@code a → b} while {@code b → a}) each used to hold the link the other was confirming, and
 * PostgreSQL ended one of them as a deadlock ({@code docs/architecture.md}, "Lock order"). Needs the
 * server of {@code BERTH_TEST_POSTGRES_URL} (default 127.0.0.1:5432/test).
 */
class BlobServiceMountPostgresqlTest {
    private static final String URL = System.getenv().getOrDefault("BERTH_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    private static final String USER = System.getenv().getOrDefault("BERTH_TEST_POSTGRES_USER", "postgres");
    private static final String PASSWORD = System.getenv().getOrDefault("BERTH_TEST_POSTGRES_PASSWORD", "");
    private static final RepositoryName SOURCE = new RepositoryName("mount/source");
    private static final RepositoryName TARGET = new RepositoryName("mount/target");

    private final String schema = "berth_mount_" + UUID.randomUUID().toString().replace("-", "");
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private MetadataStore metadata;
    private BlobService blobs;

    @BeforeEach
    void open() {
        metadata = SqlMetadataStore.openPostgresql(URL, USER, PASSWORD, schema, 4, clock);
        blobs = new BlobService(metadata, new InMemoryBlobStore(), clock, Duration.ofDays(1));
    }

    @AfterEach
    void close() throws SQLException {
        metadata.close();
        try (Connection connection = DriverManager.getConnection(URL, USER, PASSWORD);
             Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    @Test
    void aMountCompletesWhileAnotherTransactionHoldsTheSourceLink() throws Exception {
        Digest layer = Digest.of(DigestAlgorithm.SHA256, "layer".getBytes(StandardCharsets.UTF_8));
        metadata.inTransaction(session -> {
            session.recordBlob(layer, 5);
            session.linkBlob(SOURCE, layer);
            return null;
        });
        long sourceId = metadata.read(session -> session.linkedBlob(SOURCE, layer)).orElseThrow().repositoryId();
        ExecutorService threads = Executors.newCachedThreadPool();
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Void> holder = CompletableFuture.runAsync(() -> metadata.inTransaction(session -> {
            // What a mount the other way holds while it confirms the link: the row, locked for update.
            assertThat(session.gc().touchLink(sourceId, layer, clock.instant())).isTrue();
            holding.countDown();
            awaitQuietly(release);
            return null;
        }), threads);
        assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<Optional<BlobInfo>> mount = CompletableFuture.supplyAsync(() -> blobs.mount(TARGET, layer, Optional.of(SOURCE)), threads);
        Optional<BlobInfo> mounted;
        try {
            mounted = mount.get(5, TimeUnit.SECONDS);
        } finally {
            release.countDown();
            holder.get(10, TimeUnit.SECONDS);
            threads.shutdown();
        }

        assertThat(mounted).map(BlobInfo::size).hasValue(5L);
        java.util.OptionalLong linked = metadata.read(session -> session.linkedBlobSize(TARGET, layer));
        assertThat(linked).hasValue(5);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
