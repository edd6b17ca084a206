package io.berth.integrity;

import static io.berth.integrity.IntegrityFixture.image;
import static io.berth.integrity.IntegrityFixture.pushed;
import static io.berth.integrity.IntegrityFixture.repository;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;

import io.berth.metadata.MetadataStore;
import io.berth.oci.Digest;
import io.berth.storage.BlobInventory;
import io.berth.storage.CommittedBlob;
import io.berth.storage.InMemoryBlobStore;
import io.berth.testing.MutableClock;
import io.berth.testing.TestBlob;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Fsck} over the in-memory blob store and SQLite metadata: every blob is re-hashed against its
 * name; what the store lacks, what it holds wrongly and what nothing refers to is reported; repair
 * quarantines bad bytes and makes the registry forget them so that they are pushed again; and an
 * interrupted check continues where it stopped.
 */
class FsckTest {
    private static final Fsck.Options CHECK = new Fsck.Options(false, OptionalLong.empty(), Optional.empty());
    private static final Fsck.Options REPAIR = new Fsck.Options(true, OptionalLong.empty(), Optional.empty());

    @TempDir
    Path directory;

    private final InMemoryBlobStore store = new InMemoryBlobStore();
    private final IntegrityFixture.MemoryCheckpoints checkpoints = new IntegrityFixture.MemoryCheckpoints();
    private final MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
    private MetadataStore metadata;

    @BeforeEach
    void openMetadata() {
        metadata = IntegrityFixture.sqlite(directory);
    }

    @AfterEach
    void closeMetadata() {
        metadata.close();
    }

    @Test
    void anIntactRegistryHasNothingToReport() throws Exception {
        TestBlob config = pushed(store::put, metadata, repository("app"), TestBlob.of("config"));
        TestBlob layer = pushed(store::put, metadata, repository("app"), TestBlob.random(300_000, 1));
        image(metadata, repository("app"), "one", config.digest(), layer.digest());

        Fsck.Report report = fsck(CHECK);

        assertThat(report.findings().listed()).isEmpty();
        assertThat(report.complete()).isTrue();
        assertThat(report.blobsChecked()).isEqualTo(2);
        assertThat(report.bytesChecked()).isEqualTo(config.size() + layer.size());
        assertThat(checkpoints.load()).as("a complete run leaves no checkpoint").isEmpty();
    }

    @Test
    void aBlobWhoseBytesChangedIsReportedWithItsRepositoriesAndTheManifestsThatNeedIt() throws Exception {
        TestBlob layer = pushed(store::put, metadata, repository("app"), TestBlob.random(10_000, 2));
        pushed(store::put, metadata, repository("mirror/app"), layer);
        Digest manifest = image(metadata, repository("app"), "one", layer.digest());
        store.corrupt(layer.digest(), flipped(layer.content()));

        Fsck.Report report = fsck(CHECK);

        assertThat(report.findings().problems()).isEqualTo(2);
        Finding corrupt = only(report, Finding.Kind.CORRUPT_BLOB);
        assertThat(corrupt.subject()).isEqualTo(layer.digest().toString());
        assertThat(corrupt.detail()).contains("linked from app, mirror/app").doesNotContain("quarantined");
        assertThat(corrupt.repaired()).isFalse();
        assertThat(only(report, Finding.Kind.DANGLING_REFERENCE).subject())
                .isEqualTo("app@" + manifest + " -> " + layer.digest());
        assertThat(store.size(layer.digest())).as("a check changes nothing").hasValue(layer.size());
        assertThat(linked(repository("app"), layer.digest())).isPresent();
    }

