package io.berth.metadata;

import static io.berth.metadata.MetadataStoreContract.digest;
import static io.berth.metadata.MetadataStoreContract.name;
import static org.assertj.core.api.Assertions.assertThat;

import io.berth.oci.Digest;
import io.berth.oci.RepositoryName;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The lock order garbage collection's safety rests on ({@code docs/architecture.md}, "Lock order"):
 * a transaction that links a blob locks the blob's record before it writes the link, so that while a
 * blob review holds the record the link waits, and once the review removed the record the link is
 * refused by name — never written first and then rolled back by the foreign key, the order in which a
 * link and a removal can wait for each other. {@link MetadataStoreContract} runs it on every backend.
 */
interface LockOrderContract extends MetadataContractFixture {

    @Test
    default void aLinkWaitsForABlobReviewHoldingTheRecordAndIsRefusedOnceTheRecordIsGone() throws Exception {
        RepositoryName app = name("app");
        Digest blob = digest("layer");
        write(session -> session.recordBlob(blob, 5));
        ExecutorService threads = Executors.newCachedThreadPool();
        CountDownLatch reviewing = new CountDownLatch(1);
        CountDownLatch remove = new CountDownLatch(1);
        CompletableFuture<Void> review = CompletableFuture.runAsync(() -> store().inTransaction(session -> {
            assertThat(session.gc().lockBlob(blob)).hasValue(5);
            reviewing.countDown();
            await(remove);
            assertThat(session.gc().blobLinked(blob)).isFalse();
            session.gc().beginBlobDeletion(blob, 5, clock().instant());
            return null;
        }), threads);
        assertThat(reviewing.await(10, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<String> link = CompletableFuture.supplyAsync(() -> {
            try {
                store().inTransaction(session -> {
                    session.linkBlob(app, blob);
                    return null;
                });
                return "linked";
            } catch (MetadataException e) {
                return e.getMessage();
            }
        }, threads);
        Thread.sleep(300);
        boolean linkWaited = !link.isDone();
        remove.countDown();
        review.get(10, TimeUnit.SECONDS);
        threads.shutdown();

        assertThat(linkWaited).as("the link waits for the review that holds the blob's record").isTrue();
        assertThat(link.get(10, TimeUnit.SECONDS)).contains("blob " + blob + " is not recorded");
        assertThat(metadata().linkedBlobSize(app, blob)).isEmpty();
    }

    @Test
    default void aReviewQueuedWhileAPassHoldsItClaimedIsStillQueuedWhenThePassDropsIt() throws Exception {
        GcReview review = new GcReview(ReviewKind.LINK, 1, digest("layer").toString());
        java.time.Instant now = clock().instant();
        write(session -> session.gc().queue(review, now));
        ExecutorService threads = Executors.newCachedThreadPool();
        CountDownLatch claimed = new CountDownLatch(1);
        CountDownLatch drop = new CountDownLatch(1);
        // A pass claims the review and drops it on what it read before the other transaction's change.
        CompletableFuture<Void> pass = CompletableFuture.runAsync(() -> store().inTransaction(session -> {
            assertThat(session.gc().claimDue(ReviewKind.LINK, now, 10)).containsExactly(review);
            claimed.countDown();
            await(drop);
            session.gc().dropReview(review);
            return null;
        }), threads);
        assertThat(claimed.await(10, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<Void> queued = CompletableFuture.runAsync(() -> store().inTransaction(session -> {
            session.gc().queue(review, now);
            return null;
        }), threads);
        Thread.sleep(300);
        boolean queueWaited = !queued.isDone();
        drop.countDown();
        pass.get(10, TimeUnit.SECONDS);
        queued.get(10, TimeUnit.SECONDS);
        threads.shutdown();

        assertThat(queueWaited).as("queueing waits for the pass that holds the review").isTrue();
        assertThat(metadata().gc().claimDue(ReviewKind.LINK, now, 10))
                .as("the change after the pass's reading is reviewed again").containsExactly(review);
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
