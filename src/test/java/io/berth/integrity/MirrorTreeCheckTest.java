package io.berth.integrity;

import static io.berth.integrity.IntegrityFixture.pushed;
import static io.berth.integrity.IntegrityFixture.repository;
import static org.assertj.core.api.Assertions.assertThat;

import io.berth.metadata.MetadataStore;
import io.berth.storage.BlobLayout;
import io.berth.storage.FilesystemBlobStore;
import io.berth.testing.MutableClock;
import io.berth.testing.TestBlob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mirror tree is checked against the filesystem store: a hard link to the store's blob is the
 * blob itself and is not read twice; a copy is re-hashed; a wrong file is re-linked to the store's
 * blob, or removed when the store no longer holds the blob intact.
 */
class MirrorTreeCheckTest {
    @TempDir
    Path data;
    @TempDir
    Path tree;

    private FilesystemBlobStore store;
    private MetadataStore metadata;
    private final IntegrityFixture.MemoryCheckpoints checkpoints = new IntegrityFixture.MemoryCheckpoints();

    @BeforeEach
    void open() throws Exception {
        store = new FilesystemBlobStore(new BlobLayout(data));
        metadata = IntegrityFixture.sqlite(data);
    }

    @AfterEach
    void close() {
        metadata.close();
    }

    @Test
    void aHardLinkIsNotReadAgainAndACorrectCopyPasses() throws Exception {
        TestBlob linked = pushed(IntegrityFixture.files(new BlobLayout(data)), metadata, repository("app"), TestBlob.random(5000, 1));
        TestBlob copied = pushed(IntegrityFixture.files(new BlobLayout(data)), metadata, repository("app"), TestBlob.random(7000, 2));
        Files.createDirectories(mirrorFile(linked).getParent());
        Files.createLink(mirrorFile(linked), store.localFile(linked.digest()).orElseThrow());
        write(mirrorFile(copied), copied.content());

        Fsck.Report report = fsck(false);

        assertThat(report.findings().listed()).isEmpty();
        assertThat(report.mirrorFilesChecked()).isEqualTo(2);
        assertThat(report.bytesThisRun()).as("blobs once, the copy once more").isEqualTo(5000 + 7000 + 7000);
    }

    @Test
    void aWrongCopyIsReportedAndRepairLinksTheStoresBlobInItsPlace() throws Exception {
        TestBlob blob = pushed(IntegrityFixture.files(new BlobLayout(data)), metadata, repository("app"), TestBlob.random(5000, 3));
        write(mirrorFile(blob), "not the blob".getBytes());

        Finding reported = only(fsck(false), Finding.Kind.MIRROR_FILE_DIFFERS);
        assertThat(reported.subject()).isEqualTo(mirrorFile(blob).toString());
        assertThat(reported.repaired()).isFalse();

        Finding repaired = only(fsck(true), Finding.Kind.MIRROR_FILE_DIFFERS);
        assertThat(repaired.repaired()).isTrue();
        assertThat(mirrorFile(blob)).hasBinaryContent(blob.content());
        assertThat(Files.isSameFile(mirrorFile(blob), store.localFile(blob.digest()).orElseThrow())).isTrue();
        assertThat(fsck(false).findings().listed()).isEmpty();
    }

    @Test
    void aCorruptBlobHardLinkedIntoTheTreeIsQuarantinedAndItsMirrorFileRemoved() throws Exception {
        TestBlob blob = pushed(IntegrityFixture.files(new BlobLayout(data)), metadata, repository("app"), TestBlob.random(5000, 4));
        Files.createDirectories(mirrorFile(blob).getParent());
        Files.createLink(mirrorFile(blob), store.localFile(blob.digest()).orElseThrow());
        byte[] corrupted = blob.content().clone();
        corrupted[10] ^= 0x40;
        Files.write(store.localFile(blob.digest()).orElseThrow(), corrupted); // in place: the mirror's inode too

        Fsck.Report report = fsck(true);

        assertThat(only(report, Finding.Kind.CORRUPT_BLOB).repaired()).isTrue();
        assertThat(only(report, Finding.Kind.MIRROR_FILE_DIFFERS).detail()).contains("removed");
        assertThat(mirrorFile(blob)).doesNotExist();
        assertThat(new BlobLayout(data).quarantined(blob.digest(), 0)).hasBinaryContent(corrupted);
    }

    @Test
    void aCorrectCopyOfABlobTheStoreLostIsPointedOut() throws Exception {
        TestBlob blob = pushed(IntegrityFixture.files(new BlobLayout(data)), metadata, repository("app"), TestBlob.random(3000, 5));
        write(mirrorFile(blob), blob.content());
        Files.delete(store.localFile(blob.digest()).orElseThrow());

        Fsck.Report report = fsck(false);

        assertThat(only(report, Finding.Kind.MISSING_BLOB).subject()).isEqualTo(blob.digest().toString());
        assertThat(only(report, Finding.Kind.MIRROR_FILE_WITHOUT_BLOB).subject()).isEqualTo(mirrorFile(blob).toString());
    }

    private Fsck.Report fsck(boolean repair) throws Exception {
        return new Fsck(metadata, store, checkpoints, ByteRate.unlimited(), new MutableClock(Instant.EPOCH))
                .run(new Fsck.Options(repair, OptionalLong.empty(), Optional.of(tree)), CheckProgress.silent());
    }

    private Path mirrorFile(TestBlob blob) {
        return new BlobLayout(tree).blob(blob.digest());
    }

    private static void write(Path file, byte[] content) throws Exception {
        Files.createDirectories(file.getParent());
        Files.write(file, content);
    }

    private static Finding only(Fsck.Report report, Finding.Kind kind) {
        assertThat(report.findings().listed()).filteredOn(finding -> finding.kind() == kind).hasSize(1);
        return report.findings().listed().stream().filter(finding -> finding.kind() == kind).findFirst().orElseThrow();
    }
}
