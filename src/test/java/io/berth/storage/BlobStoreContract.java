package io.berth.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIOException;

import io.berth.oci.Digest;
import io.berth.oci.DigestAlgorithm;
import io.berth.testing.TestBlob;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link BlobStore} must have, whatever keeps the bytes (a filesystem, an object
 * store, memory). A store's test extends this class, says how to open a fresh, empty store and how
 * to tell whether an upload still has staged bytes; every test here then runs against it.
 *
 * <p>The contract is that of {@link BlobReader} and {@link UploadStaging}: staged bytes grow only
 * at their end, a failed append leaves them as they were, and bytes become a readable blob only by
 * {@link UploadStaging#commit}. This backs the distribution spec's resumable chunked uploads
 * ("Pushing a blob in chunks") and "Content Verification": the registry verifies the digest before
 * it commits, so nothing unverified is ever served.
 */
public abstract class BlobStoreContract implements BlobInventoryContract {
    protected BlobStore store;

    /** Opens a new, empty store. */
    protected abstract BlobStore openStore() throws IOException;

    /** True while the store keeps anything (even empty staging) for upload {@code id}. */
    protected abstract boolean hasStaging(UploadId id) throws IOException;

    /** Puts {@code content} where the store keeps blob {@code digest}, bypassing verification. */
    protected abstract void damageBlob(Digest digest, byte[] content) throws IOException;

    @BeforeEach
    void openTheStore() throws IOException {
        store = openStore();
    }

    @Override
    public final BlobStore storeUnderTest() {
        return store;
    }

    @Override
    public final TestBlob commitBlob(TestBlob blob) throws IOException {
        return committed(blob);
    }

    // --- committing and reading -----------------------------------------------------------------

    @Test
    void committedUploadIsReadableWithItsSizeAndBytes() throws IOException {
        TestBlob blob = TestBlob.random(100_000, 1);
        UploadId upload = UploadId.random();

        store.create(upload);
        assertThat(store.append(upload, 0, stream(blob.content())).after().size()).isEqualTo(blob.size());
        commit(upload, blob.digest());

        assertThat(store.size(blob.digest())).hasValue(blob.size());
        assertThat(read(blob.digest(), 0, blob.size())).isEqualTo(blob.content());
    }

    @Test
    void appendsAccumulateInOrder() throws IOException {
        byte[] first = text("first chunk, ");
        byte[] second = text("second chunk, ");
        byte[] third = text("third chunk");
        TestBlob whole = TestBlob.of("first chunk, second chunk, third chunk");
        UploadId upload = UploadId.random();
        store.create(upload);

        assertThat(store.append(upload, 0, stream(first)).after().size()).isEqualTo(13);
        assertThat(store.append(upload, 13, stream(second)).after().size()).isEqualTo(27);
        assertThat(store.append(upload, 27, stream(third)).after().size()).isEqualTo(38);
        assertThat(staged(upload)).isEqualTo(whole.content());

        commit(upload, whole.digest());
        assertThat(read(whole.digest(), 0, whole.size())).isEqualTo(whole.content());
    }

    @Test
    void emptyAppendChangesNothing() throws IOException {
        UploadId upload = stagedUpload(text("hello"));

        assertThat(store.append(upload, 5, InputStream.nullInputStream()).after().size()).isEqualTo(5);

        assertThat(staged(upload)).isEqualTo(text("hello"));
    }

    @Test
    void emptyBlobCanBeCommitted() throws IOException {
        Digest empty = Digest.of(DigestAlgorithm.SHA256, new byte[0]);
        UploadId upload = UploadId.random();
        store.create(upload);

        commit(upload, empty);

        assertThat(store.size(empty)).hasValue(0);
        assertThat(read(empty, 0, 0)).isEmpty();
    }

    @Test
    void rangedOpenReadsExactlyTheRequestedBytes() throws IOException {
        TestBlob blob = committed(TestBlob.random(1000, 2));
        byte[] content = blob.content();

        assertThat(read(blob.digest(), 10, 20)).isEqualTo(Arrays.copyOfRange(content, 10, 30));
        assertThat(read(blob.digest(), 0, 1)).isEqualTo(Arrays.copyOfRange(content, 0, 1));
        assertThat(read(blob.digest(), 999, 1)).isEqualTo(Arrays.copyOfRange(content, 999, 1000));
        assertThat(read(blob.digest(), 500, 500)).isEqualTo(Arrays.copyOfRange(content, 500, 1000));
        assertThat(read(blob.digest(), 500, 0)).isEmpty();
    }

    @Test
    void sizeOfAnUnknownBlobIsEmpty() throws IOException {
        assertThat(store.size(TestBlob.of("never stored").digest())).isEmpty();
    }

    @Test
    void openingAnUnknownBlobFailsWithNoSuchFile() {
        assertThatExceptionOfType(NoSuchFileException.class)
                .isThrownBy(() -> store.open(TestBlob.of("never stored").digest(), 0, 1).close());
    }

    @Test
    void stagedBytesAreNoBlobBeforeCommit() throws IOException {
        TestBlob blob = TestBlob.of("not yet verified");

        stagedUpload(blob.content());

        assertThat(store.size(blob.digest())).isEmpty();
    }

    @Test
    void commitRemovesTheStaging() throws IOException {
        TestBlob blob = TestBlob.of("content");
        UploadId upload = stagedUpload(blob.content());
        assertThat(hasStaging(upload)).isTrue();

        commit(upload, blob.digest());

        assertThat(hasStaging(upload)).isFalse();
    }

    @Test
    void commitOfAnAlreadyHeldDigestKeepsOneCopyAndRemovesTheStaging() throws IOException {
        TestBlob blob = committed(TestBlob.random(4096, 3));
        UploadId again = stagedUpload(blob.content());

        commit(again, blob.digest());

        assertThat(hasStaging(again)).isFalse();
        assertThat(store.size(blob.digest())).hasValue(blob.size());
        assertThat(read(blob.digest(), 0, blob.size())).isEqualTo(blob.content());
    }

    @Test
    void uploadSessionsAreIndependent() throws IOException {
        TestBlob first = TestBlob.of("aaaa-bbbb");
        TestBlob second = TestBlob.of("cccc-dddd");
        UploadId one = UploadId.random();
        UploadId two = UploadId.random();
        store.create(one);
        store.create(two);

        store.append(one, 0, stream(text("aaaa")));
        store.append(two, 0, stream(text("cccc")));
        store.append(one, 4, stream(text("-bbbb")));
        store.append(two, 4, stream(text("-dddd")));
        commit(one, first.digest());

        assertThat(staged(two)).isEqualTo(second.content());
        commit(two, second.digest());
        assertThat(read(first.digest(), 0, first.size())).isEqualTo(first.content());
        assertThat(read(second.digest(), 0, second.size())).isEqualTo(second.content());
    }

    // --- appending at offsets -------------------------------------------------------------------

    @Test
    void appendAtAnEarlierOffsetIsRefusedAndKeepsEveryStagedByte() throws IOException {
        UploadId upload = stagedUpload(text("hello world"));
        StagedBytes before = store.staged(upload).orElseThrow();

        assertThatExceptionOfType(StagingConflict.class)
                .isThrownBy(() -> store.append(upload, 5, stream(text("!"))))
                .satisfies(conflict -> assertThat(conflict.stagedSize()).isEqualTo(11));
        assertThatExceptionOfType(StagingConflict.class)
                .isThrownBy(() -> store.append(upload, 0, InputStream.nullInputStream()));

        assertThat(staged(upload)).isEqualTo(text("hello world"));
        assertThat(store.staged(upload)).contains(before);
    }

    @Test
    void appendBeyondTheStagedEndIsAConflictNamingTheStagedSize() {
        UploadId upload = stagedUploadUnchecked(text("hello"));

        assertThatExceptionOfType(StagingConflict.class)
                .isThrownBy(() -> store.append(upload, 10, stream(text("gap"))))
                .satisfies(conflict -> assertThat(conflict.stagedSize()).isEqualTo(5));
    }

    @Test
    void appendReportsTheStagingBeforeAndAfterIt() throws IOException {
        UploadId upload = stagedUpload(text("abc"));
        StagedBytes before = store.staged(upload).orElseThrow();

        Appended appended = store.append(upload, 3, stream(text("def")));

        assertThat(appended.before()).isEqualTo(before);
        assertThat(appended.after().size()).isEqualTo(6);
        assertThat(appended.after().version()).isNotEqualTo(before.version());
        assertThat(store.staged(upload)).contains(appended.after());
    }

    @Test
    void anEmptyAppendKeepsTheVersion() throws IOException {
        UploadId upload = stagedUpload(text("abc"));
        StagedBytes before = store.staged(upload).orElseThrow();

        Appended appended = store.append(upload, 3, InputStream.nullInputStream());

        assertThat(appended.after()).isEqualTo(before);
        assertThat(store.staged(upload)).contains(before);
    }

    @Test
    void anUploadWithoutStagingCannotBeAppendedReadOrCommitted() throws IOException {
        UploadId upload = stagedUpload(text("abc"));
        StagedBytes staged = store.staged(upload).orElseThrow();
        store.discard(upload);

        assertThat(store.staged(upload)).isEmpty();
        assertThatExceptionOfType(StagingLost.class).isThrownBy(() -> store.append(upload, 0, stream(text("x"))));
        assertThatExceptionOfType(StagingLost.class).isThrownBy(() -> store.append(upload, 3, stream(text("x"))));
        assertThatExceptionOfType(StagingLost.class).isThrownBy(() -> store.openStaged(upload).close());
        assertThatExceptionOfType(StagingLost.class)
                .isThrownBy(() -> store.commit(upload, staged, TestBlob.of("abc").digest()));
        assertThat(hasStaging(upload)).isFalse();
        assertThat(store.size(TestBlob.of("abc").digest())).isEmpty();
    }

    @Test
    void commitOfStagingThatChangedSinceItWasVerifiedIsRefused() throws IOException {
        TestBlob verified = TestBlob.of("verified");
        UploadId upload = stagedUpload(verified.content());
        StagedBytes atVerification = store.staged(upload).orElseThrow();
        store.append(upload, verified.size(), stream(text(" and more")));

        assertThatExceptionOfType(StagingConflict.class)
                .isThrownBy(() -> store.commit(upload, atVerification, verified.digest()));

        assertThat(store.size(verified.digest())).isEmpty();
        assertThat(staged(upload)).isEqualTo(text("verified and more"));
    }

    @Test
    void commitReplacesWhateverTheStoreHeldUnderTheDigest() throws IOException {
        TestBlob blob = TestBlob.random(4096, 5);
        damageBlob(blob.digest(), text("bytes that do not match the digest"));

        committed(blob);

        assertThat(store.size(blob.digest())).hasValue(blob.size());
        assertThat(read(blob.digest(), 0, blob.size())).isEqualTo(blob.content());
    }

    @Test
    void deleteRemovesACommittedBlobAndIsANoOpForOneItDoesNotHold() throws IOException {
        TestBlob kept = TestBlob.random(4096, 21);
        TestBlob removed = TestBlob.random(4096, 22);
        committed(kept);
        committed(removed);

        store.delete(removed.digest());
        store.delete(removed.digest());

        assertThat(store.size(removed.digest())).isEmpty();
        assertThat(store.size(kept.digest())).hasValue(kept.size());
        assertThat(read(kept.digest(), 0, kept.size())).isEqualTo(kept.content());
        committed(removed);
        assertThat(read(removed.digest(), 0, removed.size())).as("a removed digest can be pushed again").isEqualTo(removed.content());
    }

    @Test
    void appendWhoseInputFailsMidwayLeavesTheStagingAtTheOldOffset() throws IOException {
        UploadId upload = stagedUpload(text("hello"));
        IOException dropped = new IOException("client went away");
        byte[] partOfAChunk = TestBlob.random(300_000, 4).content();

        assertThatIOException()
                .isThrownBy(() -> store.append(upload, 5, new BrokenStream(partOfAChunk, dropped)))
                .isSameAs(dropped);

        assertThat(staged(upload)).isEqualTo(text("hello"));
        assertThat(store.append(upload, 5, stream(text(" world"))).after().size()).as("the client resumes at the old offset").isEqualTo(11);
        assertThat(staged(upload)).isEqualTo(text("hello world"));
    }

    @Test
    void openStagedReadsFromTheStart() throws IOException {
        UploadId upload = stagedUpload(text("abc"));
        store.append(upload, 3, stream(text("def")));

        assertThat(staged(upload)).isEqualTo(text("abcdef"));
        assertThat(staged(upload)).as("reading twice").isEqualTo(text("abcdef"));
    }

    // --- discarding -----------------------------------------------------------------------------

    @Test
    void discardRemovesTheStagingAndMakesNoBlob() throws IOException {
        TestBlob blob = TestBlob.of("cancelled");
        UploadId upload = stagedUpload(blob.content());

        store.discard(upload);

        assertThat(hasStaging(upload)).isFalse();
        assertThat(store.size(blob.digest())).isEmpty();
    }

    @Test
    void discardIsANoOpWithoutStaging() throws IOException {
        UploadId upload = stagedUpload(text("x"));
        store.discard(upload);

        store.discard(upload);
        store.discard(UploadId.random());

        assertThat(hasStaging(upload)).isFalse();
    }

    @Test
    void discardLeavesCommittedBlobs() throws IOException {
        TestBlob blob = committed(TestBlob.of("kept"));
        UploadId duplicate = stagedUpload(blob.content());

        store.discard(duplicate);

        assertThat(read(blob.digest(), 0, blob.size())).isEqualTo(blob.content());
    }

    @Test
    void aNewStoreAnswersItsProbe() throws IOException {
        store.probe();
    }

    @Test
    void listsEveryUploadWithStagingUntilItIsCommittedOrDiscarded() throws IOException {
        UploadId empty = UploadId.random();
        UploadId partial = UploadId.random();
        UploadId committed = UploadId.random();
        UploadId discarded = UploadId.random();
        TestBlob blob = TestBlob.random(1_000, 12);
        store.create(empty);
        store.create(partial);
        store.append(partial, 0, stream(text("half")));
        store.create(committed);
        store.append(committed, 0, stream(blob.content()));
        store.create(discarded);

        assertThat(store.stagedUploads()).contains(empty, partial, committed, discarded);

        commit(committed, blob.digest());
        store.discard(discarded);
        assertThat(store.stagedUploads()).contains(empty, partial).doesNotContain(committed, discarded);
    }

    // --- helpers --------------------------------------------------------------------------------

    /** Stages {@code content} in a new upload session and returns the session. */
    protected final UploadId stagedUpload(byte[] content) throws IOException {
        UploadId upload = UploadId.random();
        store.create(upload);
        store.append(upload, 0, stream(content));
        return upload;
    }

    private UploadId stagedUploadUnchecked(byte[] content) {
        try {
            return stagedUpload(content);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Commits what {@code upload} has staged now as {@code digest}. */
    protected final void commit(UploadId upload, Digest digest) throws IOException {
        store.commit(upload, store.staged(upload).orElseThrow(), digest);
    }

    /** Uploads and commits {@code blob}. */
    protected final TestBlob committed(TestBlob blob) throws IOException {
        UploadId upload = stagedUpload(blob.content());
        commit(upload, blob.digest());
        return blob;
    }

    protected final byte[] read(Digest digest, long offset, long length) throws IOException {
        try (InputStream stream = store.open(digest, offset, length)) {
            return stream.readAllBytes();
        }
    }

    protected final byte[] staged(UploadId upload) throws IOException {
        try (InputStream stream = store.openStaged(upload)) {
            return stream.readAllBytes();
        }
    }

    protected static InputStream stream(byte[] bytes) {
        return new ByteArrayInputStream(bytes);
    }

    protected static byte[] text(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    /** Gives {@code before}, then fails as a dropped connection would. */
    private static final class BrokenStream extends InputStream {
        private final InputStream before;
        private final IOException failure;

        BrokenStream(byte[] before, IOException failure) {
            this.before = new ByteArrayInputStream(before);
            this.failure = failure;
        }

        @Override
        public int read() throws IOException {
            int value = before.read();
            if (value < 0) {
                throw failure;
            }
            return value;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int read = before.read(buffer, offset, length);
            if (read < 0) {
                throw failure;
            }
            return read;
        }
    }
}
