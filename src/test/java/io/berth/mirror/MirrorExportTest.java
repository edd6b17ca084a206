package io.berth.mirror;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.berth.metadata.MetadataStore;
import io.berth.metadata.SqlMetadataStore;
import io.berth.oci.Digest;
import io.berth.oci.DigestAlgorithm;
import io.berth.oci.RepositoryName;
import io.berth.storage.BlobLayout;
import io.berth.storage.BlobReader;
import io.berth.storage.FilesystemBlobStore;
import io.berth.storage.InMemoryBlobStore;
import io.berth.storage.UploadId;
import io.berth.storage.UploadStaging;
import io.berth.testing.MutableClock;
import io.berth.testing.TestBlob;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The export writes the mirror tree from a real SQLite metadata store: each run starts a generation
 * with the blobs no generation holds, brings every generation missing from the directory into it
 * (hard links from a filesystem store on the same file system, verified copies from any other store),
 * writes the generation lists, publishes them, and writes the current generation last.
 */
class MirrorExportTest {
    private static final String TEMPORARY_PREFIX = ".berth-export-";
    private static final RepositoryName RELEASED = new RepositoryName("fedora/app");
    private static final RepositoryName CANDIDATE = new RepositoryName("candidate/app");
    private static final ExportScope RELEASES_ONLY = ExportScope.matching(List.of("fedora/**"));

    @TempDir
    Path temporary;

    private final MutableClock clock = new MutableClock(Instant.parse("2025-03-01T12:00:00Z"));
    private MetadataStore metadata;
    private BlobLayout layout;
    private FilesystemBlobStore store;
    private Path tree;

    @BeforeEach
    void open() throws IOException {
        metadata = SqlMetadataStore.openSqlite(temporary.resolve("berth.db"), clock);
        layout = new BlobLayout(temporary.resolve("store"));
        store = new FilesystemBlobStore(layout);
        tree = temporary.resolve("tree");
    }

    @AfterEach
    void close() {
        metadata.close();
    }

    @Test
    void theFirstExportStartsGenerationOneWithEveryBlobHardLinkedFromTheStore() throws IOException {
        TestBlob config = pushed(store, TestBlob.of("config"));
        TestBlob layer = pushed(store, TestBlob.random(70_000, 1));

        MirrorExport.Result result = export(store);

        assertThat(result.newGeneration()).hasValue(1);
        assertThat(result.generation()).hasValue(1);
        assertThat(result.linked()).isEqualTo(2);
        assertThat(result.copied()).isZero();
        assertThat(result.copiedBytes()).isZero();
        for (TestBlob blob : List.of(config, layer)) {
            String hex = blob.digest().encoded();
            Path exported = tree.resolve("blobs/sha256/" + hex.substring(0, 2) + "/" + hex);
            assertThat(exported).hasBinaryContent(blob.content());
            assertThat(inode(exported)).as("a hard link to the store's file").isEqualTo(inode(layout.blob(blob.digest())));
        }
    }

    @Test
    void onlyBlobsARepositoryInScopeLinksEnterTheTree() throws IOException {
        TestBlob released = pushed(store, TestBlob.of("released layer"));
        TestBlob candidate = pushed(store, TestBlob.of("candidate layer"), CANDIDATE);
        TestBlob shared = pushed(store, TestBlob.of("shared layer"), CANDIDATE);
        recorded(shared, RELEASED);

        MirrorExport.Result result = new MirrorExport(metadata, store, clock, MirrorExport.DEFAULT_REMOVED_BLOB_GRACE,
                RELEASES_ONLY).export(tree, ExportProgress.silent());

        assertThat(result.newGeneration()).hasValue(1);
        assertThat(result.linked()).isEqualTo(2);
        assertThat(tree.resolve(SyncIndex.blobPath(released.digest()))).hasBinaryContent(released.content());
        assertThat(tree.resolve(SyncIndex.blobPath(shared.digest()))).hasBinaryContent(shared.content());
        assertThat(tree.resolve(SyncIndex.blobPath(candidate.digest()))).as("only a candidate links it").doesNotExist();
        assertThat(Files.readString(tree.resolve(SyncIndex.generationListPath(1)))).doesNotContain(candidate.digest().encoded());
    }

