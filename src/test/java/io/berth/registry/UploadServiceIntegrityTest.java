package io.berth.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.metadata.MetadataStore;
import io.berth.metadata.SqlMetadataStore;
import io.berth.oci.Digest;
import io.berth.oci.DigestAlgorithm;
import io.berth.oci.ErrorCode;
import io.berth.oci.RegistryException;
import io.berth.oci.RepositoryName;
import io.berth.storage.InMemoryBlobStore;
import io.berth.testing.MutableClock;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The upload service commits only bytes it verified: a running hash is trusted while the store
 * still stages the very version it covered, and two nodes sharing a store and a database (two
 * services here) never make one node's hash vouch for the other's bytes.
 */
class UploadServiceIntegrityTest {
    private static final RepositoryName REPOSITORY = new RepositoryName("integrity/app");

    @TempDir
    Path directory;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final InMemoryBlobStore store = new InMemoryBlobStore();
    private MetadataStore metadata;
    private UploadService node;
    private UploadService otherNode;

    @BeforeEach
    void open() {
        metadata = SqlMetadataStore.openSqlite(directory.resolve("berth.db"), clock);
        node = new UploadService(metadata, store, clock);
        otherNode = new UploadService(metadata, store, clock);
    }

    @AfterEach
    void close() {
        metadata.close();
    }

    @Test
    void stagingChangedAfterItWasHashedIsReHashedAndRefused() throws IOException {
        UploadStatus upload = node.start(REPOSITORY);
        node.append(REPOSITORY, upload.id().value(), Optional.empty(), OptionalLong.empty(), body("what the client sent"));
        store.tamperWithStaging(upload.id(), bytes("what a damaged disk holds"));
        Digest hashed = digest("what the client sent");

        assertThatThrownBy(() -> complete(node, upload, hashed))
                .isInstanceOfSatisfying(RegistryException.class,
                        refused -> assertThat(refused.code()).isEqualTo(ErrorCode.DIGEST_INVALID));
        assertThat(store.size(hashed)).isEmpty();
    }

    @Test
    void aHashOfOneNodeNeverVouchesForBytesAnotherNodeAppended() throws IOException {
        UploadStatus upload = chunkFromEachNode("first ", "second");

        assertThatThrownBy(() -> complete(node, upload, digest("first ")))
                .isInstanceOfSatisfying(RegistryException.class,
                        refused -> assertThat(refused.code()).isEqualTo(ErrorCode.DIGEST_INVALID));
        assertThat(store.size(digest("first "))).isEmpty();
    }

    @Test
    void chunksFromTwoNodesCommitUnderTheDigestOfAllTheirBytes() throws IOException {
        UploadStatus upload = chunkFromEachNode("first ", "second ");
        node.append(REPOSITORY, upload.id().value(), Optional.empty(), OptionalLong.empty(), body("third"));

        BlobInfo blob = complete(node, upload, digest("first second third"));

        assertThat(blob.size()).isEqualTo("first second third".length());
        try (InputStream in = store.open(blob.digest(), 0, blob.size())) {
            assertThat(in.readAllBytes()).isEqualTo(bytes("first second third"));
        }
    }

    @Test
    void aClosingChunkAfterAnotherNodesChunkIsVerifiedOverEveryStagedByte() throws IOException {
        UploadStatus upload = chunkFromEachNode("first ", "second ");

        assertThatThrownBy(() -> completeWith(node, upload, digest("first third"), "third"))
                .isInstanceOfSatisfying(RegistryException.class,
                        refused -> assertThat(refused.code()).isEqualTo(ErrorCode.DIGEST_INVALID));
        assertThat(store.size(digest("first third"))).isEmpty();
    }

    @Test
    void aClosingChunkIsCommittedUnderTheDigestOfTheWholeUpload() throws IOException {
        UploadStatus upload = chunkFromEachNode("first ", "second ");

        BlobInfo blob = completeWith(node, upload, digest("first second third"), "third");

        try (InputStream in = store.open(blob.digest(), 0, blob.size())) {
            assertThat(in.readAllBytes()).isEqualTo(bytes("first second third"));
        }
    }

    @Test
    void aHashKeptForASessionThatEndedOnAnotherNodeIsDroppedByTheSweep() {
        UploadStatus upload = node.start(REPOSITORY);
        node.append(REPOSITORY, upload.id().value(), Optional.empty(), OptionalLong.empty(), body("chunk"));
        complete(otherNode, upload, digest("chunk"));
        assertThat(node.keptHashes()).isEqualTo(1);

        node.sweep().discardOrphanStaging(java.util.Set.of());

        assertThat(node.keptHashes()).isZero();
    }

    @Test
    void aLockIsHeldOnlyWhileRequestsAreUnderWay() {
        UploadStatus upload = node.start(REPOSITORY);
        assertThatThrownBy(() -> node.append(new RepositoryName("integrity/other"), upload.id().value(),
                Optional.empty(), OptionalLong.empty(), body("x"))).isInstanceOf(RegistryException.class);
        node.append(REPOSITORY, upload.id().value(), Optional.empty(), OptionalLong.empty(), body("x"));
        complete(node, upload, digest("x"));

        assertThat(node.heldLocks()).isZero();
    }

    /** An upload opened on one node, with a chunk appended there and then one on the other node. */
    private UploadStatus chunkFromEachNode(String first, String second) {
        UploadStatus upload = node.start(REPOSITORY);
        node.append(REPOSITORY, upload.id().value(), Optional.empty(), OptionalLong.empty(), body(first));
        otherNode.append(REPOSITORY, upload.id().value(), Optional.empty(), OptionalLong.empty(), body(second));
        return upload;
    }

    private static BlobInfo complete(UploadService service, UploadStatus upload, Digest digest) {
        return service.complete(REPOSITORY, upload.id().value(), digest, Optional.empty(), OptionalLong.of(0),
                InputStream.nullInputStream());
    }

    /** The closing {@code PUT} carrying the last chunk, as a monolithic push or a chunked one ends. */
    private static BlobInfo completeWith(UploadService service, UploadStatus upload, Digest digest, String lastChunk) {
        return service.complete(REPOSITORY, upload.id().value(), digest, Optional.empty(),
                OptionalLong.of(bytes(lastChunk).length), body(lastChunk));
    }

    private static InputStream body(String text) {
        return new ByteArrayInputStream(bytes(text));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static Digest digest(String text) {
        return Digest.of(DigestAlgorithm.SHA256, bytes(text));
    }
}
