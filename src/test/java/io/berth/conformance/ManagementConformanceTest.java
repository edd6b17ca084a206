package io.berth.conformance;

import static io.berth.conformance.SuiteRequests.assertSuccessful;
import static io.berth.conformance.SuiteRequests.describe;
import static org.assertj.core.api.Assertions.assertThat;

import io.berth.oci.MediaTypes;
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
 * Mirrors the OCI distribution-spec conformance suite's checks for the <b>Content Management</b>
 * workflow (suite v1.1.x, {@code 04_management_test.go}), in the suite's order, against spec
 * v1.1.1 "Content Management": "Deleting tags" and "Deleting Manifests" (end-9), the tag list
 * reflecting the deletion (end-8a), and "Deleting Blobs" (end-10). The suite accepts the statuses
 * the spec allows a registry that disables deletion (400 with {@code UNSUPPORTED}, or 405).
 *
 * <p>The last group repeats management checks the suite makes after v1.1: the stricter variant of
 * this file (exactly 202 for each delete, the tag count dropping by exactly one) and the main-branch
 * rewrite (a HEAD after each delete is 404 at once). Methods share state and run in order, as the
 * suite's specs do; run the class, not a single method.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ManagementConformanceTest {
    private static final String REPOSITORY = "conformance/management";
    private static final String TAG_TO_DELETE = "management-tag";

    private static TestRegistry registry;
    private static RegistryHttp http;
    private static ConformanceContent content;
    private static int tagCountBeforeDeletion;
    private static boolean blobDeletionAllowed = true;

    @BeforeAll
    static void start() {
        registry = TestRegistry.start();
        http = registry.http();
        content = ConformanceContent.generate(400);
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    // Setup

    @Test
    @Order(1)
    void setupPushesTheConfigBlob() {
        assertSuccessful(SuiteRequests.pushBlob(http, REPOSITORY, content.configs.get(3)));
    }

    @Test
    @Order(2)
    void setupPushesTheLayerBlob() {
        assertSuccessful(SuiteRequests.pushBlob(http, REPOSITORY, content.layer));
    }

    @Test
    @Order(3)
    void setupPushesTheManifestUnderTheTagToDelete() {
        assertSuccessful(SuiteRequests.putManifest(http, REPOSITORY, TAG_TO_DELETE, MediaTypes.OCI_MANIFEST,
                content.images.get(3)));
    }

    @Test
    @Order(4)
    void setupCountsTheTagsBeforeAnythingIsDeleted() {
        HttpResponse<byte[]> response = http.get(tagsPath());

        assertThat(response.statusCode()).isEqualTo(200);
        tagCountBeforeDeletion = RegistryHttp.json(response).path("tags").size();
    }

    // Manifest delete: spec "Deleting tags" and "Deleting Manifests".

    /** 202, or the refusals the spec allows when tag deletion is disabled: 405, or 400 with {@code UNSUPPORTED}. */
    @Test
    @Order(10)
    void deleteOfATagIs202Or400UnsupportedOr405() {
        HttpResponse<byte[]> response = http.delete(manifestPath(TAG_TO_DELETE));

        assertThat(response.statusCode()).as(describe(response)).isIn(400, 202, 405);
        if (response.statusCode() == 400) {
            assertThat(RegistryHttp.errorCode(response)).isEqualTo("UNSUPPORTED");
        }
    }

    @Test
    @Order(11)
    void deleteOfTheManifestByDigestIs202Or404WhenAlreadyGone() {
        HttpResponse<byte[]> response = http.delete(manifestPath(content.images.get(3).digest().toString()));

        assertThat(response.statusCode()).as(describe(response)).isIn(202, 404);
    }

    /** 404, or 200 where deletion is disabled. */
    @Test
    @Order(12)
    void getOfTheDeletedManifestIs404() {
        HttpResponse<byte[]> response = http.get(manifestPath(content.images.get(3).digest().toString()));

        assertThat(response.statusCode()).as(describe(response)).isIn(404, 200);
    }

    @Test
    @Order(13)
    void tagListHasFewerTagsAfterTheDeletion() {
        HttpResponse<byte[]> response = http.get(tagsPath());

        assertThat(response.statusCode()).as(describe(response)).isEqualTo(200);
        assertThat(RegistryHttp.json(response).path("tags").size()).isLessThan(tagCountBeforeDeletion);
    }

    // Blob delete: spec "Deleting Blobs".

    /** 202, 404 when already gone, or 405 where deletion is disabled; first the config, then the layer. */
    @Test
    @Order(20)
    void deleteOfTheConfigAndLayerBlobsIs202Or404Or405() {
        HttpResponse<byte[]> config = http.delete(blobPath(content.configs.get(3)));
        assertThat(config.statusCode()).as(describe(config)).isIn(202, 404, 405);

        HttpResponse<byte[]> layer = http.delete(blobPath(content.layer));
        assertThat(layer.statusCode()).as(describe(layer)).isIn(202, 404, 405);
        blobDeletionAllowed = layer.statusCode() != 405;
    }

    @Test
    @Order(21)
    void getOfTheDeletedBlobIs404() {
        assertThat(blobDeletionAllowed).as("Berth allows blob deletion").isTrue();

        assertThat(http.get(blobPath(content.configs.get(3))).statusCode()).isEqualTo(404);
    }

    // The stricter variant of the suite's management checks, and the main-branch rewrite's, on fresh content.

    /** Stricter suite variant: a tag delete is exactly 202, and the tag list loses exactly that tag. */
    @Test
    @Order(30)
    void deleteOfATagIsExactly202AndTheTagListLosesExactlyOneTag() {
        pushImageForStrictChecks();
        assertSuccessful(SuiteRequests.putManifest(http, REPOSITORY, "strict-a", MediaTypes.OCI_MANIFEST, content.images.get(0)));
        assertSuccessful(SuiteRequests.putManifest(http, REPOSITORY, "strict-b", MediaTypes.OCI_MANIFEST, content.images.get(0)));
        int before = RegistryHttp.json(http.get(tagsPath())).path("tags").size();

        HttpResponse<byte[]> deleted = http.delete(manifestPath("strict-a"));

        assertThat(deleted.statusCode()).as(describe(deleted)).isEqualTo(202);
        HttpResponse<byte[]> after = http.get(tagsPath());
        assertThat(after.statusCode()).isEqualTo(200);
        assertThat(RegistryHttp.json(after).path("tags").size()).isEqualTo(before - 1);
    }

    /** Main-branch suite, "tag delete atomic": a HEAD of the deleted tag is 404 at once. */
    @Test
    @Order(31)
    void headOfADeletedTagIs404AtOnce() {
        assertThat(SuiteRequests.pullManifest(http, "HEAD", REPOSITORY, "strict-a").statusCode()).isEqualTo(404);
        assertThat(SuiteRequests.pullManifest(http, "HEAD", REPOSITORY, "strict-b").statusCode()).isEqualTo(200);
    }

    /** Stricter suite variant: deleting a manifest pushed by digest, with no tag, is exactly 202. */
    @Test
    @Order(32)
    void deleteOfAManifestPushedOnlyByDigestIsExactly202() {
        assertSuccessful(SuiteRequests.pushBlob(http, REPOSITORY, content.configs.get(1)));
        TestBlob image = content.images.get(1);
        assertSuccessful(SuiteRequests.putManifest(http, REPOSITORY, image.digest().toString(), MediaTypes.OCI_MANIFEST, image));

        HttpResponse<byte[]> deleted = http.delete(manifestPath(image.digest().toString()));

        assertThat(deleted.statusCode()).as(describe(deleted)).isEqualTo(202);
    }

    /** Main-branch suite, "manifest delete atomic": a HEAD of the deleted manifest, and of its tags, is 404 at once. */
    @Test
    @Order(33)
    void headOfADeletedManifestAndOfItsTagsIs404AtOnce() {
        String digest = content.images.get(0).digest().toString();
        assertThat(http.delete(manifestPath(digest)).statusCode()).isEqualTo(202);

        assertThat(SuiteRequests.pullManifest(http, "HEAD", REPOSITORY, digest).statusCode()).isEqualTo(404);
        assertThat(SuiteRequests.pullManifest(http, "HEAD", REPOSITORY, "strict-b").statusCode()).isEqualTo(404);
    }

    /** Stricter variant and main-branch suite: each blob delete is exactly 202, and a HEAD afterwards is 404 at once. */
    @Test
    @Order(34)
    void deleteOfABlobIsExactly202AndAHeadAfterwardsIs404AtOnce() {
        for (TestBlob blob : new TestBlob[]{content.configs.get(0), content.layer}) {
            HttpResponse<byte[]> deleted = http.delete(blobPath(blob));
            assertThat(deleted.statusCode()).as(describe(deleted)).isEqualTo(202);
            assertThat(http.head(blobPath(blob)).statusCode()).isEqualTo(404);
        }
    }

    private static void pushImageForStrictChecks() {
        assertSuccessful(SuiteRequests.pushBlob(http, REPOSITORY, content.configs.get(0)));
        assertSuccessful(SuiteRequests.pushBlob(http, REPOSITORY, content.layer));
    }

    private static String tagsPath() {
        return "/v2/" + REPOSITORY + "/tags/list";
    }

    private static String manifestPath(String reference) {
        return "/v2/" + REPOSITORY + "/manifests/" + reference;
    }

    private static String blobPath(TestBlob blob) {
        return "/v2/" + REPOSITORY + "/blobs/" + blob.digest();
    }
}