    @Test
    void aCandidateBlobEntersTheTreeOnceARepositoryInScopeLinksIt() throws IOException {
        TestBlob candidate = pushed(store, TestBlob.of("promoted later"), CANDIDATE);
        MirrorExport releasesOnly = new MirrorExport(metadata, store, clock, MirrorExport.DEFAULT_REMOVED_BLOB_GRACE, RELEASES_ONLY);
        assertThat(releasesOnly.export(tree, ExportProgress.silent()).newGeneration()).as("nothing in scope").isEmpty();

        recorded(candidate, RELEASED);
        MirrorExport.Result afterPromotion = releasesOnly.export(tree, ExportProgress.silent());

        assertThat(afterPromotion.newGeneration()).hasValue(1);
        assertThat(tree.resolve(SyncIndex.blobPath(candidate.digest()))).hasBinaryContent(candidate.content());
    }

    @Test
    void theGenerationFileStatesTheGenerationAndANewline() throws IOException {
        pushed(store, TestBlob.of("config"));

        export(store);

        assertThat(generationFile(tree)).isEqualTo("1\n");
    }

    @Test
    void aGenerationsListHasOneDigestAndSizePerLineInDigestOrder() throws IOException {
        List<TestBlob> blobs = List.of(pushed(store, TestBlob.of("config")), pushed(store, TestBlob.random(70_000, 1)),
                pushed(store, TestBlob.of("")));

        export(store);

        String expected = blobs.stream()
                .sorted(Comparator.comparing(blob -> blob.digest().toString()))
                .map(blob -> blob.digest() + " " + blob.size() + "\n")
                .collect(Collectors.joining());
        assertThat(Files.readString(tree.resolve("berth-sync/generations/1"))).isEqualTo(expected);
    }

    @Test
    void anExportPublishesTheGenerationsItWrote() throws IOException {
        pushed(store, TestBlob.of("config"));
        assertThat(latestPublishedGeneration()).isEmpty();

        export(store);

        assertThat(latestPublishedGeneration()).hasValue(1);
    }

    @Test
    void anExportWithoutNewBlobsStartsNoGenerationAndChangesNoFile() throws IOException {
        pushed(store, TestBlob.of("config"));
        pushed(store, TestBlob.random(70_000, 1));
        export(store);
        Map<String, String> before = contents(tree);

        MirrorExport.Result again = export(store);

        assertThat(again.newGeneration()).isEmpty();
        assertThat(again.generation()).hasValue(1);
        assertThat(again.linked() + again.copied() + again.present()).as("no blob was touched").isZero();
        assertThat(contents(tree)).isEqualTo(before);
        assertThat(generations()).containsExactly(1L);
    }

    @Test
    void anExportOfAnEmptyStoreWritesNoGeneration() {
        MirrorExport.Result result = export(store);

        assertThat(result.newGeneration()).isEmpty();
        assertThat(result.generation()).isEmpty();
        assertThat(tree.resolve("berth-sync/generation")).doesNotExist();
        assertThat(latestPublishedGeneration()).isEmpty();
    }

    @Test
    void aNewBlobMakesGenerationTwoHoldingOnlyIt() throws IOException {
        pushed(store, TestBlob.of("config"));
        export(store);
        String firstList = Files.readString(tree.resolve("berth-sync/generations/1"));
        TestBlob later = pushed(store, TestBlob.of("pushed later"));

        MirrorExport.Result result = export(store);

        assertThat(result.newGeneration()).hasValue(2);
        assertThat(result.generation()).hasValue(2);
        assertThat(result.linked()).as("only the new blob").isEqualTo(1);
        assertThat(Files.readString(tree.resolve("berth-sync/generations/2")))
                .isEqualTo(later.digest() + " " + later.size() + "\n");
        assertThat(Files.readString(tree.resolve("berth-sync/generations/1"))).isEqualTo(firstList);
        assertThat(generationFile(tree)).isEqualTo("2\n");
        assertThat(tree.resolve(SyncIndex.blobPath(later.digest()))).hasBinaryContent(later.content());
        assertThat(latestPublishedGeneration()).hasValue(2);
    }

