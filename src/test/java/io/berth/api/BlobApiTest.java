package io.berth.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.oci.Digest;
import io.berth.oci.DigestAlgorithm;
import io.berth.testing.RegistryHttp;
import io.berth.testing.TestBlob;
import io.berth.testing.TestRegistry;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Blob pull, push (monolithic, chunked, streamed), mount, delete: end-2, end-4 … end-6, end-10, end-11, end-13. */
class BlobApiTest {
    private static TestRegistry registry;
    private static RegistryHttp http;

    @BeforeAll
    static void start() {
        registry = TestRegistry.start();
        http = registry.http();
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    @Test
    void monolithicPostWithDigestCreatesTheBlob() {
        TestBlob blob = TestBlob.random(5000, 1);
        HttpResponse<byte[]> response = http.post("/v2/mono/app/blobs/uploads/?digest=" + blob.digest(), blob.content());

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.headers().firstValue("Location")).hasValue("/v2/mono/app/blobs/" + blob.digest());
        assertThat(response.headers().firstValue("Docker-Content-Digest")).hasValue(blob.digest().toString());
        assertThat(http.get("/v2/mono/app/blobs/" + blob.digest()).body()).isEqualTo(blob.content());
    }

    @Test
    void postThenPutUploadsInTwoSteps() {
        TestBlob blob = TestBlob.random(7000, 2);
        HttpResponse<byte[]> started = http.post("/v2/twostep/blobs/uploads/");
        assertThat(started.statusCode()).isEqualTo(202);
        String location = started.headers().firstValue("Location").orElseThrow();
        assertThat(location).startsWith("/v2/twostep/blobs/uploads/");
        assertThat(started.headers().firstValue("Range")).hasValue("0-0");

        HttpResponse<byte[]> put = http.put(location + "?digest=" + blob.digest(), "application/octet-stream", blob.content());

        assertThat(put.statusCode()).isEqualTo(201);
        assertThat(put.headers().firstValue("Location")).hasValue("/v2/twostep/blobs/" + blob.digest());
        assertThat(http.get("/v2/twostep/blobs/" + blob.digest()).body()).isEqualTo(blob.content());
    }