    @Test
    void repairQuarantinesTheBadBytesAndTheRegistryForgetsTheBlobUntilItIsPushedAgain() throws Exception {
        TestBlob layer = pushed(store::put, metadata, repository("app"), TestBlob.random(10_000, 3));
        pushed(store::put, metadata, repository("other"), layer);
        Digest manifest = image(metadata, repository("app"), "one", layer.digest());
        byte[] corrupted = flipped(layer.content());
        store.corrupt(layer.digest(), corrupted);

        Fsck.Report report = fsck(REPAIR);

        Finding corrupt = only(report, Finding.Kind.CORRUPT_BLOB);
        assertThat(corrupt.repaired()).isTrue();
        assertThat(corrupt.detail()).contains("quarantined to").contains("unlinked from app, other");
        assertThat(store.size(layer.digest())).isEmpty();
        assertThat(store.quarantinedBytes(layer.digest())).singleElement().isEqualTo(corrupted);
        assertThat(recordedSize(layer.digest())).as("mounts fail").isEmpty();
        assertThat(linked(repository("app"), layer.digest())).as("HEAD is 404").isEmpty();
        assertThat(only(report, Finding.Kind.DANGLING_REFERENCE).subject()).startsWith("app@" + manifest);

        pushed(store::put, metadata, repository("app"), layer);
        Fsck.Report afterPush = fsck(CHECK);

        assertThat(afterPush.findings().problems()).isZero();
        try (InputStream in = store.open(layer.digest(), 0, layer.size())) {
            assertThat(in.readAllBytes()).isEqualTo(layer.content());
        }
    }

    /** A push while fsck runs: the store was listed before the blob came, its record after. */
    @Test
    void aBlobPushedAfterTheStoreWasListedIsNeitherMissingNorForgotten() throws Exception {
        TestBlob layer = pushed(store::put, metadata, repository("app"), TestBlob.of("pushed during the check"));
        ForwardingInventory listedEarlier = new ForwardingInventory(store) {
            @Override
            public List<CommittedBlob> committedBlobs(Optional<Digest> after, int limit) throws IOException {
                return super.committedBlobs(after, limit).stream()
                        .filter(blob -> !blob.digest().equals(layer.digest())).toList();
            }
        };

        Fsck.Report report = new Fsck(metadata, listedEarlier, checkpoints, ByteRate.unlimited(), clock)
                .run(REPAIR, CheckProgress.silent());

        assertThat(report.findings().problems()).isZero();
        assertThat(recordedSize(layer.digest())).hasValue(layer.size());
        assertThat(linked(repository("app"), layer.digest())).isPresent();
    }

    /** A push that replaced damaged bytes after fsck read them: the good bytes stay where they are. */
    @Test
    void damagedBytesReplacedByAPushBeforeRepairAreLeftAlone() throws Exception {
        TestBlob layer = pushed(store::put, metadata, repository("app"), TestBlob.random(5_000, 7));
        store.corrupt(layer.digest(), flipped(layer.content()));
        ForwardingInventory pushedMeanwhile = new ForwardingInventory(store) {
            private boolean replaced;

            @Override
            public InputStream open(Digest digest, long offset, long length) throws IOException {
                InputStream bytes = super.open(digest, offset, length);
                if (!replaced && digest.equals(layer.digest())) {
                    replaced = true;
                    store.put(layer.digest(), layer.content());
                }
                return bytes;
            }
        };

        Fsck.Report report = new Fsck(metadata, pushedMeanwhile, checkpoints, ByteRate.unlimited(), clock)
                .run(REPAIR, CheckProgress.silent());

        assertThat(report.findings().problems()).isZero();
        assertThat(store.quarantinedBytes(layer.digest())).isEmpty();
        try (InputStream in = store.open(layer.digest(), 0, layer.size())) {
            assertThat(in.readAllBytes()).isEqualTo(layer.content());
        }
    }

    @Test
    void aRecordedBlobTheStoreLacksIsMissingAndRepairForgetsIt() throws Exception {
        TestBlob layer = pushed(store::put, metadata, repository("app"), TestBlob.of("gone"));
        store.quarantine(layer.digest());

        Fsck.Report check = fsck(CHECK);
        assertThat(only(check, Finding.Kind.MISSING_BLOB).detail()).contains("not in the blob store").contains("linked from app");

        Fsck.Report repair = fsck(REPAIR);
        assertThat(only(repair, Finding.Kind.MISSING_BLOB).repaired()).isTrue();
        assertThat(recordedSize(layer.digest())).isEmpty();
        assertThat(fsck(CHECK).findings().listed()).isEmpty();
    }