    @Test
    void aFreshDirectoryReceivesTheWholeTreeOfEveryGeneration() throws IOException {
        List<TestBlob> blobs = List.of(pushed(store, TestBlob.of("config")), pushed(store, TestBlob.random(70_000, 1)));
        export(store);
        TestBlob later = pushed(store, TestBlob.of("pushed later"));
        export(store);
        Path fresh = temporary.resolve("fresh-tree");

        MirrorExport.Result result = new MirrorExport(metadata, store, clock).export(fresh, ExportProgress.silent());

        assertThat(result.newGeneration()).isEmpty();
        assertThat(result.generation()).hasValue(2);
        assertThat(result.linked()).isEqualTo(3);
        assertThat(contents(fresh)).isEqualTo(contents(tree));
        for (TestBlob blob : Stream.concat(blobs.stream(), Stream.of(later)).toList()) {
            assertThat(fresh.resolve(SyncIndex.blobPath(blob.digest()))).hasBinaryContent(blob.content());
        }
    }

    @Test
    void aRunThatStoppedBeforeWritingAGenerationsListIsCompletedByTheNext() throws IOException {
        TestBlob config = pushed(store, TestBlob.of("config"));
        pushed(store, TestBlob.random(70_000, 1));
        export(store);
        Map<String, String> complete = contents(tree);
        Files.delete(tree.resolve("berth-sync/generations/1"));
        Files.delete(tree.resolve(SyncIndex.blobPath(config.digest())));

        MirrorExport.Result result = export(store);

        assertThat(result.linked()).as("the blob that was missing").isEqualTo(1);
        assertThat(result.present()).as("the blob already there").isEqualTo(1);
        assertThat(contents(tree)).isEqualTo(complete);
    }

    @Test
    void blobsOfAStoreWithoutLocalFilesAreCopiedAndVerified() throws IOException {
        InMemoryBlobStore memory = new InMemoryBlobStore();
        TestBlob config = pushed(memory, TestBlob.of("config"));
        TestBlob layer = pushed(memory, TestBlob.random(200_000, 2));

        MirrorExport.Result result = export(memory);

        assertThat(result.copied()).isEqualTo(2);
        assertThat(result.linked()).isZero();
        assertThat(result.copiedBytes()).isEqualTo(config.size() + layer.size());
        assertThat(tree.resolve(SyncIndex.blobPath(config.digest()))).hasBinaryContent(config.content());
        assertThat(tree.resolve(SyncIndex.blobPath(layer.digest()))).hasBinaryContent(layer.content());
        assertThat(generationFile(tree)).isEqualTo("1\n");
        assertThat(temporaryFiles(tree)).isEmpty();
    }

    @Test
    void aStoreReturningOtherBytesFailsTheExportWithoutLeavingAFileAtTheBlobsPath() throws IOException {
        InMemoryBlobStore memory = new InMemoryBlobStore();
        pushed(memory, TestBlob.of("config"));
        TestBlob corrupted = pushed(memory, TestBlob.random(70_000, 3));
        BlobReader lying = new CorruptingBlobReader(memory, corrupted.digest());

        assertThatExceptionOfType(UncheckedIOException.class)
                .isThrownBy(() -> export(lying))
                .withMessageContaining(corrupted.digest().toString());

        assertThat(tree.resolve(SyncIndex.blobPath(corrupted.digest()))).doesNotExist();
        assertThat(temporaryFiles(tree)).isEmpty();
        assertThat(tree.resolve("berth-sync/generations/1")).doesNotExist();
        assertThat(tree.resolve("berth-sync/generation")).doesNotExist();
        assertThat(latestPublishedGeneration()).as("a generation is published only when all of it is there").isEmpty();
    }

