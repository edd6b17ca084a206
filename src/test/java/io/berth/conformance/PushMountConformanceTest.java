package io.berth.conformance;

import static io.berth.conformance.SuiteRequests.assertSuccessful;
import static io.berth.conformance.SuiteRequests.blobPath;
import static io.berth.conformance.SuiteRequests.describe;
import static io.berth.conformance.SuiteRequests.relativeLocation;
import static org.assertj.core.api.Assertions.assertThat;

import io.berth.testing.RegistryHttp;
import io.berth.testing.TestBlob;
import io.berth.testing.TestRegistry;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Mirrors the OCI distribution-spec conformance suite's checks for "Mounting a blob from another
 * repository" in the <b>Push</b> workflow (suite v1.1.x, {@code 02_push_test.go}, spec v1.1.1
 * end-11), in the suite's order, including the mount without {@code from} that Berth performs
 * automatically; then the suite's main-branch check of a mount from a repository that lacks the blob.
 *
 * <p>The suite mounts the blob that its streamed upload left in the push repository; here that
 * blob is pushed there first, the suite's usual way (POST, then PUT). Methods share state and run
 * in order, as the suite's specs do; run the class, not a single method.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PushMountConformanceTest {
    private static final String REPOSITORY = "conformance/push";
    private static final String MOUNT_TARGET = "conformance/push-mount-target";

    private static TestRegistry registry;
    private static RegistryHttp http;
    private static ConformanceContent content;
    private static HttpResponse<byte[]> mountResponse;

    @BeforeAll
    static void start() {
        registry = TestRegistry.start();
        http = registry.http();
        content = ConformanceContent.generate(200);
        assertSuccessful(SuiteRequests.pushBlob(http, REPOSITORY, content.streamedBlob));
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

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

    // Checks from the suite's main branch.

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
}
