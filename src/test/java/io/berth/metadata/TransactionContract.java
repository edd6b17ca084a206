package io.berth.metadata;

import static io.berth.metadata.MetadataStoreContract.digest;
import static io.berth.metadata.MetadataStoreContract.manifest;
import static io.berth.metadata.MetadataStoreContract.name;
import static io.berth.metadata.MetadataStoreContract.referrer;
import static io.berth.metadata.MetadataStoreContract.tag;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.berth.oci.Digest;
import io.berth.oci.RepositoryName;
import io.berth.oci.Tag;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The transaction part of the metadata contract: work commits as a whole or not at all, and
 * concurrent writers never lose each other's changes. {@link MetadataStoreContract} runs it on every backend.
 */
interface TransactionContract extends MetadataContractFixture {

    // --- transactions ---------------------------------------------------------------------------

    @Test
    default void transactionCommitsAndReturnsTheWorksResult() {
        Digest blob = digest("layer");

        String result = store().inTransaction(session -> {
            session.recordBlob(blob, 5);
            session.linkBlob(name("app"), blob);
            return "done";
        });

        assertThat(result).isEqualTo("done");
        assertThat(metadata().linkedBlobSize(name("app"), blob)).hasValue(5);
    }

    @Test
    default void transactionThatThrowsRollsBackEverything() {
        IllegalStateException failure = new IllegalStateException("the work failed");

        assertThatExceptionOfType(IllegalStateException.class)
                .isThrownBy(() -> store().inTransaction(session -> {
                    writeOneOfEverything(session);
                    throw failure;
                }))
                .isSameAs(failure);

        assertNothingOfEverythingWasWritten();
    }

    @Test
    default void transactionThatThrowsAnErrorRollsBackEverything() {
        AssertionError failure = new AssertionError("the work failed");

        assertThatExceptionOfType(AssertionError.class)
                .isThrownBy(() -> store().inTransaction(session -> {
                    writeOneOfEverything(session);
                    throw failure;
                }))
                .isSameAs(failure);

        assertNothingOfEverythingWasWritten();
    }

    @Test
    default void storeStaysUsableAfterARolledBackTransaction() {
        assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> store().inTransaction(session -> {
            session.recordBlob(digest("layer"), 5);
            throw new IllegalStateException("the work failed");
        }));

        Digest blob = recordedBlob("layer", 5);
        metadata().linkBlob(name("app"), blob);

        assertThat(metadata().linkedBlobSize(name("app"), blob)).hasValue(5);
    }

    @Test
    default void readersDoNotSeeAnUncommittedTransaction() throws Exception {
        Digest blob = recordedBlob("layer", 5);
        CountDownLatch linked = new CountDownLatch(1);
        CountDownLatch checked = new CountDownLatch(1);
        ExecutorService writer = Executors.newSingleThreadExecutor();
        try {
            Future<?> transaction = writer.submit(() -> store().inTransaction(session -> {
                session.linkBlob(name("app"), blob);
                linked.countDown();
                await(checked);
                return null;
            }));
            await(linked);

            OptionalLong duringTransaction = metadata().linkedBlobSize(name("app"), blob);
            checked.countDown();
            transaction.get(30, TimeUnit.SECONDS);

            assertThat(duringTransaction).isEmpty();
            assertThat(metadata().linkedBlobSize(name("app"), blob)).hasValue(5);
        } finally {
            checked.countDown();
            writer.shutdownNow();
        }
    }

    @Test
    default void concurrentWritersAllSucceed() throws Exception {
        int writers = 8;
        int transactionsPerWriter = 20;
        RepositoryName shared = name("shared");
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> results = new ArrayList<>();
            for (int writer = 0; writer < writers; writer++) {
                int id = writer;
                results.add(pool.submit(() -> {
                    await(start);
                    for (int i = 0; i < transactionsPerWriter; i++) {
                        String label = "writer " + id + " step " + i;
                        Tag ownTag = tag("w" + id + "-" + i);
                        Digest blob = digest(label);
                        ManifestRecord manifest = manifest(label);
                        store().inTransaction(session -> {
                            session.recordBlob(blob, label.length());
                            session.linkBlob(shared, blob);
                            session.linkBlob(name("writer" + id), blob);
                            session.putManifest(shared, manifest);
                            session.setTag(shared, ownTag, manifest.digest());
                            session.setTag(shared, tag("latest"), manifest.digest());
                            return null;
                        });
                        assertThat(metadata().linkedBlobSize(shared, blob)).hasValue(label.length());
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> result : results) {
                result.get(2, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(metadata().listTags(shared, Optional.empty(), 1000)).hasSize(writers * transactionsPerWriter + 1);
        assertThat(metadata().listRepositories(Optional.empty(), 1000)).as("only the shared one holds manifests")
                .containsExactly(shared);
        for (int writer = 0; writer < writers; writer++) {
            for (int i = 0; i < transactionsPerWriter; i++) {
                Digest blob = digest("writer " + writer + " step " + i);
                RepositoryName own = name("writer" + writer);
                assertThat(metadata().linkedBlobSize(own, blob)).isPresent();
            }
        }
    }


    // --- helpers --------------------------------------------------------------------------------

    Digest EVERYTHING_BLOB = digest("everything blob");

    ManifestRecord EVERYTHING_MANIFEST =
            referrer("everything manifest", digest("everything subject"), Optional.of("application/vnd.example.x"), Map.of());

    String EVERYTHING_UPLOAD = "8c1f0d7a-2b3c-4d5e-8f90-a1b2c3d4e5f6";

    private void writeOneOfEverything(MetadataSession session) {
        session.recordBlob(EVERYTHING_BLOB, 5);
        session.linkBlob(name("everything"), EVERYTHING_BLOB);
        session.putManifest(name("everything"), EVERYTHING_MANIFEST);
        session.setTag(name("everything"), tag("latest"), EVERYTHING_MANIFEST.digest());
        session.uploads().createUpload(new UploadRecord(EVERYTHING_UPLOAD, name("everything"), 0, clock().instant(), clock().instant()));
    }

    private void assertNothingOfEverythingWasWritten() {
        assertThat(metadata().blobSize(EVERYTHING_BLOB)).isEmpty();
        assertThat(metadata().linkedBlobSize(name("everything"), EVERYTHING_BLOB)).isEmpty();
        assertThat(metadata().manifestExists(name("everything"), EVERYTHING_MANIFEST.digest())).isFalse();
        assertThat(metadata().referrers(name("everything"), digest("everything subject"), Optional.empty())).isEmpty();
        assertThat(tags(name("everything"))).isEmpty();
        assertThat(metadata().uploads().upload(EVERYTHING_UPLOAD)).isEmpty();
        assertThat(metadata().repositoryExists(name("everything"))).isFalse();
        assertThat(metadata().listRepositories(Optional.empty(), 100)).isEmpty();
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("timed out waiting for another thread");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