    @Test
    void chunkedUploadWithContentRangeReportsProgressAndCompletes() {
        TestBlob blob = TestBlob.random(30_000, 3);
        String location = http.post("/v2/chunked/blobs/uploads/").headers().firstValue("Location").orElseThrow();

        HttpResponse<byte[]> first = http.patch(location, Arrays.copyOfRange(blob.content(), 0, 10_000),
                Map.of("Content-Range", "0-9999"));
        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(first.headers().firstValue("Range")).hasValue("0-9999");
        location = first.headers().firstValue("Location").orElseThrow();

        HttpResponse<byte[]> status = http.get(location);
        assertThat(status.statusCode()).isEqualTo(204);
        assertThat(status.headers().firstValue("Range")).hasValue("0-9999");
        assertThat(status.headers().firstValue("Location")).hasValue(location);

        HttpResponse<byte[]> second = http.patch(location, Arrays.copyOfRange(blob.content(), 10_000, 25_000),
                Map.of("Content-Range", "10000-24999"));
        assertThat(second.headers().firstValue("Range")).hasValue("0-24999");

        HttpResponse<byte[]> put = http.send(http.request(location + "?digest=" + blob.digest())
                .header("Content-Range", "25000-29999")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofByteArray(Arrays.copyOfRange(blob.content(), 25_000, 30_000)))
                .build());
        assertThat(put.statusCode()).isEqualTo(201);
        assertThat(http.get("/v2/chunked/blobs/" + blob.digest()).body()).isEqualTo(blob.content());
    }

    @Test
    void outOfOrderAndRepeatedChunksAre416WithTheCurrentRange() {
        TestBlob blob = TestBlob.random(2000, 4);
        String location = http.post("/v2/order/blobs/uploads/").headers().firstValue("Location").orElseThrow();
        http.patch(location, Arrays.copyOfRange(blob.content(), 0, 1000), Map.of("Content-Range", "0-999"));

        HttpResponse<byte[]> skipped = http.patch(location, Arrays.copyOfRange(blob.content(), 1500, 2000),
                Map.of("Content-Range", "1500-1999"));
        HttpResponse<byte[]> repeated = http.patch(location, Arrays.copyOfRange(blob.content(), 0, 1000),
                Map.of("Content-Range", "0-999"));

        for (HttpResponse<byte[]> response : java.util.List.of(skipped, repeated)) {
            assertThat(response.statusCode()).isEqualTo(416);
            assertThat(response.headers().firstValue("Range")).hasValue("0-999");
            assertThat(RegistryHttp.errorCode(response)).isEqualTo("BLOB_UPLOAD_INVALID");
        }
        HttpResponse<byte[]> rest = http.patch(location, Arrays.copyOfRange(blob.content(), 1000, 2000),
                Map.of("Content-Range", "1000-1999"));
        assertThat(rest.statusCode()).isEqualTo(202);
        assertThat(http.put(location + "?digest=" + blob.digest(), "application/octet-stream", new byte[0]).statusCode())
                .isEqualTo(201);
    }

    @Test
    void streamedPatchWithoutContentRangeAppends() {
        TestBlob blob = TestBlob.random(50_000, 5);
        String location = http.post("/v2/streamed/blobs/uploads/").headers().firstValue("Location").orElseThrow();

        HttpResponse<byte[]> first = http.patch(location, Arrays.copyOfRange(blob.content(), 0, 20_000), Map.of());
        HttpResponse<byte[]> second = http.patch(first.headers().firstValue("Location").orElseThrow(),
                Arrays.copyOfRange(blob.content(), 20_000, 50_000), Map.of());

        assertThat(second.statusCode()).isEqualTo(202);
        assertThat(second.headers().firstValue("Range")).hasValue("0-49999");
        assertThat(http.put(location + "?digest=" + blob.digest(), "application/octet-stream", new byte[0]).statusCode())
                .isEqualTo(201);
    }

    @Test
    void sha512DigestsAreVerifiedAndServed() {
        byte[] content = TestBlob.random(4096, 6).content();
        Digest digest = Digest.of(DigestAlgorithm.SHA512, content);

        HttpResponse<byte[]> response = http.post("/v2/sha512/blobs/uploads/?digest=" + digest, content);

        assertThat(response.statusCode()).isEqualTo(201);
        HttpResponse<byte[]> pulled = http.get("/v2/sha512/blobs/" + digest);
        assertThat(pulled.body()).isEqualTo(content);
        assertThat(pulled.headers().firstValue("Docker-Content-Digest")).hasValue(digest.toString());
    }

    @Test
    void digestMismatchIs400AndLeavesNothingBehind() throws IOException {
        TestBlob blob = TestBlob.random(3000, 7);
        Digest wrong = TestBlob.random(3000, 8).digest();

        HttpResponse<byte[]> monolithic = http.post("/v2/mismatch/blobs/uploads/?digest=" + wrong, blob.content());
        String location = http.post("/v2/mismatch/blobs/uploads/").headers().firstValue("Location").orElseThrow();
        HttpResponse<byte[]> twoStep = http.put(location + "?digest=" + wrong, "application/octet-stream", blob.content());

        assertThat(monolithic.statusCode()).isEqualTo(400);
        assertThat(RegistryHttp.errorCode(monolithic)).isEqualTo("DIGEST_INVALID");
        assertThat(twoStep.statusCode()).isEqualTo(400);
        assertThat(RegistryHttp.errorCode(twoStep)).isEqualTo("DIGEST_INVALID");
        assertThat(http.head("/v2/mismatch/blobs/" + wrong).statusCode()).isEqualTo(404);
        assertThat(http.head("/v2/mismatch/blobs/" + blob.digest()).statusCode()).isEqualTo(404);
        assertThat(filesUnder(registry.dataDir().resolve("blobs"))).noneMatch(path -> path.endsWith(wrong.encoded())
                || path.endsWith(blob.digest().encoded()));
        assertThat(http.get(location).statusCode()).as("the failed session is gone").isEqualTo(404);
    }

    @Test
    void malformedDigestsAre400Everywhere() {
        for (String path : new String[]{
                "/v2/bad/blobs/sha256:xyz",
                "/v2/bad/blobs/sha256:" + "A".repeat(64),
                "/v2/bad/blobs/md5:0123",
                "/v2/bad/blobs/uploads/?digest=sha256:short",
                "/v2/bad/blobs/uploads/?mount=notadigest&from=other",
                "/v2/bad/referrers/sha256:zz"}) {
            HttpResponse<byte[]> response = path.contains("uploads") ? http.post(path, new byte[0]) : http.get(path);
            assertThat(response.statusCode()).as(path).isEqualTo(400);
            assertThat(RegistryHttp.errorCode(response)).as(path).isEqualTo("DIGEST_INVALID");
        }
        String location = http.post("/v2/bad/blobs/uploads/").headers().firstValue("Location").orElseThrow();
        HttpResponse<byte[]> put = http.put(location + "?digest=sha256:nothex", "application/octet-stream", new byte[0]);
        assertThat(put.statusCode()).isEqualTo(400);
        HttpResponse<byte[]> missing = http.put(location, "application/octet-stream", new byte[0]);
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(RegistryHttp.errorCode(missing)).isEqualTo("DIGEST_INVALID");
    }

    @Test
    void getAndHeadCarryTheSpecHeaders() {
        TestBlob blob = TestBlob.random(1234, 9);
        http.pushBlob("headers/app", blob.content());

        HttpResponse<byte[]> head = http.head("/v2/headers/app/blobs/" + blob.digest());
        HttpResponse<byte[]> get = http.get("/v2/headers/app/blobs/" + blob.digest());

        for (HttpResponse<byte[]> response : java.util.List.of(head, get)) {
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Length")).hasValue("1234");
            assertThat(response.headers().firstValue("Docker-Content-Digest")).hasValue(blob.digest().toString());
            assertThat(response.headers().firstValue("ETag")).hasValue("\"" + blob.digest() + "\"");
            assertThat(response.headers().firstValue("Accept-Ranges")).hasValue("bytes");
            assertThat(response.headers().firstValue("Docker-Distribution-API-Version")).hasValue("registry/2.0");
        }
        assertThat(head.body()).isEmpty();
        assertThat(get.body()).isEqualTo(blob.content());
    }

    @Test
    void singleRangeRequestsAre206AndUnsatisfiableOnesAre416() {
        TestBlob blob = TestBlob.random(1000, 10);
        http.pushBlob("ranges", blob.content());
        String path = "/v2/ranges/blobs/" + blob.digest();

        HttpResponse<byte[]> middle = http.send(http.request(path).header("Range", "bytes=100-199").GET().build());
        HttpResponse<byte[]> tail = http.send(http.request(path).header("Range", "bytes=900-").GET().build());
        HttpResponse<byte[]> suffix = http.send(http.request(path).header("Range", "bytes=-10").GET().build());
        HttpResponse<byte[]> beyond = http.send(http.request(path).header("Range", "bytes=1000-1100").GET().build());

        assertThat(middle.statusCode()).isEqualTo(206);
        assertThat(middle.headers().firstValue("Content-Range")).hasValue("bytes 100-199/1000");
        assertThat(middle.body()).isEqualTo(Arrays.copyOfRange(blob.content(), 100, 200));
        assertThat(tail.body()).isEqualTo(Arrays.copyOfRange(blob.content(), 900, 1000));
        assertThat(suffix.body()).isEqualTo(Arrays.copyOfRange(blob.content(), 990, 1000));
        assertThat(beyond.statusCode()).isEqualTo(416);
        assertThat(beyond.headers().firstValue("Content-Range")).hasValue("bytes */1000");
    }

    @Test
    void deleteUnlinksFromThatRepositoryOnly() {
        TestBlob blob = TestBlob.random(800, 11);
        http.pushBlob("delete/one", blob.content());
        http.pushBlob("delete/two", blob.content());

        HttpResponse<byte[]> deleted = http.delete("/v2/delete/one/blobs/" + blob.digest());

        assertThat(deleted.statusCode()).isEqualTo(202);
        assertThat(http.head("/v2/delete/one/blobs/" + blob.digest()).statusCode()).isEqualTo(404);
        assertThat(http.get("/v2/delete/two/blobs/" + blob.digest()).body()).isEqualTo(blob.content());
        HttpResponse<byte[]> again = http.delete("/v2/delete/one/blobs/" + blob.digest());
        assertThat(again.statusCode()).isEqualTo(404);
        assertThat(RegistryHttp.errorCode(again)).isEqualTo("BLOB_UNKNOWN");
    }

    @Test
    void aBlobIsReadableOnlyThroughRepositoriesThatLinkIt() {
        TestBlob blob = TestBlob.random(600, 12);
        http.pushBlob("private/source", blob.content());

        HttpResponse<byte[]> elsewhere = http.get("/v2/private/other/blobs/" + blob.digest());

        assertThat(elsewhere.statusCode()).isEqualTo(404);
        assertThat(RegistryHttp.errorCode(elsewhere)).isEqualTo("BLOB_UNKNOWN");
    }

    @Test
    void mountFromARepositoryThatHasTheBlobIs201() {
        TestBlob blob = TestBlob.random(900, 13);
        http.pushBlob("mount/source", blob.content());

        HttpResponse<byte[]> mounted = http.post("/v2/mount/target/blobs/uploads/?mount=" + blob.digest() + "&from=mount/source");

        assertThat(mounted.statusCode()).isEqualTo(201);
        assertThat(mounted.headers().firstValue("Location")).hasValue("/v2/mount/target/blobs/" + blob.digest());
        assertThat(mounted.headers().firstValue("Docker-Content-Digest")).hasValue(blob.digest().toString());
        assertThat(http.get("/v2/mount/target/blobs/" + blob.digest()).body()).isEqualTo(blob.content());
    }

    @Test
    void mountWithoutFromMountsAnExistingBlobAutomatically() {
        TestBlob blob = TestBlob.random(901, 14);
        http.pushBlob("automount/source", blob.content());

        HttpResponse<byte[]> mounted = http.post("/v2/automount/target/blobs/uploads/?mount=" + blob.digest());

        assertThat(mounted.statusCode()).isEqualTo(201);
        assertThat(http.head("/v2/automount/target/blobs/" + blob.digest()).statusCode()).isEqualTo(200);
    }

    @Test
    void mountOfAnUnknownBlobOrFromARepositoryWithoutItStartsAnUpload() {
        TestBlob blob = TestBlob.random(902, 15);
        http.pushBlob("nomount/elsewhere", blob.content());

        HttpResponse<byte[]> wrongSource = http.post("/v2/nomount/target/blobs/uploads/?mount=" + blob.digest() + "&from=nomount/empty");
        HttpResponse<byte[]> unknown = http.post("/v2/nomount/target/blobs/uploads/?mount=" + TestBlob.random(5, 99).digest());

        for (HttpResponse<byte[]> response : java.util.List.of(wrongSource, unknown)) {
            assertThat(response.statusCode()).isEqualTo(202);
            assertThat(response.headers().firstValue("Location")).hasValueSatisfying(
                    location -> assertThat(location).startsWith("/v2/nomount/target/blobs/uploads/"));
        }
        assertThat(http.head("/v2/nomount/target/blobs/" + blob.digest()).statusCode()).isEqualTo(404);
    }

    @Test
    void cancelledUploadsAreGone() {
        String location = http.post("/v2/cancel/blobs/uploads/").headers().firstValue("Location").orElseThrow();
        http.patch(location, new byte[100], Map.of());

        HttpResponse<byte[]> cancelled = http.delete(location);

        assertThat(cancelled.statusCode()).isEqualTo(204);
        HttpResponse<byte[]> status = http.get(location);
        assertThat(status.statusCode()).isEqualTo(404);
        assertThat(RegistryHttp.errorCode(status)).isEqualTo("BLOB_UPLOAD_UNKNOWN");
        String id = location.substring(location.lastIndexOf('/') + 1);
        assertThat(registry.dataDir().resolve("uploads").resolve(id)).doesNotExist();
    }

    @Test
    void unknownUploadsAndUploadsOfAnotherRepositoryAre404() {
        String location = http.post("/v2/owner/blobs/uploads/").headers().firstValue("Location").orElseThrow();
        String id = location.substring(location.lastIndexOf('/') + 1);

        HttpResponse<byte[]> otherRepository = http.get("/v2/intruder/blobs/uploads/" + id);
        HttpResponse<byte[]> unknown = http.get("/v2/owner/blobs/uploads/00000000-0000-0000-0000-000000000000");
        HttpResponse<byte[]> garbage = http.patch("/v2/owner/blobs/uploads/..%2F..%2Fetc", new byte[1], Map.of());

        assertThat(otherRepository.statusCode()).isEqualTo(404);
        assertThat(RegistryHttp.errorCode(otherRepository)).isEqualTo("BLOB_UPLOAD_UNKNOWN");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(garbage.statusCode()).isIn(400, 404);
    }

    @Test
    void contentLengthThatDisagreesWithContentRangeIsRejected() {
        String location = http.post("/v2/sizes/blobs/uploads/").headers().firstValue("Location").orElseThrow();

        HttpResponse<byte[]> response = http.patch(location, new byte[100], Map.of("Content-Range", "0-49"));

        assertThat(response.statusCode()).isIn(400, 416);
        assertThat(http.get(location).headers().firstValue("Range")).hasValue("0-0");
    }

    private static Stream<Path> filesUnder(Path root) throws IOException {
        return Files.walk(root).filter(Files::isRegularFile).toList().stream();
    }
}
