package io.berth.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.berth.oci.Digest;
import io.berth.oci.DigestAlgorithm;
import io.berth.testing.TestBlob;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The filesystem store passes the blob store contract, and keeps the on-disk layout that
 * {@link BlobLayout} draws: {@code blobs/<algorithm>/<first two hex>/<hex>} for committed blobs,
 * {@code uploads/<id>/data} for staged bytes, and nothing under {@code blobs/} that was not committed.
 */
class FilesystemBlobStoreTest extends BlobStoreContract {
    @TempDir
    Path root;

    private BlobLayout layout;

    @Override
    protected BlobStore openStore() throws IOException {
        layout = new BlobLayout(root);
        return new FilesystemBlobStore(layout);
    }

    @Override
    protected boolean hasStaging(UploadId id) {
        return Files.exists(layout.uploadDirectory(id));
    }

    @Override
    protected void damageBlob(Digest digest, byte[] content) throws IOException {
        Files.createDirectories(layout.blob(digest).getParent());
        Files.write(layout.blob(digest), content);
    }

    @Test
    void sha256BlobLivesUnderBlobsSha256AndItsFirstTwoHex() throws IOException {
        TestBlob blob = committed(TestBlob.of("layer"));
        String hex = blob.digest().encoded();

        Path expected = root.resolve("blobs").resolve("sha256").resolve(hex.substring(0, 2)).resolve(hex);
        assertThat(expected).isRegularFile().hasBinaryContent(blob.content());
        assertThat(layout.blob(blob.digest())).isEqualTo(expected.toAbsolutePath().normalize());
    }

    @Test
    void sha512BlobLivesUnderBlobsSha512() throws IOException {
        byte[] content = text("layer hashed with sha512");
        Digest digest = Digest.of(DigestAlgorithm.SHA512, content);
        UploadId upload = stagedUpload(content);

        commit(upload, digest);

        String hex = digest.encoded();
        assertThat(root.resolve("blobs/sha512").resolve(hex.substring(0, 2)).resolve(hex)).hasBinaryContent(content);
    }

    @Test
    void nothingAppearsUnderBlobsBeforeCommit() throws IOException {
        TestBlob blob = TestBlob.random(10_000, 5);

        UploadId upload = stagedUpload(blob.content());

        assertThat(filesUnder(root.resolve("blobs"))).isEmpty();
        assertThat(root.resolve("uploads").resolve(upload.value()).resolve("data")).hasBinaryContent(blob.content());
    }

    @Test
    void commitMovesTheStagedFileAndLeavesNoUploadBehind() throws IOException {
        TestBlob blob = TestBlob.of("moved");
        UploadId upload = stagedUpload(blob.content());

        commit(upload, blob.digest());

        assertThat(filesUnder(root.resolve("blobs"))).containsExactly(layout.blob(blob.digest()));
        assertThat(filesUnder(root.resolve("uploads"))).isEmpty();
        assertThat(root.resolve("uploads").resolve(upload.value())).doesNotExist();
    }

    @Test
    void commitOfAnAlreadyHeldDigestLeavesExactlyOneFile() throws IOException {
        TestBlob blob = committed(TestBlob.of("twice"));
        UploadId again = stagedUpload(blob.content());

        commit(again, blob.digest());

        assertThat(filesUnder(root.resolve("blobs"))).containsExactly(layout.blob(blob.digest()));
        assertThat(filesUnder(root.resolve("uploads"))).isEmpty();
    }

    @Test
    void localFileIsTheCommittedBlobsFile() throws IOException {
        TestBlob blob = TestBlob.of("served with zero-copy transfer");
        FilesystemBlobStore files = (FilesystemBlobStore) store;
        assertThat(files.localFile(blob.digest())).isEmpty();

        committed(blob);

        assertThat(files.localFile(blob.digest())).contains(layout.blob(blob.digest()));
    }

    @Test
    void stagingRemovedBehindTheStoresBackIsLostAndNeverRecreated() throws IOException {
        UploadId upload = stagedUpload(text("hello"));
        deleteRecursively(layout.uploadDirectory(upload));

        assertThatExceptionOfType(StagingLost.class).isThrownBy(() -> store.append(upload, 5, stream(text("!"))));
        assertThatExceptionOfType(StagingLost.class).isThrownBy(() -> store.append(upload, 0, stream(text("again"))));
        assertThat(layout.uploadDirectory(upload)).doesNotExist();
    }

    /** Two stores over one folder stand for two nodes: their appends to one upload never interleave. */
    @Test
    void concurrentAppendsAtOneOffsetFromTwoStoresLetExactlyOneIn() throws Exception {
        FilesystemBlobStore other = new FilesystemBlobStore(new BlobLayout(root));
        UploadId upload = stagedUpload(text("base-"));
        byte[] first = TestBlob.random(3_000_000, 21).content();
        byte[] second = TestBlob.random(3_000_000, 22).content();
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        try (var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            var one = threads.submit(() -> {
                start.await();
                return store.append(upload, 5, stream(first));
            });
            var two = threads.submit(() -> {
                start.await();
                return other.append(upload, 5, stream(second));
            });
            start.countDown();
            List<Object> outcomes = new java.util.ArrayList<>();
            for (var future : List.of(one, two)) {
                try {
                    outcomes.add(future.get());
                } catch (java.util.concurrent.ExecutionException e) {
                    outcomes.add(e.getCause());
                }
            }
            assertThat(outcomes).filteredOn(Appended.class::isInstance).hasSize(1);
            assertThat(outcomes).filteredOn(StagingConflict.class::isInstance).hasSize(1);
            byte[] winner = outcomes.get(0) instanceof Appended ? first : second;
            byte[] expected = java.nio.ByteBuffer.allocate(5 + winner.length).put(text("base-")).put(winner).array();
            assertThat(staged(upload)).isEqualTo(expected);
        }
    }

    @Test
    void openingCreatesTheBlobsAndUploadsFolders() {
        assertThat(root.resolve("blobs")).isDirectory();
        assertThat(root.resolve("uploads")).isDirectory();
    }

    @Test
    void theWriteProbeLeavesNothingBehindAndIsNoUpload() throws IOException {
        store.probe();
        store.probe();

        assertThat(filesUnder(root.resolve("uploads"))).isEmpty();
        assertThat(store.stagedUploads()).isEmpty();
    }

    private static List<Path> filesUnder(Path directory) throws IOException {
        try (Stream<Path> paths = Files.walk(directory)) {
            return paths.filter(Files::isRegularFile).toList();
        }
    }

    private static void deleteRecursively(Path directory) throws IOException {
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