    @Test
    void bytesNothingRecordsAndRecordsNothingUsesOnlyTakeSpace() throws Exception {
        TestBlob stray = TestBlob.of("committed, never recorded");
        store.put(stray.digest(), stray.content());
        TestBlob unlinked = pushed(store::put, metadata, repository("app"), TestBlob.of("unlinked later"));
        metadata.inTransaction(session -> session.unlinkBlob(repository("app"), unlinked.digest()));

        Fsck.Report report = fsck(CHECK);

        assertThat(only(report, Finding.Kind.UNRECORDED_BLOB).subject()).isEqualTo(stray.digest().toString());
        assertThat(only(report, Finding.Kind.UNREFERENCED_BLOB).subject()).isEqualTo(unlinked.digest().toString());
        assertThat(report.findings().bytes(Finding.Kind.UNRECORDED_BLOB)).isEqualTo(stray.size());
        assertThat(report.findings().problems()).as("space only").isZero();
    }

    @Test
    void repairRecordsBytesNothingRecordsSoThatGarbageCollectionRemovesThem() throws Exception {
        TestBlob stray = TestBlob.of("committed, never recorded, found by repair");
        store.put(stray.digest(), stray.content());

        Fsck.Report report = fsck(REPAIR);

        assertThat(only(report, Finding.Kind.UNRECORDED_BLOB).repaired()).isTrue();
        assertThat(recordedSize(stray.digest())).hasValue(stray.size());
        assertThat(metadata.<java.util.List<io.berth.oci.RepositoryName>>read(session -> session.integrity().repositoriesLinking(stray.digest()))).isEmpty();
        assertThat(only(fsck(CHECK), Finding.Kind.UNREFERENCED_BLOB).subject()).as("now garbage collection's to remove")
                .isEqualTo(stray.digest().toString());
    }

    @Test
    void unrecordedBytesThatDoNotMatchTheirNameAreCorruptAndQuarantined() throws Exception {
        TestBlob claimed = TestBlob.of("claimed");
        store.put(claimed.digest(), "something else".getBytes());

        Fsck.Report report = fsck(REPAIR);

        assertThat(only(report, Finding.Kind.CORRUPT_BLOB).detail()).contains("recorded nowhere");
        assertThat(store.size(claimed.digest())).isEmpty();
    }

    @Test
    void aRecordOfTheWrongSizeIsAProblem() throws Exception {
        TestBlob blob = TestBlob.of("twelve bytes");
        store.put(blob.digest(), blob.content());
        metadata.inTransaction(session -> {
            session.recordBlob(blob.digest(), 99);
            session.linkBlob(repository("app"), blob.digest());
            return null;
        });

        assertThat(only(fsck(CHECK), Finding.Kind.SIZE_MISMATCH).detail()).contains("recorded as 99 bytes");
    }

    @Test
    void aStoppedCheckContinuesAfterTheLastBlobItFinishedAndKeepsWhatItFound() throws Exception {
        List<TestBlob> blobs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            blobs.add(pushed(store::put, metadata, repository("app"), TestBlob.random(1000 + i, 10 + i)));
        }
        blobs.sort((a, b) -> BlobInventory.DIGEST_ORDER.compare(a.digest(), b.digest()));
        store.corrupt(blobs.get(0).digest(), flipped(blobs.get(0).content()));
        OpenCounting counting = new OpenCounting(store);

        Fsck.Report first = new Fsck(metadata, counting, checkpoints, ByteRate.unlimited(), clock)
                .run(new Fsck.Options(false, OptionalLong.of(2), Optional.empty()), CheckProgress.silent());

        assertThat(first.complete()).isFalse();
        assertThat(first.itemsThisRun()).isEqualTo(2);
        assertThat(counting.opened).as("a damaged blob is read once more, in case a push replaced it meanwhile")
                .containsExactly(blobs.get(0).digest(), blobs.get(0).digest(), blobs.get(1).digest());
        assertThat(checkpoints.load().orElseThrow().after()).hasValue(blobs.get(1).digest().toString());

        counting.opened.clear();
        Fsck.Report second = new Fsck(metadata, counting, checkpoints, ByteRate.unlimited(), clock)
                .run(CHECK, CheckProgress.silent());

