package io.berth.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.metadata.MetadataStore;
import io.berth.metadata.SqlMetadataStore;
import io.berth.oci.ErrorCode;
import io.berth.oci.RegistryException;
import io.berth.oci.RepositoryName;
import io.berth.storage.BlobLayout;
import io.berth.storage.FilesystemBlobStore;
import io.berth.storage.UploadId;
import io.berth.testing.MutableClock;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UploadServiceExpiryTest {
    private static final RepositoryName REPOSITORY = new RepositoryName("expiry/app");

    @TempDir
    Path directory;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private MetadataStore metadata;
    private BlobLayout layout;
    private FilesystemBlobStore store;
    private UploadService uploads;

    @BeforeEach
    void open() throws Exception {
        metadata = SqlMetadataStore.openSqlite(directory.resolve("berth.db"), clock);
        layout = new BlobLayout(directory);
        store = new FilesystemBlobStore(layout);
        uploads = new UploadService(metadata, store, clock);
    }

    @AfterEach
    void close() {
        metadata.close();
    }

    @Test
    void expiresOnlySessionsIdleSinceTheCutoffAndDropsTheirBytes() {
        UploadStatus idle = uploads.start(REPOSITORY);
        append(idle, "abandoned");
        UploadStatus busy = uploads.start(REPOSITORY);
        clock.advance(Duration.ofHours(25));
        append(busy, "still going");

        int expired = uploads.sweep().expireIdle(Duration.ofHours(24));

        assertThat(expired).isEqualTo(1);
        assertThatThrownBy(() -> uploads.status(REPOSITORY, idle.id().value()))
                .isInstanceOfSatisfying(RegistryException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.BLOB_UPLOAD_UNKNOWN));
        assertThat(Files.exists(layout.uploadDirectory(idle.id()))).isFalse();
        assertThat(uploads.status(REPOSITORY, busy.id().value()).size()).isEqualTo("still going".length());
        assertThat(Files.exists(layout.uploadData(busy.id()))).isTrue();
        assertThat(uploads.sweep().expireIdle(Duration.ofHours(24))).as("nothing left to expire").isZero();
    }

    @Test
    void expiresMoreSessionsThanOneBatchHolds() {
        int sessions = 520;
        for (int i = 0; i < sessions; i++) {
            uploads.start(REPOSITORY);
        }
        clock.advance(Duration.ofDays(2));

        assertThat(uploads.sweep().expireIdle(Duration.ofDays(1))).isEqualTo(sessions);
        assertThat(layout.uploadsRoot().toFile().list()).isEmpty();
    }

    @Test
    void removesStagingWithoutASessionOnlyWhenTheSweepBeforeSawItToo() throws Exception {
        UploadId orphan = UploadId.random();
        store.create(orphan);
        UploadStatus session = uploads.start(REPOSITORY);
        append(session, "in progress");

        UploadSweep.OrphanSweep first = uploads.sweep().discardOrphanStaging(Set.of());
        assertThat(first.removed()).isZero();
        assertThat(first.suspects()).containsExactly(orphan);
        assertThat(Files.exists(layout.uploadDirectory(orphan))).as("a session may be opening").isTrue();

        UploadSweep.OrphanSweep second = uploads.sweep().discardOrphanStaging(first.suspects());
        assertThat(second.removed()).isEqualTo(1);
        assertThat(second.suspects()).isEmpty();
        assertThat(Files.exists(layout.uploadDirectory(orphan))).isFalse();
        assertThat(uploads.status(REPOSITORY, session.id().value()).size()).isEqualTo("in progress".length());
        assertThat(Files.exists(layout.uploadData(session.id()))).isTrue();
    }

    @Test
    void keepsSuspectedStagingWhoseSessionHasSinceBeenRecorded() {
        UploadStatus session = uploads.start(REPOSITORY);

        UploadSweep.OrphanSweep sweep = uploads.sweep().discardOrphanStaging(Set.of(session.id()));

        assertThat(sweep.removed()).isZero();
        assertThat(sweep.suspects()).isEmpty();
        assertThat(Files.exists(layout.uploadDirectory(session.id()))).isTrue();
    }

    private void append(UploadStatus session, String content) {
        byte[] bytes = content.getBytes();
        uploads.append(REPOSITORY, session.id().value(), Optional.empty(), OptionalLong.of(bytes.length),
                new ByteArrayInputStream(bytes));
    }
}
