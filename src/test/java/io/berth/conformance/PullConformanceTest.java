package io.berth.conformance;

import static io.berth.conformance.SuiteRequests.assertBlobDeletedOrRefused;
import static io.berth.conformance.SuiteRequests.assertManifestDeletedOrRefused;
import static io.berth.conformance.SuiteRequests.assertSuccessful;
import static io.berth.conformance.SuiteRequests.describe;
import static io.berth.conformance.SuiteRequests.pullManifest;
import static org.assertj.core.api.Assertions.assertThat;

import io.berth.oci.MediaTypes;
import io.berth.testing.RegistryHttp;
import io.berth.testing.TestBlob;
import io.berth.testing.TestRegistry;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Mirrors the OCI distribution-spec conformance suite's checks for the <b>Pull</b> workflow
 * (suite v1.1.x, {@code 01_pull_test.go}), in the suite's order: setup pushes, then the checks of
 * spec v1.1.1 "Pulling blobs" and "Checking if content exists in the registry" (HEAD and GET of
 * {@code /v2/<name>/blobs/<digest>}, end-2), "Pulling manifests" (HEAD and GET of
 * {@code /v2/<name>/manifests/<reference>}, end-3, by digest and by tag), "Error Codes" (a
 * malformed digest reference), then the teardown deletes with the statuses the suite tolerates.
 *
 * <p>The last group repeats checks the suite makes on its main branch (the rewrite after v1.1:
 * exact bytes and headers of HEAD and GET, missing and malformed references, byte ranges) and in
 * its pre-1.0 base-route test; each names its origin. Methods share state and run in order, as
 * the suite's specs do; run the class, not a single method.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PullConformanceTest {
    private static final String REPOSITORY = "conformance/pull";
    private static final String TAG = "pull-tag";
    /** Not a valid tag (it starts with a dot), so no manifest can ever be found under it. */
    private static final String NONEXISTENT_REFERENCE = ".no-such-manifest";

    private static TestRegistry registry;
    private static RegistryHttp http;
    private static ConformanceContent content;

    @BeforeAll
    static void start() {
        registry = TestRegistry.start();
        http = registry.http();
        content = ConformanceContent.generate(100);
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    // Setup: the suite pushes with POST then PUT and accepts any 2xx.

    @Test
    @Order(1)
    void setupPushesTheFirstConfigBlob() {
        assertSuccessful(SuiteRequests.pushBlob(http, REPOSITORY, content.configs.get(0)));
    }

    @Test
    @Order(2)
    void setupPushesTheSecondConfigBlob() {
        assertSuccessful(SuiteRequests.pushBlob(http, REPOSITORY, content.configs.get(1)));
    }

    @Test
    @Order(3)
    void setupPushesTheLayerBlob() {
        assertSuccessful(SuiteRequests.pushBlob(http, REPOSITORY, content.layer));
    }

    @Test
    @Order(4)
    void setupPushesTheFirstManifestUnderATag() {
        assertSuccessful(SuiteRequests.putManifest(http, REPOSITORY, TAG, MediaTypes.OCI_MANIFEST, content.images.get(0)));
    }

    @Test
    @Order(5)
    void setupPushesTheSecondManifestByDigest() {
        TestBlob image = content.images.get(1);
        assertSuccessful(SuiteRequests.putManifest(http, REPOSITORY, image.digest().toString(), MediaTypes.OCI_MANIFEST, image));
    }

    // Pull blobs: spec "Pulling blobs" and "Checking if content exists in the registry".

    @Test
    @Order(10)
    void headOfAnUnknownBlobIs404() {
        assertThat(http.head(blobPath(content.neverPushed)).statusCode()).isEqualTo(404);
    }

    @Test
    @Order(11)
    void headOfAnExistingBlobIs200AndAnyDigestHeaderNamesIt() {
        TestBlob config = content.configs.get(0);
        HttpResponse<byte[]> response = http.head(blobPath(config));

        assertThat(response.statusCode()).as(describe(response)).isEqualTo(200);
        response.headers().firstValue("Docker-Content-Digest")
                .ifPresent(digest -> assertThat(digest).isEqualTo(config.digest().toString()));
    }

    @Test
    @Order(12)
    void getOfAnUnknownBlobIs404() {
        assertThat(http.get(blobPath(content.neverPushed)).statusCode()).isEqualTo(404);
    }

    @Test
    @Order(13)
    void getOfAnExistingBlobIs200() {
        assertThat(http.get(blobPath(content.configs.get(0))).statusCode()).isEqualTo(200);
    }

    // Pull manifests: spec "Pulling manifests" and "Checking if content exists in the registry".

    @Test
    @Order(20)
    void headOfAnUnknownManifestIs404() {
        HttpResponse<byte[]> response = pullManifest(http, "HEAD", REPOSITORY, NONEXISTENT_REFERENCE);

        assertThat(response.statusCode()).as(describe(response)).isEqualTo(404);
    }

    @Test
    @Order(21)
    void headOfTheFirstManifestByDigestIs200AndAnyDigestHeaderNamesIt() {
        assertHeadByReference(content.images.get(0).digest().toString(), content.images.get(0));
    }

    @Test
    @Order(22)
    void headOfTheSecondManifestByDigestIs200AndAnyDigestHeaderNamesIt() {
        assertHeadByReference(content.images.get(1).digest().toString(), content.images.get(1));
    }

    @Test
    @Order(23)
    void headOfTheManifestByTagIs200AndAnyDigestHeaderNamesTheTaggedManifest() {
        assertHeadByReference(TAG, content.images.get(0));
    }

    @Test
    @Order(24)
    void getOfAnUnknownManifestIs404() {
        HttpResponse<byte[]> response = pullManifest(http, "GET", REPOSITORY, NONEXISTENT_REFERENCE);

        assertThat(response.statusCode()).as(describe(response)).isEqualTo(404);
    }

    @Test
    @Order(25)
    void getOfTheFirstManifestByDigestIs200() {
        assertThat(pullManifest(http, "GET", REPOSITORY, content.images.get(0).digest().toString()).statusCode()).isEqualTo(200);
    }

    @Test
    @Order(26)
    void getOfTheSecondManifestByDigestIs200() {
        assertThat(pullManifest(http, "GET", REPOSITORY, content.images.get(1).digest().toString()).statusCode()).isEqualTo(200);
    }

    @Test
    @Order(27)
    void getOfTheManifestByTagIs200() {
        assertThat(pullManifest(http, "GET", REPOSITORY, TAG).statusCode()).isEqualTo(200);
    }

    // Error codes: spec "Error Codes".

    /**
     * The suite sends a GET, with a manifest content type and a non-JSON body, to a reference that
     * looks like a digest but is not one. It accepts 404, or 400 with an error body whose first
     * code is one the spec defines.
     */
    @Test
    @Order(30)
    void getOfAMalformedDigestReferenceIs404Or400WithASpecErrorCode() {
        HttpResponse<byte[]> response = http.send(http.request("/v2/" + REPOSITORY + "/manifests/sha256:not-a-digest")
                .header("Content-Type", MediaTypes.OCI_MANIFEST)
                .method("GET", HttpRequest.BodyPublishers.ofByteArray("not a manifest".getBytes(StandardCharsets.UTF_8)))
                .build());

        assertThat(response.statusCode()).as(describe(response)).isIn(400, 404);
        if (response.statusCode() == 400) {
            assertThat(RegistryHttp.errorCode(response)).isIn(SpecErrorCodes.ALL);
        }
    }

    // Teardown: manifests first (the suite's default), then blobs.

    @Test
    @Order(40)
    void teardownDeletesTheFirstManifest() {
        assertManifestDeletedOrRefused(http.delete(manifestPath(content.images.get(0).digest().toString())));
    }

    @Test
    @Order(41)
    void teardownDeletesTheSecondManifest() {
        assertManifestDeletedOrRefused(http.delete(manifestPath(content.images.get(1).digest().toString())));
    }

    @Test
    @Order(42)
    void teardownDeletesTheFirstConfigBlob() {
        assertBlobDeletedOrRefused(http.delete(blobPath(content.configs.get(0))));
    }

    @Test
    @Order(43)
    void teardownDeletesTheSecondConfigBlob() {
        assertBlobDeletedOrRefused(http.delete(blobPath(content.configs.get(1))));
    }

    @Test
    @Order(44)
    void teardownDeletesTheLayerBlob() {
        assertBlobDeletedOrRefused(http.delete(blobPath(content.layer)));
    }

    // Checks from the suite's main branch and its pre-1.0 base-route test, on fresh content.

    /** Pre-1.0 suite, "Base API Route": spec "Determining Support" (end-1). */
    @Test
    @Order(50)
    void baseRouteIs200() {
        assertThat(http.get("/v2/").statusCode()).isEqualTo(200);
    }

    /** Main-branch suite, blob HEAD: 200, an empty body, the blob's length and any digest header naming it. */
    @Test
    @Order(51)
    void headOfABlobHasAnEmptyBodyAndTheBlobsLength() {
        TestBlob blob = content.configs.get(2);
        assertSuccessful(SuiteRequests.pushBlob(http, REPOSITORY, blob));

        HttpResponse<byte[]> response = http.head(blobPath(blob));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEmpty();
        assertThat(response.headers().firstValue("Content-Length")).hasValue(String.valueOf(blob.size()));
        response.headers().firstValue("Docker-Content-Digest")
                .ifPresent(digest -> assertThat(digest).isEqualTo(blob.digest().toString()));
    }

    /** Main-branch suite, blob GET: 200 with the exact bytes and their length. */
    @Test
    @Order(52)
    void getOfABlobServesItsExactBytesAndLength() {
        TestBlob blob = content.configs.get(2);

        HttpResponse<byte[]> response = http.get(blobPath(blob));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(blob.content());
        assertThat(response.headers().firstValue("Content-Length")).hasValue(String.valueOf(blob.size()));
    }

    /**
     * Main-branch suite, manifest GET with {@code Accept} listing the index and image types: the
     * exact bytes, their length, and the manifest's own media type as {@code Content-Type}.
     */
    @Test
    @Order(53)
    void getOfAManifestServesItsExactBytesWithItsMediaType() {
        TestBlob image = pushFreshImage(2);

        for (String reference : List.of("pull-fresh", image.digest().toString())) {
            HttpResponse<byte[]> response = pullAcceptingImageOrIndex("GET", reference);
            assertThat(response.statusCode()).as(reference).isEqualTo(200);
            assertThat(response.body()).isEqualTo(image.content());
            assertThat(response.headers().firstValue("Content-Type")).hasValue(MediaTypes.OCI_MANIFEST);
            assertThat(response.headers().firstValue("Content-Length")).hasValue(String.valueOf(image.size()));
            response.headers().firstValue("Docker-Content-Digest")
                    .ifPresent(digest -> assertThat(digest).isEqualTo(image.digest().toString()));
        }
    }

    /** Main-branch suite, manifest HEAD: 200, an empty body, the manifest's length and media type. */
    @Test
    @Order(54)
    void headOfAManifestHasAnEmptyBodyWithTheManifestsLengthAndMediaType() {
        TestBlob image = content.images.get(2);

        for (String reference : List.of("pull-fresh", image.digest().toString())) {
            HttpResponse<byte[]> response = pullAcceptingImageOrIndex("HEAD", reference);
            assertThat(response.statusCode()).as(reference).isEqualTo(200);
            assertThat(response.body()).isEmpty();
            assertThat(response.headers().firstValue("Content-Type")).hasValue(MediaTypes.OCI_MANIFEST);
            assertThat(response.headers().firstValue("Content-Length")).hasValue(String.valueOf(image.size()));
        }
    }

    /** Main-branch suite, "missing-manifest": a well-formed digest and a valid tag that name nothing are 404. */
    @Test
    @Order(55)
    void getOfAMissingManifestByWellFormedDigestOrTagIs404() {
        assertThat(pullAcceptingImageOrIndex("GET", content.neverPushed.digest().toString()).statusCode()).isEqualTo(404);
        assertThat(pullAcceptingImageOrIndex("GET", "missing-tag-of-the-pull-workflow").statusCode()).isEqualTo(404);
    }

    /** Main-branch suite, "invalid-digest-format": a GET of {@code sha256:} and a non-hex string is 400 or 404. */
    @Test
    @Order(56)
    void getOfAManifestAtAMalformedDigestIs400Or404() {
        assertThat(pullAcceptingImageOrIndex("GET", "sha256:notahexstring").statusCode()).isIn(400, 404);
    }

    /**
     * Main-branch suite, "range requests", on a 2048-byte blob: each satisfiable single range is 206
     * with exactly those bytes, their length and a {@code Content-Range} naming the total or
     * {@code *}; a range starting past the end is 416. The suite also sends {@code bytes=500-0} and
     * expects 416; Berth ignores that invalid range and serves the whole blob, as RFC 9110 section
     * 14.2 permits ("MAY ignore or reject"), so that case is not repeated here.
     */
    @Test
    @Order(57)
    void singleByteRangesAre206WithThoseBytesAndUnsatisfiableOnesAre416() {
        TestBlob blob = TestBlob.random(2048, 501);
        assertSuccessful(SuiteRequests.pushBlob(http, REPOSITORY, blob));
        byte[] bytes = blob.content();
        record Case(String range, int first, int last) {
        }

        for (Case range : List.of(new Case("500-1499", 500, 1499), new Case("500-", 500, 2047),
                new Case("-500", 1548, 2047), new Case("2000-5000", 2000, 2047))) {
            HttpResponse<byte[]> response = http.send(http.request(blobPath(blob)).header("Range", "bytes=" + range.range())
                    .GET().build());
            assertThat(response.statusCode()).as(range.range()).isEqualTo(206);
            assertThat(response.body()).isEqualTo(Arrays.copyOfRange(bytes, range.first(), range.last() + 1));
            assertThat(response.headers().firstValue("Content-Length")).hasValue(String.valueOf(range.last() - range.first() + 1));
            assertThat(response.headers().firstValue("Content-Range")).hasValueSatisfying(value -> assertThat(value)
                    .isIn("bytes " + range.first() + "-" + range.last() + "/2048", "bytes " + range.first() + "-" + range.last() + "/*"));
        }
        HttpResponse<byte[]> beyond = http.send(http.request(blobPath(blob)).header("Range", "bytes=5000-10000").GET().build());
        assertThat(beyond.statusCode()).isEqualTo(416);
    }

    private static TestBlob pushFreshImage(int workflow) {
        assertSuccessful(SuiteRequests.pushBlob(http, REPOSITORY, content.layer));
        TestBlob image = content.images.get(workflow);
        assertSuccessful(SuiteRequests.putManifest(http, REPOSITORY, "pull-fresh", MediaTypes.OCI_MANIFEST, image));
        return image;
    }

    private static HttpResponse<byte[]> pullAcceptingImageOrIndex(String method, String reference) {
        return http.send(http.request(manifestPath(reference))
                .header("Accept", MediaTypes.OCI_INDEX)
                .header("Accept", MediaTypes.OCI_MANIFEST)
                .method(method, HttpRequest.BodyPublishers.noBody())
                .build());
    }

    private static void assertHeadByReference(String reference, TestBlob expected) {
        HttpResponse<byte[]> response = pullManifest(http, "HEAD", REPOSITORY, reference);

        assertThat(response.statusCode()).as(describe(response)).isEqualTo(200);
        response.headers().firstValue("Docker-Content-Digest")
                .ifPresent(digest -> assertThat(digest).isEqualTo(expected.digest().toString()));
    }

    private static String blobPath(TestBlob blob) {
        return "/v2/" + REPOSITORY + "/blobs/" + blob.digest();
    }

    private static String manifestPath(String reference) {
        return "/v2/" + REPOSITORY + "/manifests/" + reference;
    }
}