    @Test
    void theExportAfterAFailedOneFinishesTheGenerationThatFailed() throws IOException {
        InMemoryBlobStore memory = new InMemoryBlobStore();
        TestBlob config = pushed(memory, TestBlob.of("config"));
        TestBlob corrupted = pushed(memory, TestBlob.random(70_000, 3));
        assertThatExceptionOfType(UncheckedIOException.class)
                .isThrownBy(() -> export(new CorruptingBlobReader(memory, corrupted.digest())));

        MirrorExport.Result result = export(memory);

        assertThat(result.newGeneration()).as("started by the failed run").isEmpty();
        assertThat(result.generation()).hasValue(1);
        assertThat(tree.resolve(SyncIndex.blobPath(corrupted.digest()))).hasBinaryContent(corrupted.content());
        assertThat(tree.resolve(SyncIndex.blobPath(config.digest()))).hasBinaryContent(config.content());
        assertThat(generationFile(tree)).isEqualTo("1\n");
        assertThat(latestPublishedGeneration()).hasValue(1);
    }

    @Test
    void aBlobRecordedButMissingFromTheStoreFailsTheExport() {
        TestBlob missing = TestBlob.of("recorded, never committed");
        recorded(missing);

        assertThatExceptionOfType(UncheckedIOException.class)
                .isThrownBy(() -> export(store))
                .withMessageContaining(missing.digest().toString());
        assertThat(latestPublishedGeneration()).isEmpty();
    }

    @Test
    void progressIsToldTheTotalsEveryBlobAndTheEnd() throws IOException {
        TestBlob config = pushed(store, TestBlob.of("config"));
        TestBlob layer = pushed(store, TestBlob.random(70_000, 1));
        RecordingProgress progress = new RecordingProgress();

        new MirrorExport(metadata, store, clock).export(tree, progress);

        assertThat(progress.events).hasSize(4);
        assertThat(progress.events.getFirst()).isEqualTo("started 2 blobs, " + (config.size() + layer.size()) + " bytes");
        assertThat(progress.events.subList(1, 3))
                .containsExactlyInAnyOrder("advanced " + config.size(), "advanced " + layer.size());
        assertThat(progress.events.getLast()).isEqualTo("finished");
    }

    @Test
    void theFileOfABlobGarbageCollectionRemovedLeavesTheTreeAfterTheGraceUnlessPushedAgain() throws IOException {
        TestBlob removed = pushed(store, TestBlob.of("removed by garbage collection"));
        TestBlob returned = pushed(store, TestBlob.of("removed, then pushed again"));
        TestBlob kept = pushed(store, TestBlob.of("still referenced"));
        export(store);
        removeAsGarbageCollectionDoes(removed);
        removeAsGarbageCollectionDoes(returned);
        pushed(store, returned);
        Duration grace = Duration.ofHours(48);

        clock.advance(grace.minusMinutes(1));
        assertThat(new MirrorExport(metadata, store, clock, grace, ExportScope.EVERYTHING).export(tree, ExportProgress.silent()).dropped())
                .as("within the grace, mirrors may still be listing it").isZero();
        assertThat(tree.resolve(SyncIndex.blobPath(removed.digest()))).exists();

        clock.advance(Duration.ofMinutes(2));
        MirrorExport.Result result = new MirrorExport(metadata, store, clock, grace, ExportScope.EVERYTHING).export(tree, ExportProgress.silent());

        assertThat(result.dropped()).isEqualTo(1);
        assertThat(tree.resolve(SyncIndex.blobPath(removed.digest()))).doesNotExist();
        assertThat(tree.resolve(SyncIndex.blobPath(returned.digest()))).hasBinaryContent(returned.content());
        assertThat(tree.resolve(SyncIndex.blobPath(kept.digest()))).hasBinaryContent(kept.content());
        assertThat(metadata.<List<io.berth.metadata.RemovedBlob>>read(session -> session.gc().removalsBefore(clock.instant(), 10))).as("the removals are forgotten").isEmpty();
    }

