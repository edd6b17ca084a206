package io.berth.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.berth.oci.Digest;
import io.berth.testing.TestBlob;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The {@link BlobInventory} part of the blob store contract, which {@code berth fsck} relies on:
 * committed blobs are listed in digest order a page at a time, so that a check can resume after
 * the last digest it verified; a quarantined blob is out of service but its bytes are kept, and the
 * same digest can be pushed again. {@link BlobStoreContract} runs it on every store. Stores may be
 * shared between tests (an object store's bucket), so each test looks only at the blobs it made.
 */
interface BlobInventoryContract {

    /** The store under test, fresh for each test. */
    BlobStore storeUnderTest();

    private BlobInventory inventory() {
        return (BlobInventory) storeUnderTest();
    }

    /** Uploads and commits the blob as the store's contract does. */
    TestBlob commitBlob(TestBlob blob) throws IOException;

    private List<CommittedBlob> everything(int pageSize) throws IOException {
        List<CommittedBlob> all = new ArrayList<>();
        Optional<Digest> after = Optional.empty();
        while (true) {
            List<CommittedBlob> page = inventory().committedBlobs(after, pageSize);
            assertThat(page).hasSizeLessThanOrEqualTo(pageSize);
            if (page.isEmpty()) {
                return all;
            }
            all.addAll(page);
            after = Optional.of(page.getLast().digest());
        }
    }

    @Test
    default void committedBlobsAreListedInDigestOrderWithTheirSizes() throws IOException {
        List<TestBlob> ours = List.of(commitBlob(TestBlob.random(10, 101)), commitBlob(TestBlob.random(2000, 102)),
                commitBlob(TestBlob.random(0, 103)), commitBlob(TestBlob.of("inventory")));
        UploadId staged = UploadId.random();
        storeUnderTest().create(staged);
        storeUnderTest().append(staged, 0, new ByteArrayInputStream("staged, not committed".getBytes()));

        List<CommittedBlob> listed = everything(1000);

        assertThat(listed).extracting(CommittedBlob::digest).isSortedAccordingTo(BlobInventory.DIGEST_ORDER);
        assertThat(listed).containsAll(ours.stream().map(blob -> new CommittedBlob(blob.digest(), blob.size())).toList());
        assertThat(listed).extracting(CommittedBlob::digest)
                .doesNotContain(TestBlob.of("staged, not committed").digest());
    }

    @Test
    default void aWalkResumesStrictlyAfterTheDigestItReached() throws IOException {
        List<Digest> ours = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ours.add(commitBlob(TestBlob.random(100 + i, 200 + i)).digest());
        }
        ours.sort(BlobInventory.DIGEST_ORDER);

        List<CommittedBlob> afterSecond = inventory().committedBlobs(Optional.of(ours.get(1)), 1000);

        assertThat(afterSecond).extracting(CommittedBlob::digest)
                .doesNotContain(ours.get(0), ours.get(1))
                .contains(ours.get(2), ours.get(3), ours.get(4))
                .allMatch(digest -> BlobInventory.DIGEST_ORDER.compare(digest, ours.get(1)) > 0);
        assertThat(everything(2)).extracting(CommittedBlob::digest).as("pages of two")
                .isSortedAccordingTo(BlobInventory.DIGEST_ORDER).doesNotHaveDuplicates().containsAll(ours);
    }

    @Test
    default void aQuarantinedBlobIsOutOfServiceAndCanBePushedAgain() throws IOException {
        TestBlob blob = commitBlob(TestBlob.random(5000, 301));

        Optional<String> where = inventory().quarantine(blob.digest());

        assertThat(where).isPresent();
        assertThat(inventory().size(blob.digest())).isEmpty();
        assertThatExceptionOfType(NoSuchFileException.class)
                .isThrownBy(() -> inventory().open(blob.digest(), 0, 1).close());
        assertThat(everything(1000)).extracting(CommittedBlob::digest).doesNotContain(blob.digest());

        commitBlob(blob);
        assertThat(inventory().size(blob.digest())).hasValue(blob.size());
        try (InputStream in = inventory().open(blob.digest(), 0, blob.size())) {
            assertThat(in.readAllBytes()).isEqualTo(blob.content());
        }
    }

    @Test
    default void aSecondQuarantineOfTheSameDigestKeepsTheFirst() throws IOException {
        TestBlob blob = commitBlob(TestBlob.random(700, 302));
        String first = inventory().quarantine(blob.digest()).orElseThrow();
        commitBlob(blob);

        String second = inventory().quarantine(blob.digest()).orElseThrow();

        assertThat(second).isNotEqualTo(first);
    }

    @Test
    default void quarantiningABlobTheStoreDoesNotHoldDoesNothing() throws IOException {
        assertThat(inventory().quarantine(TestBlob.of("never stored, never quarantined").digest())).isEmpty();
    }
}