        assertThat(second.complete()).isTrue();
        assertThat(second.resumedAfter()).hasValue("blobs pass after " + blobs.get(1).digest());
        assertThat(counting.opened).as("only the rest").containsExactly(blobs.get(2).digest(), blobs.get(3).digest(),
                blobs.get(4).digest());
        assertThat(second.itemsThisRun()).isEqualTo(3);
        assertThat(second.blobsChecked()).isEqualTo(5);
        assertThat(only(second, Finding.Kind.CORRUPT_BLOB).subject()).as("found by the first run")
                .isEqualTo(blobs.get(0).digest().toString());
        assertThat(checkpoints.load()).isEmpty();
    }

    @Test
    void aLongCheckSavesItsPlaceAsItGoesAndWhenTheStoreFails() throws Exception {
        for (int i = 0; i < 3; i++) {
            pushed(store::put, metadata, repository("app"), TestBlob.random(100, 20 + i));
        }
        FailingListing failing = new FailingListing(store);
        Fsck fsck = new Fsck(metadata, failing, checkpoints, ByteRate.unlimited(), new SteppingClock(clock));

        assertThatIOException().isThrownBy(() -> fsck.run(CHECK, CheckProgress.silent())).withMessageContaining("listing");

        assertThat(checkpoints.saves).as("saved every interval, and when failing").hasSizeGreaterThanOrEqualTo(2);
        assertThat(checkpoints.load().orElseThrow().after()).as("the last blob of the first page")
                .hasValue(failing.firstPageEnd.toString());
    }

    @Test
    void readingIsPacedByTheRateLimit() throws Exception {
        pushed(store::put, metadata, repository("app"), TestBlob.random(ContentHasher.BUFFER_BYTES * 4, 30));
        long[] now = {0};
        List<Duration> sleeps = new ArrayList<>();
        ByteRate rate = new ByteRate(OptionalLong.of(ContentHasher.BUFFER_BYTES), () -> now[0], duration -> {
            sleeps.add(duration);
            now[0] += duration.toNanos();
        });

        new Fsck(metadata, store, checkpoints, rate, clock).run(CHECK, CheckProgress.silent());

        assertThat(Duration.ofNanos(now[0])).as("four buffers at one buffer a second").isEqualTo(Duration.ofSeconds(4));
        assertThat(sleeps).hasSize(4);
    }

    private Optional<io.berth.metadata.LinkedBlob> linked(io.berth.oci.RepositoryName repository, Digest digest) {
        return metadata.read(session -> session.linkedBlob(repository, digest));
    }

    private OptionalLong recordedSize(Digest digest) {
        return metadata.read(session -> session.blobSize(digest));
    }

    private Fsck.Report fsck(Fsck.Options options) throws Exception {
        return new Fsck(metadata, store, checkpoints, ByteRate.unlimited(), clock).run(options, CheckProgress.silent());
    }

    private static Finding only(Fsck.Report report, Finding.Kind kind) {
        return report.findings().listed().stream().filter(finding -> finding.kind() == kind).collect(
                java.util.stream.Collectors.collectingAndThen(java.util.stream.Collectors.toList(), list -> {
                    assertThat(list).as("findings of kind " + kind + " in " + report.findings().listed()).hasSize(1);
                    return list.getFirst();
                }));
    }

    private static byte[] flipped(byte[] content) {
        byte[] copy = content.clone();
        copy[copy.length / 2] ^= 0x01;
        return copy;
    }

    /** A store that remembers which blobs were opened. */
    private static final class OpenCounting extends ForwardingInventory {
        final List<Digest> opened = new ArrayList<>();

        OpenCounting(BlobInventory store) {
            super(store);
        }

        @Override
        public InputStream open(Digest digest, long offset, long length) throws IOException {
            opened.add(digest);
            return super.open(digest, offset, length);
        }
    }

    /** A store whose listing fails after the first page of two blobs, as an object store that stops answering. */
    private static final class FailingListing extends ForwardingInventory {
        Digest firstPageEnd;

        FailingListing(BlobInventory store) {
            super(store);
        }

        @Override
        public List<CommittedBlob> committedBlobs(Optional<Digest> after, int limit) throws IOException {
            if (after.isPresent()) {
                throw new IOException("listing failed");
            }
            List<CommittedBlob> page = super.committedBlobs(after, 2);
            firstPageEnd = page.getLast().digest();
            return page;
        }
    }

    /** A clock that moves on by a checkpoint interval each time it is read. */
    private static final class SteppingClock extends java.time.Clock {
        private final MutableClock clock;

        SteppingClock(MutableClock clock) {
            this.clock = clock;
        }

        @Override
        public Instant instant() {
            clock.advance(Fsck.CHECKPOINT_INTERVAL);
            return clock.instant();
        }

        @Override
        public java.time.ZoneId getZone() {
            return clock.getZone();
        }

        @Override
        public java.time.Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
