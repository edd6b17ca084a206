package io.berth.conformance;

import static io.berth.conformance.SuiteRequests.blobPath;
import static io.berth.conformance.SuiteRequests.describe;
import static io.berth.conformance.SuiteRequests.patchChunk;
import static io.berth.conformance.SuiteRequests.relativeLocation;
import static org.assertj.core.api.Assertions.assertThat;

import io.berth.oci.MediaTypes;
import io.berth.testing.RegistryHttp;
import io.berth.testing.TestBlob;
import io.berth.testing.TestRegistry;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Mirrors the OCI distribution-spec conformance suite's blob upload checks in the <b>Push</b>
 * workflow (suite v1.1.x, {@code 02_push_test.go}), in the suite's order, against spec v1.1.1:
 * <ul>
 *   <li>"Pushing a blob in chunks" without {@code Content-Range} (the suite's "streamed" upload:
 *       POST, one PATCH of the whole blob, then a bodiless PUT with the digest);</li>
 *   <li>"Pushing a blob monolithically", both "POST then PUT" and "Single POST" (end-4a, end-4b, end-6);</li>
 *   <li>"Pushing a blob in chunks" with {@code Content-Range} (end-5, end-13): 416 for a chunk out of
 *       order or sent twice, the {@code Range} reported after each chunk and by the status GET.</li>
 * </ul>
 *
 * <p>The last group repeats upload checks the suite makes on its main branch (the rewrite after
 * v1.1) and in its pre-1.0 chunked-upload tests: upload cancel, digests that do not match the
 * content (400), a final chunk sent with the closing PUT, recovery after an out-of-order chunk, and
 * the empty blobs. The workflow's mounts are in {@link PushMountConformanceTest}, its manifests in
 * {@link PushManifestConformanceTest}. Methods share state and run in order, as the suite's specs
 * do; run the class, not a single method.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PushUploadConformanceTest {
    private static final String REPOSITORY = "conformance/push";

    private static TestRegistry registry;
    private static RegistryHttp http;
    private static ConformanceContent content;
    /** The response a later check continues from, as the suite keeps its last and previous responses. */
    private static HttpResponse<byte[]> lastResponse;
    private static HttpResponse<byte[]> sessionResponse;

    @BeforeAll
    static void start() {
        registry = TestRegistry.start();
        http = registry.http();
        content = ConformanceContent.generate(200);
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    // Blob upload, streamed: one PATCH without Content-Range, then PUT with the digest and no body.

    @Test
    @Order(10)
    void patchOfTheWholeBlobWithoutContentRangeIs202() {
        HttpResponse<byte[]> started = SuiteRequests.startUpload(http, REPOSITORY);
        assertThat(started.headers().firstValue("Location")).isPresent();

        HttpResponse<byte[]> patched = http.send(http.request(relativeLocation(started))
                .header("Content-Type", MediaTypes.OCTET_STREAM)
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(content.streamedBlob.content()))
                .build());

        assertThat(patched.statusCode()).as(describe(patched)).isEqualTo(202);
        lastResponse = patched;
    }

    @Test
    @Order(11)
    void putWithTheDigestAndNoBodyClosesTheStreamedUploadWith201AndALocation() {
        HttpResponse<byte[]> put = SuiteRequests.putBlob(http, relativeLocation(lastResponse),
                content.streamedBlob.digest(), new byte[0]);

        assertThat(put.statusCode()).as(describe(put)).isEqualTo(201);
        assertThat(put.headers().firstValue("Location")).isPresent();
    }

    // Blob upload, monolithic

    @Test
    @Order(20)
    void getOfAnUnknownBlobIs404() {
        assertThat(http.get(blobPath(REPOSITORY, content.neverPushed)).statusCode()).isEqualTo(404);
    }

    /** A single POST carrying the blob and its digest: 201 (stored) or 202 (a session), with a location either way. */
    @Test
    @Order(21)
    void postWithTheDigestAndTheBlobIs201Or202WithALocation() {
        TestBlob config = content.configs.get(1);
        HttpResponse<byte[]> response = http.post("/v2/" + REPOSITORY + "/blobs/uploads/?digest=" + config.digest(),
                config.content());

        assertThat(response.headers().firstValue("Location")).isPresent();
        assertThat(response.statusCode()).as(describe(response)).isIn(201, 202);
        lastResponse = response;
    }

    @Test
    @Order(22)
    void blobFromTheSinglePostExistsExactlyWhenThePostCreatedIt() {
        int expected = lastResponse.statusCode() == 202 ? 404 : 200;

        assertThat(http.get(blobPath(REPOSITORY, content.configs.get(1))).statusCode()).isEqualTo(expected);
    }

    @Test
    @Order(23)
    void postWithoutABodyOpensASessionWith202() {
        HttpResponse<byte[]> response = SuiteRequests.startUpload(http, REPOSITORY);

        assertThat(response.statusCode()).isEqualTo(202);
        lastResponse = response;
    }

    @Test
    @Order(24)
    void putOfTheWholeBlobToTheSessionIs201WithALocation() {
        TestBlob config = content.configs.get(1);
        HttpResponse<byte[]> put = SuiteRequests.putBlob(http, relativeLocation(lastResponse), config.digest(),
                config.content());

        assertThat(put.headers().firstValue("Location")).isPresent();
        assertThat(put.statusCode()).as(describe(put)).isEqualTo(201);
    }

    @Test
    @Order(25)
    void getOfTheBlobPushedWithPostThenPutIs200() {
        assertThat(http.get(blobPath(REPOSITORY, content.configs.get(1))).statusCode()).isEqualTo(200);
    }

    @Test
    @Order(26)
    void postThenPutOfTheLayerIs201WithALocation() {
        HttpResponse<byte[]> put = SuiteRequests.pushBlob(http, REPOSITORY, content.layer);

        assertThat(put.headers().firstValue("Location")).isPresent();
        assertThat(put.statusCode()).as(describe(put)).isEqualTo(201);
    }

    @Test
    @Order(27)
    void getOfThePushedLayerIs200() {
        assertThat(http.get(blobPath(REPOSITORY, content.layer)).statusCode()).isEqualTo(200);
    }

    // Blob upload, chunked: two chunks with Content-Range, sizes grown to any advertised minimum.

    @Test
    @Order(30)
    void aFirstChunkThatDoesNotStartAtZeroIs416() {
        HttpResponse<byte[]> started = SuiteRequests.startUpload(http, REPOSITORY);
        assertThat(started.headers().firstValue("Location")).isPresent();
        Optional<String> minimum = started.headers().firstValue("OCI-Chunk-Min-Length");
        if (minimum.isPresent() && Integer.parseInt(minimum.get()) > content.firstChunkLength) {
            content.resizeChunkedBlob(Integer.parseInt(minimum.get()) * 2 - 2, 201);
        }

        HttpResponse<byte[]> response = patchChunk(http, relativeLocation(started), content.secondChunk(),
                content.secondChunkRange());

        assertThat(response.statusCode()).as(describe(response)).isEqualTo(416);
    }

    @Test
    @Order(31)
    void theFirstChunkIs202AndTheRangeCoversIt() {
        HttpResponse<byte[]> started = SuiteRequests.startUpload(http, REPOSITORY);
        assertThat(started.headers().firstValue("Location")).isPresent();
        sessionResponse = started;

        HttpResponse<byte[]> response = patchChunk(http, relativeLocation(started), content.firstChunk(),
                content.firstChunkRange());

        assertThat(response.statusCode()).as(describe(response)).isEqualTo(202);
        assertThat(response.headers().firstValue("Range")).hasValue(content.firstChunkRange());
        lastResponse = response;
    }

    /** The same chunk again, to the location the session started with: 416. */
    @Test
    @Order(32)
    void resendingTheFirstChunkIs416() {
        HttpResponse<byte[]> response = patchChunk(http, relativeLocation(sessionResponse), content.firstChunk(),
                content.firstChunkRange());

        assertThat(response.statusCode()).as(describe(response)).isEqualTo(416);
    }

    @Test
    @Order(33)
    void statusOfTheSessionThroughItsFirstLocationIs204WithTheRangeAndALocation() {
        HttpResponse<byte[]> response = http.get(relativeLocation(sessionResponse));

        assertThat(response.statusCode()).as(describe(response)).isEqualTo(204);
        assertThat(response.headers().firstValue("Location")).isPresent();
        assertThat(response.headers().firstValue("Range")).hasValue(content.firstChunkRange());
        lastResponse = response;
    }

    @Test
    @Order(34)
    void theSecondChunkIs202AndTheRangeCoversTheWholeBlob() {
        HttpResponse<byte[]> response = patchChunk(http, relativeLocation(lastResponse), content.secondChunk(),
                content.secondChunkRange());

        assertThat(response.statusCode()).as(describe(response)).isEqualTo(202);
        assertThat(response.headers().firstValue("Range")).hasValue("0-" + (content.chunkedBlob.size() - 1));
        assertThat(response.headers().firstValue("Location")).isPresent();
        lastResponse = response;
    }

    @Test
    @Order(35)
    void putWithTheDigestAndNoBodyClosesTheChunkedUploadWith201AndALocation() {
        HttpResponse<byte[]> put = SuiteRequests.putBlob(http, relativeLocation(lastResponse),
                content.chunkedBlob.digest(), new byte[0]);

        assertThat(put.statusCode()).as(describe(put)).isEqualTo(201);
        assertThat(put.headers().firstValue("Location")).isPresent();
    }

    // Checks from the suite's main branch and its pre-1.0 tests.

    /** Main-branch suite, "post cancel": DELETE of a fresh session, with {@code Content-Length: 0}, is 204. */
    @Test
    @Order(70)
    void deleteOfAnUploadSessionCancelsItWith204() {
        HttpResponse<byte[]> started = SuiteRequests.startUpload(http, REPOSITORY);
        assertThat(started.statusCode()).isEqualTo(202);

        HttpResponse<byte[]> cancelled = http.send(http.request(relativeLocation(started))
                .method("DELETE", HttpRequest.BodyPublishers.ofByteArray(new byte[0])).build());

        assertThat(cancelled.statusCode()).as(describe(cancelled)).isEqualTo(204);
    }

    /** Main-branch suite, "bad digest post only": a single POST whose digest does not match is 400 (or 202, then 400 on PUT). */
    @Test
    @Order(71)
    void singlePostWithAMismatchedDigestIs400() {
        TestBlob blob = TestBlob.random(3 * 1024 - 5, 701);
        byte[] corrupted = corrupt(blob.content());

        HttpResponse<byte[]> response = http.post("/v2/" + REPOSITORY + "/blobs/uploads/?digest=" + blob.digest(), corrupted);

        assertThat(response.statusCode()).as(describe(response)).isIn(400, 202);
        if (response.statusCode() == 202) {
            HttpResponse<byte[]> put = SuiteRequests.putBlob(http, relativeLocation(response), blob.digest(), corrupted);
            assertThat(put.statusCode()).as(describe(put)).isEqualTo(400);
        }
    }

    /** Main-branch suite, "bad digest post+put": the closing PUT of content that does not match its digest is 400. */
    @Test
    @Order(72)
    void postThenPutWithAMismatchedDigestIs400() {
        TestBlob blob = TestBlob.random(3 * 1024 - 5, 702);
        HttpResponse<byte[]> started = SuiteRequests.startUpload(http, REPOSITORY);

        HttpResponse<byte[]> put = SuiteRequests.putBlob(http, relativeLocation(started), blob.digest(), corrupt(blob.content()));

        assertThat(put.statusCode()).as(describe(put)).isEqualTo(400);
    }

    /** Main-branch suite, "bad digest chunked": chunks whose sum does not match the closing digest: the PUT is 400. */
    @Test
    @Order(73)
    void chunkedUploadWithAMismatchedDigestIsRefusedAtThePutWith400() {
        TestBlob blob = TestBlob.random(3 * 1024 - 5, 703);
        byte[] corrupted = corrupt(blob.content());
        String location = relativeLocation(SuiteRequests.startUpload(http, REPOSITORY));
        int chunkSize = Math.max(corrupted.length / 3 + 1, 1024);
        for (int start = 0; start < corrupted.length; start += chunkSize) {
            int end = Math.min(start + chunkSize, corrupted.length);
            HttpResponse<byte[]> chunk = patchChunk(http, location, Arrays.copyOfRange(corrupted, start, end),
                    start + "-" + (end - 1));
            assertThat(chunk.statusCode()).as(describe(chunk)).isEqualTo(202);
            location = relativeLocation(chunk);
        }

        HttpResponse<byte[]> put = SuiteRequests.putBlob(http, location, blob.digest(), new byte[0]);

        assertThat(put.statusCode()).as(describe(put)).isEqualTo(400);
    }

    /** Main-branch suite, "bad digest stream": a streamed PATCH, then a PUT with a digest the bytes do not have: 400. */
    @Test
    @Order(74)
    void streamedUploadWithAMismatchedDigestIsRefusedAtThePutWith400() {
        TestBlob blob = TestBlob.random(3 * 1024 - 5, 704);
        String location = relativeLocation(SuiteRequests.startUpload(http, REPOSITORY));
        HttpResponse<byte[]> patched = http.patch(location, corrupt(blob.content()), Map.of());
        assertThat(patched.statusCode()).isEqualTo(202);

        HttpResponse<byte[]> put = SuiteRequests.putBlob(http, relativeLocation(patched), blob.digest(), new byte[0]);

        assertThat(put.statusCode()).as(describe(put)).isEqualTo(400);
    }

    /**
     * Pre-1.0 suite, "PUT request with final chunk", and main-branch "chunked multi and put chunk":
     * the closing PUT may carry the last chunk with its {@code Content-Range}; the blob is then served whole.
     */
    @Test
    @Order(79)
    void theClosingPutMayCarryTheLastChunk() {
        TestBlob blob = TestBlob.random(3 * 1024 - 5, 706);
        String location = relativeLocation(SuiteRequests.startUpload(http, REPOSITORY));
        int split = 2048;
        HttpResponse<byte[]> first = patchChunk(http, location, Arrays.copyOfRange(blob.content(), 0, split), "0-" + (split - 1));
        assertThat(first.statusCode()).isEqualTo(202);

        HttpResponse<byte[]> put = http.send(http.request(SuiteRequests.withDigest(relativeLocation(first), blob.digest()))
                .header("Content-Type", MediaTypes.OCTET_STREAM)
                .header("Content-Range", split + "-" + (blob.size() - 1))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(Arrays.copyOfRange(blob.content(), split, (int) blob.size())))
                .build());

        assertThat(put.statusCode()).as(describe(put)).isEqualTo(201);
        assertThat(put.headers().firstValue("Location")).isPresent();
        assertThat(http.get(relativeLocation(put)).body()).isEqualTo(blob.content());
    }

    /**
     * Main-branch suite, "chunked out-of-order": after a chunk that skips ahead (416), a GET of the
     * session reports the range received so far, and the upload resumes from there.
     */
    @Test
    @Order(80)
    void afterAnOutOfOrderChunkTheSessionResumesFromTheReportedRange() {
        TestBlob blob = TestBlob.random(3 * 1024 - 5, 707);
        String location = relativeLocation(SuiteRequests.startUpload(http, REPOSITORY));
        HttpResponse<byte[]> first = patchChunk(http, location, Arrays.copyOfRange(blob.content(), 0, 1024), "0-1023");
        location = relativeLocation(first);

        HttpResponse<byte[]> skipped = patchChunk(http, location, Arrays.copyOfRange(blob.content(), 2048, (int) blob.size()),
                "2048-" + (blob.size() - 1));
        HttpResponse<byte[]> status = http.get(location);

        assertThat(skipped.statusCode()).isEqualTo(416);
        assertThat(status.statusCode()).isEqualTo(204);
        assertThat(status.headers().firstValue("Range")).hasValue("0-1023");
        location = relativeLocation(status);
        HttpResponse<byte[]> rest = patchChunk(http, location, Arrays.copyOfRange(blob.content(), 1024, (int) blob.size()),
                "1024-" + (blob.size() - 1));
        assertThat(rest.statusCode()).isEqualTo(202);
        assertThat(SuiteRequests.putBlob(http, relativeLocation(rest), blob.digest(), new byte[0]).statusCode()).isEqualTo(201);
    }

    /** Main-branch suite, "emptyJSON" and "empty" blobs: both are pushed, checked with HEAD and GET, and deleted. */
    @Test
    @Order(81)
    void theEmptyJsonBlobAndTheZeroLengthBlobArePushedServedAndDeleted() {
        for (TestBlob blob : new TestBlob[]{content.emptyJson, TestBlob.of(new byte[0])}) {
            assertThat(SuiteRequests.pushBlob(http, REPOSITORY, blob).statusCode()).isEqualTo(201);
            HttpResponse<byte[]> head = http.head(blobPath(REPOSITORY, blob));
            assertThat(head.statusCode()).isEqualTo(200);
            assertThat(head.headers().firstValue("Content-Length")).hasValue(String.valueOf(blob.size()));
            HttpResponse<byte[]> get = http.get(blobPath(REPOSITORY, blob));
            assertThat(get.statusCode()).isEqualTo(200);
            assertThat(get.body()).isEqualTo(blob.content());
            assertThat(http.delete(blobPath(REPOSITORY, blob)).statusCode()).isEqualTo(202);
            assertThat(http.head(blobPath(REPOSITORY, blob)).statusCode()).isEqualTo(404);
        }
    }

    /** Flips one byte, so that the content no longer matches its digest. */
    private static byte[] corrupt(byte[] content) {
        byte[] corrupted = content.clone();
        corrupted[corrupted.length / 2] ^= 0x5a;
        return corrupted;
    }
}
