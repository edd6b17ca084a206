package io.berth.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.testing.S3ProxyServer;
import io.berth.testing.TestBlob;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The S3 store passes the blob store contract against S3Proxy, a real S3 API server, and
 * assembles blobs larger than one piece from server-side copied parts.
 */
class S3BlobStoreTest extends BlobStoreContract {
    private static S3ProxyServer server;

    @BeforeAll
    static void startS3() throws Exception {
        server = S3ProxyServer.start();
    }

    @AfterAll
    static void stopS3() throws Exception {
        server.close();
    }

    @Override
    protected BlobStore openStore() {
        return new S3BlobStore(server.client(), S3ProxyServer.BUCKET);
    }

    @Override
    protected boolean hasStaging(UploadId id) throws IOException {
        return ((S3BlobStore) store).hasStaging(id);
    }

    @Override
    protected void damageBlob(io.berth.oci.Digest digest, byte[] content) {
        server.client().putObject(builder -> builder.bucket(S3ProxyServer.BUCKET).key(BlobLayout.blobKey(digest)),
                software.amazon.awssdk.core.sync.RequestBody.fromBytes(content));
    }

    @Test
    void aMissingBucketFailsTheProbe() {
        S3BlobStore missing = new S3BlobStore(server.client(), "no-such-bucket");

        org.assertj.core.api.Assertions.assertThatIOException().isThrownBy(missing::probe)
                .withMessageContaining("no-such-bucket");
    }

    /** A piece that a crash left without a state object is found, and discarding removes it. */
    @Test
    void discardsStagingThatLostItsStateObject() throws IOException {
        UploadId upload = UploadId.random();
        String piece = BlobLayout.uploadKeyPrefix(upload) + "piece-0";
        server.client().putObject(builder -> builder.bucket(S3ProxyServer.BUCKET).key(piece),
                software.amazon.awssdk.core.sync.RequestBody.fromString("stray bytes"));
        assertThat(store.stagedUploads()).contains(upload);

        store.discard(upload);

        assertThat(store.stagedUploads()).doesNotContain(upload);
        assertThat(server.client().listObjectsV2(builder -> builder.bucket(S3ProxyServer.BUCKET)
                .prefix(BlobLayout.uploadKeyPrefix(upload))).contents()).isEmpty();
    }

    /** Pieces of 8 MiB are copied server-side; small chunks in between are joined into 5 MiB parts. */
    @Test
    void aBlobOfManyPiecesAndSmallChunksIsAssembledIntact() throws IOException {
        TestBlob blob = TestBlob.random(S3BlobStore.PIECE_BYTES * 2 + 3 * 1024 * 1024 + 17, 9);
        UploadId upload = UploadId.random();
        store.create(upload);
        long offset = 0;
        int[] chunks = {1024, S3BlobStore.PIECE_BYTES + 5, 300_000, S3BlobStore.PIECE_BYTES};
        for (int chunk : chunks) {
            store.append(upload, offset, stream(java.util.Arrays.copyOfRange(blob.content(), (int) offset, (int) offset + chunk)));
            offset += chunk;
        }
        store.append(upload, offset, stream(java.util.Arrays.copyOfRange(blob.content(), (int) offset, blob.content().length)));

        commit(upload, blob.digest());

        assertThat(store.size(blob.digest())).hasValue(blob.size());
        try (InputStream in = store.open(blob.digest(), 0, blob.size())) {
            assertThat(in.readAllBytes()).isEqualTo(blob.content());
        }
        assertThat(hasStaging(upload)).isFalse();
    }
}