    /** Link, then record, then bytes, as garbage collection removes a blob its repository no longer needs. */
    private void removeAsGarbageCollectionDoes(TestBlob blob) throws IOException {
        metadata.inTransaction(session -> {
            session.unlinkBlob(RELEASED, blob.digest());
            session.gc().beginBlobDeletion(blob.digest(), blob.size(), clock.instant());
            return null;
        });
        store.delete(blob.digest());
        metadata.inTransaction(session -> {
            session.gc().finishBlobDeletion(blob.digest(), blob.size(), clock.instant());
            return null;
        });
    }

    private MirrorExport.Result export(BlobReader blobs) {
        return new MirrorExport(metadata, blobs, clock).export(tree, ExportProgress.silent());
    }

    /** Commits a blob through the store's upload staging and records it, as a push does. */
    private TestBlob pushed(UploadStaging staging, TestBlob blob) throws IOException {
        return pushed(staging, blob, RELEASED);
    }

    /** As {@link #pushed(UploadStaging, TestBlob)}, into {@code repository}. */
    private TestBlob pushed(UploadStaging staging, TestBlob blob, RepositoryName repository) throws IOException {
        UploadId upload = UploadId.random();
        staging.create(upload);
        staging.append(upload, 0, new ByteArrayInputStream(blob.content()));
        staging.commit(upload, staging.staged(upload).orElseThrow(), blob.digest());
        return recorded(blob, repository);
    }

    private TestBlob recorded(TestBlob blob) {
        return recorded(blob, RELEASED);
    }

    /** Records a blob and links it into {@code repository}, as a push there does. */
    private TestBlob recorded(TestBlob blob, RepositoryName repository) {
        metadata.inTransaction(session -> {
            session.recordBlob(blob.digest(), blob.size());
            session.linkBlob(repository, blob.digest());
            return null;
        });
        return blob;
    }

    private OptionalLong latestPublishedGeneration() {
        return metadata.read(session -> session.mirrors().latestPublishedMirrorGeneration());
    }

    private List<Long> generations() {
        return metadata.read(session -> session.mirrors().mirrorGenerations());
    }

    private static String generationFile(Path root) throws IOException {
        return Files.readString(root.resolve("berth-sync/generation"));
    }

    private static Object inode(Path file) throws IOException {
        return Files.getAttribute(file, "unix:ino");
    }

    /** Every regular file under {@code root} by its relative path, with the digest and size of its content. */
    private static Map<String, String> contents(Path root) throws IOException {
        Map<String, String> contents = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                byte[] bytes = Files.readAllBytes(file);
                contents.put(root.relativize(file).toString().replace('\\', '/'),
                        Digest.of(DigestAlgorithm.SHA256, bytes) + " (" + bytes.length + " bytes)");
            }
        }
        return contents;
    }

    private static List<Path> temporaryFiles(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(file -> file.getFileName().toString().startsWith(TEMPORARY_PREFIX)).toList();
        }
    }

    /** Reads one blob back with its first byte changed, as a store with a damaged disk would. */
    private record CorruptingBlobReader(BlobReader honest, Digest corrupted) implements BlobReader {
        @Override
        public OptionalLong size(Digest digest) throws IOException {
            return honest.size(digest);
        }

        @Override
        public InputStream open(Digest digest, long offset, long length) throws IOException {
            try (InputStream in = honest.open(digest, offset, length)) {
                byte[] bytes = in.readAllBytes();
                if (digest.equals(corrupted) && bytes.length > 0) {
                    bytes[0] ^= 0x01;
                }
                return new ByteArrayInputStream(bytes);
            }
        }
    }

    /** Writes down what an export reports, in order. */
    private static final class RecordingProgress implements ExportProgress {
        final List<String> events = new ArrayList<>();

        @Override
        public void started(long blobs, long bytes) {
            events.add("started " + blobs + " blobs, " + bytes + " bytes");
        }

        @Override
        public void advanced(long bytes) {
            events.add("advanced " + bytes);
        }

        @Override
        public void finished() {
            events.add("finished");
        }
    }
}
