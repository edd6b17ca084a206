package io.berth.conformance;

import static io.berth.conformance.SuiteRequests.assertBlobDeletedOrRefused;
import static io.berth.conformance.SuiteRequests.assertManifestDeletedOrRefused;
import static io.berth.conformance.SuiteRequests.assertSuccessful;
import static io.berth.conformance.SuiteRequests.describe;
import static io.berth.conformance.SuiteRequests.patchChunk;
import static io.berth.conformance.SuiteRequests.relativeLocation;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.oci.MediaTypes;
import io.berth.testing.ManifestJson;
import io.berth.testing.RegistryHttp;
import io.berth.testing.TestBlob;
import io.berth.testing.TestRegistry;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Mirrors the OCI distribution-spec conformance suite's checks for the <b>Push</b> workflow (suite
 * v1.1.x, {@code 02_push_test.go}), in the suite's order, against spec v1.1.1:
 * <ul>
 *   <li>"Pushing a blob in chunks" without {@code Content-Range} (the suite's "streamed" upload:
 *       POST, one PATCH of the whole blob, then a bodiless PUT with the digest);</li>
 *   <li>"Pushing a blob monolithically", both "POST then PUT" and "Single POST" (end-4a, end-4b, end-6);</li>
 *   <li>"Pushing a blob in chunks" with {@code Content-Range} (end-5, end-13): 416 for a chunk out of
 *       order or sent twice, the {@code Range} reported after each chunk and by the status GET;</li>
 *   <li>"Mounting a blob from another repository" (end-11), including the mount without {@code from}
 *       that Berth performs automatically;</li>
 *   <li>"Pushing Manifests" and "Pushing Manifests with Subject" (end-7): tags, a manifest without
 *       layers, artifacts typed by config or by {@code artifactType}, an index, a nested index, and
 *       a subject that does not exist, which must still be accepted and echoed in {@code OCI-Subject}.</li>
 * </ul>
 *
 * <p>The last group repeats push checks the suite makes on its main branch (the rewrite after
 * v1.1) and in its pre-1.0 chunked-upload and error-code tests: upload cancel, digests that do not
 * match the content (400), malformed digest references, mounting from a repository that lacks the
 * blob, a final chunk sent with the closing PUT, recovery after an out-of-order chunk, the empty
 * blobs, a manifest of nearly 4 MB, an empty index, non-distributable layers and tag parameters.
 * Methods share state and run in order, as the suite's specs do; run the class, not a single method.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PushConformanceTest {
    private static final String REPOSITORY = "conformance/push";
    private static final String MOUNT_TARGET = "conformance/push-mount-target";
    private static final String NONEXISTENT_REFERENCE = ".no-such-manifest";

    private static TestRegistry registry;
    private static RegistryHttp http;
    private static ConformanceContent content;
    /** The response a later check continues from, as the suite keeps its last and previous responses. */
    private static HttpResponse<byte[]> lastResponse;
    private static HttpResponse<byte[]> sessionResponse;
    private static HttpResponse<byte[]> mountResponse;
    private static boolean imageWithoutLayersAccepted;
    private static TestBlob pushedIndex;

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

    // Setup

    @Test
    @Order(1)
    void setupPushesTheEmptyJsonBlob() {
        assertThat(content.emptyJson.digest().toString()).isEqualTo(ConformanceContent.EMPTY_JSON_DIGEST);
        assertSuccessful(SuiteRequests.pushBlob(http, REPOSITORY, content.emptyJson));
    }

    @Test
    @Order(2)
    void setupPushesTheArtifactPayloadBlob() {
        assertSuccessful(SuiteRequests.pushBlob(http, REPOSITORY, content.alphaPayload));
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

    // Cross-repository blob mount

    @Test
    @Order(40)
    void mountWithoutFromOfAnUnknownBlobOpensASessionWith202() {
        HttpResponse<byte[]> response = http.post("/v2/" + MOUNT_TARGET + "/blobs/uploads/?mount=" + content.neverPushed.digest());

        assertThat(response.statusCode()).as(describe(response)).isEqualTo(202);
        assertThat(response.headers().firstValue("Location")).isPresent();
    }

    @Test
    @Order(41)
    void mountFromAnotherRepositoryIs201Or202() {
        HttpResponse<byte[]> response = http.post("/v2/" + MOUNT_TARGET + "/blobs/uploads/?mount="
                + content.streamedBlob.digest() + "&from=" + REPOSITORY);

        assertThat(response.statusCode()).as(describe(response)).isIn(201, 202);
        mountResponse = response;
    }

    /**
     * The suite accepts 201 or 202; Berth supports mounts, so it must answer 201, and the location
     * is exactly the blob's URL in the target, which serves it. (The 202 branch, a refused mount that
     * opens a session, is pinned by {@code BlobApiTest}.)
     */
    @Test
    @Order(42)
    void aMountedBlobIsServedAtTheReturnedLocation() {
        assertThat(mountResponse.statusCode()).as(describe(mountResponse)).isEqualTo(201);
        String location = relativeLocation(mountResponse);
        assertThat(location).isEqualTo(blobPath(MOUNT_TARGET, content.streamedBlob));

        assertThat(http.get(location).statusCode()).isEqualTo(200);
    }

    /**
     * The suite runs this when told that the registry mounts without {@code from}; Berth does (the
     * spec lets a registry "treat the from parameter as optional"), so a mount of a blob it holds is 201.
     */
    @Test
    @Order(44)
    void mountWithoutFromOfAKnownBlobIs201() {
        HttpResponse<byte[]> response = http.post("/v2/" + MOUNT_TARGET + "/blobs/uploads/?mount=" + content.streamedBlob.digest());

        assertThat(response.statusCode()).as(describe(response)).isEqualTo(201);
    }

    // Manifest upload

    @Test
    @Order(50)
    void getOfAnUnknownManifestIs404() {
        assertThat(http.get(manifestPath(NONEXISTENT_REFERENCE)).statusCode()).isEqualTo(404);
    }

    @Test
    @Order(51)
    void putOfAManifestUnderFourTagsIs201WithALocationEachTime() {
        for (int i = 0; i < 4; i++) {
            HttpResponse<byte[]> response = SuiteRequests.putManifest(http, REPOSITORY, "push" + i, MediaTypes.OCI_MANIFEST,
                    content.images.get(1));
            assertThat(response.headers().firstValue("Location")).as(describe(response)).isPresent();
            assertThat(response.statusCode()).as(describe(response)).isEqualTo(201);
        }
    }

    /**
     * A manifest with an empty layer list and no {@code mediaType} field. The suite only warns when
     * it is refused; the spec says the list of blobs "MAY be empty", and Berth accepts it.
     */
    @Test
    @Order(52)
    void aManifestWithoutLayersIsAcceptedWith201AndALocation() {
        HttpResponse<byte[]> response = SuiteRequests.putManifest(http, REPOSITORY, "push-no-layers", MediaTypes.OCI_MANIFEST,
                content.imageWithoutLayers);

        assertThat(response.statusCode()).as(describe(response)).isEqualTo(201);
        assertThat(response.headers().firstValue("Location")).isPresent();
        imageWithoutLayersAccepted = true;
    }

    @Test
    @Order(53)
    void getOfThePushedManifestByDigestIs200() {
        HttpResponse<byte[]> response = SuiteRequests.pullManifest(http, "GET", REPOSITORY,
                content.images.get(1).digest().toString());

        assertThat(response.statusCode()).isEqualTo(200);
    }

    /** OCI image spec v1.1: an artifact whose config media type is its artifact type. */
    @Test
    @Order(54)
    void anArtifactTypedByItsConfigMediaTypeIsAccepted() {
        TestBlob artifact = content.configTypedArtifact;

        assertSuccessful(SuiteRequests.putManifest(http, REPOSITORY, artifact.digest().toString(), MediaTypes.OCI_MANIFEST,
                artifact));
    }

    /** OCI image spec v1.1: an artifact with {@code artifactType} and the empty config. */
    @Test
    @Order(55)
    void anArtifactWithArtifactTypeAndTheEmptyConfigIsAccepted() {
        TestBlob artifact = content.artifactTypedArtifact;

        assertSuccessful(SuiteRequests.putManifest(http, REPOSITORY, artifact.digest().toString(), MediaTypes.OCI_MANIFEST,
                artifact));
    }

    /** The suite first pushes the index's child (config, then manifest under a tag), then the index by digest. */
    @Test
    @Order(56)
    void anImageIndexIsAccepted() {
        assertSuccessful(SuiteRequests.pushBlob(http, REPOSITORY, content.configs.get(0)));
        assertSuccessful(SuiteRequests.putManifest(http, REPOSITORY, "push-index-child", MediaTypes.OCI_MANIFEST,
                content.images.get(0)));
        pushedIndex = content.indexOver(MediaTypes.OCI_MANIFEST, content.images.get(0));

        assertSuccessful(SuiteRequests.putManifest(http, REPOSITORY, pushedIndex.digest().toString(), MediaTypes.OCI_INDEX,
                pushedIndex));
    }

    /** OCI image spec v1.1: an index whose only entry is another index. */
    @Test
    @Order(57)
    void anIndexOfAnIndexIsAccepted() {
        TestBlob nested = content.indexOver(MediaTypes.OCI_INDEX, pushedIndex);

        assertSuccessful(SuiteRequests.putManifest(http, REPOSITORY, nested.digest().toString(), MediaTypes.OCI_INDEX, nested));
    }

    /**
     * Spec "Push": a manifest whose subject does not exist MUST be accepted; "Pushing Manifests with
     * Subject": the response carries {@code OCI-Subject} with a digest. The suite matches the header
     * against {@code ^[a-f0-9]+:[a-f0-9]+$}, which no {@code sha256:} digest can satisfy (the
     * algorithm's letters are outside a-f); this check uses the image spec's digest grammar instead.
     */
    @Test
    @Order(58)
    void aManifestWithAnAbsentSubjectIsAcceptedAndAnsweredWithOciSubject() {
        assertSuccessful(SuiteRequests.pushBlob(http, REPOSITORY, content.betaPayload));
        TestBlob artifact = content.danglingArtifact;

        HttpResponse<byte[]> response = SuiteRequests.putManifest(http, REPOSITORY, artifact.digest().toString(),
                MediaTypes.OCI_MANIFEST, artifact);

        assertSuccessful(response);
        assertThat(response.headers().firstValue("OCI-Subject")).hasValueSatisfying(
                subject -> assertThat(subject).matches("^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$")
                        .isEqualTo(content.images.get(3).digest().toString()));
    }

    // Teardown

    @Test
    @Order(60)
    void teardownDeletesTheManifestsPushed() {
        assertManifestDeletedOrRefused(http.delete(manifestPath(content.images.get(1).digest().toString())));
        assertManifestDeletedOrRefused(http.delete(manifestPath(content.configTypedArtifact.digest().toString())));
        assertManifestDeletedOrRefused(http.delete(manifestPath(content.artifactTypedArtifact.digest().toString())));
        if (imageWithoutLayersAccepted) {
            assertManifestDeletedOrRefused(http.delete(manifestPath(content.imageWithoutLayers.digest().toString())));
        }
    }

    @Test
    @Order(61)
    void teardownDeletesTheConfigBlob() {
        assertBlobDeletedOrRefused(http.delete(blobPath(REPOSITORY, content.configs.get(1))));
    }

    @Test
    @Order(62)
    void teardownDeletesTheLayerAndTheEmptyJsonBlob() {
        assertBlobDeletedOrRefused(http.delete(blobPath(REPOSITORY, content.layer)));
        assertBlobDeletedOrRefused(http.delete(blobPath(REPOSITORY, content.emptyJson)));
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

    /** Main-branch suite, "bad-digest-image": a manifest PUT by a digest its bytes do not have is 400. */
    @Test
    @Order(75)
    void manifestPutByADigestItsBytesDoNotHaveIs400() {
        assertSuccessful(SuiteRequests.pushBlob(http, REPOSITORY, content.configs.get(2)));
        assertSuccessful(SuiteRequests.pushBlob(http, REPOSITORY, content.layer));
        TestBlob image = content.images.get(2);
        byte[] padded = Arrays.copyOf(image.content(), image.content().length + 2);
        padded[padded.length - 2] = ' ';
        padded[padded.length - 1] = ' ';

        HttpResponse<byte[]> response = http.put(manifestPath(image.digest().toString()), MediaTypes.OCI_MANIFEST, padded);

        assertThat(response.statusCode()).as(describe(response)).isEqualTo(400);
    }

    /** Main-branch suite, "invalid-digest-format": a valid manifest PUT to {@code sha256:} and a non-hex string is 400. */
    @Test
    @Order(76)
    void manifestPutToAMalformedDigestIs400() {
        HttpResponse<byte[]> response = http.put(manifestPath("sha256:notahexstring"), MediaTypes.OCI_MANIFEST,
                content.images.get(2).content());

        assertThat(response.statusCode()).as(describe(response)).isEqualTo(400);
    }

    /** Pre-1.0 suite, "Error codes": a non-JSON body PUT to a malformed digest is 400 with a spec error code. */
    @Test
    @Order(77)
    void manifestPutOfGarbageToAMalformedDigestIs400WithASpecErrorCode() {
        HttpResponse<byte[]> response = http.put(manifestPath("sha256:not-a-digest"), MediaTypes.OCI_MANIFEST,
                "not a manifest".getBytes(StandardCharsets.UTF_8));

        assertThat(response.statusCode()).as(describe(response)).isEqualTo(400);
        assertThat(RegistryHttp.errorCode(response)).isIn(SpecErrorCodes.ALL);
    }

    /**
     * Main-branch suite, "mount missing": mounting from a repository that does not hold the blob
     * must not succeed; a 202 session, completed by a PUT of the blob, is what it accepts.
     */
    @Test
    @Order(78)
    void mountFromARepositoryWithoutTheBlobIsNot201() {
        TestBlob blob = TestBlob.random(512, 705);

        HttpResponse<byte[]> response = http.post("/v2/" + MOUNT_TARGET + "/blobs/uploads/?mount=" + blob.digest()
                + "&from=" + REPOSITORY);

        assertThat(response.statusCode()).as(describe(response)).isEqualTo(202);
        HttpResponse<byte[]> put = SuiteRequests.putBlob(http, relativeLocation(response), blob.digest(), blob.content());
        assertThat(put.statusCode()).as(describe(put)).isEqualTo(201);
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

    /**
     * Main-branch suite, manifest push by digest with a subject: 201, {@code Location} serving the
     * same bytes with the manifest's media type, a digest header naming it, and {@code OCI-Subject}
     * naming exactly the subject's digest.
     */
    @Test
    @Order(82)
    void aManifestPushedByDigestIsServedAtItsLocationAndEchoesItsSubject() {
        assertSuccessful(SuiteRequests.pushBlob(http, REPOSITORY, content.emptyJson));
        assertSuccessful(SuiteRequests.pushBlob(http, REPOSITORY, content.alphaPayload));
        TestBlob artifact = content.alphaLayerArtifact;

        HttpResponse<byte[]> put = SuiteRequests.putManifest(http, REPOSITORY, artifact.digest().toString(),
                MediaTypes.OCI_MANIFEST, artifact);

        assertThat(put.statusCode()).as(describe(put)).isEqualTo(201);
        assertThat(put.headers().firstValue("OCI-Subject")).hasValue(content.images.get(4).digest().toString());
        put.headers().firstValue("Docker-Content-Digest")
                .ifPresent(digest -> assertThat(digest).isEqualTo(artifact.digest().toString()));
        HttpResponse<byte[]> located = http.send(http.request(relativeLocation(put))
                .header("Accept", MediaTypes.OCI_INDEX).header("Accept", MediaTypes.OCI_MANIFEST).GET().build());
        assertThat(located.statusCode()).isEqualTo(200);
        assertThat(located.body()).isEqualTo(artifact.content());
        assertThat(located.headers().firstValue("Content-Type")).hasValue(MediaTypes.OCI_MANIFEST);
    }

    /**
     * Main-branch suite, "Image with Large Manifest": 390 annotations of 10 000 characters, just
     * under the 4 megabytes the spec says registries "SHOULD expect to be able to support".
     */
    @Test
    @Order(83)
    void aManifestOfNearlyFourMegabytesIsAccepted() {
        assertSuccessful(SuiteRequests.pushBlob(http, REPOSITORY, content.configs.get(3)));
        assertSuccessful(SuiteRequests.pushBlob(http, REPOSITORY, content.layer));
        ManifestJson large = ManifestJson.ociImage(content.configs.get(3), content.layer);
        for (int i = 0; i < 390; i++) {
            large.annotation("large-annotation-" + i, "A".repeat(10_000));
        }
        TestBlob manifest = large.build();

        HttpResponse<byte[]> response = SuiteRequests.putManifest(http, REPOSITORY, "push-large", MediaTypes.OCI_MANIFEST, manifest);

        assertThat(response.statusCode()).as(describe(response)).isEqualTo(201);
        assertThat(http.get(manifestPath(manifest.digest().toString())).body()).isEqualTo(manifest.content());
    }

    /** Main-branch suite, "Empty Index": an index with an empty {@code manifests} list. */
    @Test
    @Order(84)
    void anIndexWithoutManifestsIsAccepted() {
        TestBlob index = ManifestJson.index(MediaTypes.OCI_INDEX, MediaTypes.OCI_MANIFEST).build();

        HttpResponse<byte[]> response = SuiteRequests.putManifest(http, REPOSITORY, "push-empty-index", MediaTypes.OCI_INDEX, index);

        assertThat(response.statusCode()).as(describe(response)).isEqualTo(201);
    }

    /**
     * Main-branch suite, "Non-distributable Layers": layers with {@code urls} and a
     * non-distributable media type are fetched elsewhere, so they need not be in the registry.
     */
    @Test
    @Order(85)
    void nonDistributableLayersNeedNotBePushed() {
        TestBlob foreign = TestBlob.random(256, 708);
        ManifestJson manifest = ManifestJson.ociImage(content.configs.get(3), content.layer);
        ObjectNode layer = ManifestJson.descriptor("application/vnd.oci.image.layer.nondistributable.v1.tar+gzip",
                foreign.digest(), 123_456);
        layer.putArray("urls").add("https://blobs.example.com/conformance/" + foreign.digest().encoded());
        ((ArrayNode) manifest.root().get("layers")).insert(0, layer);
        TestBlob image = manifest.build();

        HttpResponse<byte[]> response = SuiteRequests.putManifest(http, REPOSITORY, "push-non-distributable",
                MediaTypes.OCI_MANIFEST, image);

        assertThat(response.statusCode()).as(describe(response)).isEqualTo(201);
    }

    /**
     * Main-branch suite in "1.1+dev" mode, "Tag Param": a push by digest with {@code tag}
     * parameters answers {@code OCI-Tag} naming each tag, and each tag then resolves.
     */
    @Test
    @Order(86)
    void tagParametersOfAPushByDigestAreAnsweredWithOciTag() {
        TestBlob image = content.images.get(3);

        HttpResponse<byte[]> response = http.put(manifestPath(image.digest() + "?tag=push-param-0&tag=push-param-1"),
                MediaTypes.OCI_MANIFEST, image.content());

        assertThat(response.statusCode()).as(describe(response)).isEqualTo(201);
        List<String> announced = response.headers().allValues("OCI-Tag").stream()
                .flatMap(value -> Arrays.stream(value.split(","))).map(String::trim).toList();
        assertThat(announced).contains("push-param-0", "push-param-1");
        for (String tag : List.of("push-param-0", "push-param-1")) {
            assertThat(SuiteRequests.pullManifest(http, "GET", REPOSITORY, tag).body()).isEqualTo(image.content());
        }
    }

    /** Flips one byte, so that the content no longer matches its digest. */
    private static byte[] corrupt(byte[] content) {
        byte[] corrupted = content.clone();
        corrupted[corrupted.length / 2] ^= 0x5a;
        return corrupted;
    }

    private static String blobPath(String repository, TestBlob blob) {
        return "/v2/" + repository + "/blobs/" + blob.digest();
    }

    private static String manifestPath(String reference) {
        return "/v2/" + REPOSITORY + "/manifests/" + reference;
    }
}
