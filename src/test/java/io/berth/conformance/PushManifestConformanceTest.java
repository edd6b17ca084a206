package io.berth.conformance;

import static io.berth.conformance.SuiteRequests.assertBlobDeletedOrRefused;
import static io.berth.conformance.SuiteRequests.assertManifestDeletedOrRefused;
import static io.berth.conformance.SuiteRequests.assertSuccessful;
import static io.berth.conformance.SuiteRequests.blobPath;
import static io.berth.conformance.SuiteRequests.describe;
import static io.berth.conformance.SuiteRequests.relativeLocation;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.oci.MediaTypes;
import io.berth.testing.ManifestJson;
import io.berth.testing.RegistryHttp;
import io.berth.testing.TestBlob;
import io.berth.testing.TestRegistry;
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
 * Mirrors the OCI distribution-spec conformance suite's manifest checks in the <b>Push</b> workflow
 * (suite v1.1.x, {@code 02_push_test.go}), in the suite's order, against spec v1.1.1: the setup
 * pushes of the empty JSON blob and an artifact payload, then "Pushing Manifests" and "Pushing
 * Manifests with Subject" (end-7): tags, a manifest without layers, artifacts typed by config or by
 * {@code artifactType}, an index, a nested index, and a subject that does not exist, which must
 * still be accepted and echoed in {@code OCI-Subject}; then the teardown deletes.
 *
 * <p>The last group repeats manifest checks the suite makes on its main branch (the rewrite after
 * v1.1) and in its pre-1.0 error-code tests: manifests that do not match their digest (400),
 * malformed digest references, a push by digest with a subject, a manifest of nearly 4 MB, an empty
 * index, non-distributable layers and tag parameters.
 *
 * <p>The suite's image manifest refers to the config and the layer that its blob upload checks
 * pushed; here both are pushed first, the suite's usual way (POST, then PUT). Methods share state
 * and run in order, as the suite's specs do; run the class, not a single method.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PushManifestConformanceTest {
    private static final String REPOSITORY = "conformance/push";
    private static final String NONEXISTENT_REFERENCE = ".no-such-manifest";

    private static TestRegistry registry;
    private static RegistryHttp http;
    private static ConformanceContent content;
    private static boolean imageWithoutLayersAccepted;
    private static TestBlob pushedIndex;

    @BeforeAll
    static void start() {
        registry = TestRegistry.start();
        http = registry.http();
        content = ConformanceContent.generate(200);
        assertSuccessful(SuiteRequests.pushBlob(http, REPOSITORY, content.configs.get(1)));
        assertSuccessful(SuiteRequests.pushBlob(http, REPOSITORY, content.layer));
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

    private static String manifestPath(String reference) {
        return "/v2/" + REPOSITORY + "/manifests/" + reference;
    }
}
