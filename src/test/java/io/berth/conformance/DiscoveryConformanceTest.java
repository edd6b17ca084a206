package io.berth.conformance;

import static io.berth.conformance.SuiteRequests.assertBlobDeletedOrRefused;
import static io.berth.conformance.SuiteRequests.assertSuccessful;
import static io.berth.conformance.SuiteRequests.describe;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.oci.MediaTypes;
import io.berth.testing.RegistryHttp;
import io.berth.testing.TestBlob;
import io.berth.testing.TestRegistry;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Mirrors the OCI distribution-spec conformance suite's checks for the <b>Content Discovery</b>
 * workflow (suite v1.1.x, {@code 03_discovery_test.go}), in the suite's order, against spec v1.1.1:
 * <ul>
 *   <li>"Listing Tags" (end-8a, end-8b): tags pushed in both letter cases come back sorted, either
 *       case-insensitively or byte-wise; {@code n} bounds the page exactly; {@code last} starts
 *       after the named tag;</li>
 *   <li>"Pushing Manifests with Subject": every push of a referrer answers {@code OCI-Subject} with
 *       its subject's digest, also when the subject is not (yet) in the repository;</li>
 *   <li>"Listing Referrers" (end-12a, end-12b): an empty index for an unknown digest, the five
 *       referrers of a subject with their annotations, the {@code artifactType} filter and its
 *       {@code OCI-Filters-Applied} header, and the referrer of a subject that was never pushed.</li>
 * </ul>
 *
 * <p>The last group repeats discovery checks the suite makes on its main branch (the rewrite after
 * v1.1) and before 1.0. Methods share state and run in order, as the suite's specs do; run the
 * class, not a single method.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DiscoveryConformanceTest {
    private static final String REPOSITORY = "conformance/discovery";
    private static final String SUBJECT_TAG = "discovery-subject";
    private static final int TAGGED_PAIRS = 4;

    private static TestRegistry registry;
    private static RegistryHttp http;
    private static ConformanceContent content;
    private static int tagCount;
    private static final List<String> pushedManifests = new ArrayList<>();

    @BeforeAll
    static void start() {
        registry = TestRegistry.start();
        http = registry.http();
        content = ConformanceContent.generate(300);
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    // Setup

    @Test
    @Order(1)
    void setupPushesTheConfigBlob() {
        assertSuccessful(SuiteRequests.pushBlob(http, REPOSITORY, content.configs.get(2)));
    }

    @Test
    @Order(2)
    void setupPushesTheLayerBlob() {
        assertSuccessful(SuiteRequests.pushBlob(http, REPOSITORY, content.layer));
    }

    /** One manifest under tags that differ only in letter case, so that the two sort orders disagree. */
    @Test
    @Order(3)
    void setupTagsOneManifestInLowerAndUpperCase() {
        for (int i = 0; i < TAGGED_PAIRS; i++) {
            for (String tag : List.of("sorted" + i, "SORTED" + i)) {
                assertSuccessful(SuiteRequests.putManifest(http, REPOSITORY, tag, MediaTypes.OCI_MANIFEST, content.images.get(2)));
            }
        }
        pushedManifests.add(content.images.get(2).digest().toString());
    }

    /**
     * The suite's referrers setup, in its order: referrers pushed before their subject, then the
     * subject, then more referrers, then one whose subject is never pushed. Each referrer's PUT
     * must answer {@code OCI-Subject} with the subject's digest.
     */
    @Test
    @Order(4)
    void setupPushesReferrersAroundTheirSubjectAndEachIsAnsweredWithOciSubject() {
        TestBlob subject = content.images.get(4);
        assertThat(content.emptyJson.digest().toString()).isEqualTo(ConformanceContent.EMPTY_JSON_DIGEST);
        assertSuccessful(SuiteRequests.pushBlob(http, REPOSITORY, content.emptyJson));
        assertSuccessful(SuiteRequests.pushBlob(http, REPOSITORY, content.alphaPayload));
        pushReferrer(content.alphaConfigArtifact, MediaTypes.OCI_MANIFEST, subject);
        pushReferrer(content.alphaLayerArtifact, MediaTypes.OCI_MANIFEST, subject);
        pushReferrer(content.bundleIndex, MediaTypes.OCI_INDEX, subject);

        assertSuccessful(SuiteRequests.pushBlob(http, REPOSITORY, content.configs.get(4)));
        assertSuccessful(SuiteRequests.pushBlob(http, REPOSITORY, content.layer));
        assertSuccessful(SuiteRequests.putManifest(http, REPOSITORY, SUBJECT_TAG, MediaTypes.OCI_MANIFEST, subject));
        pushedManifests.add(subject.digest().toString());

        assertSuccessful(SuiteRequests.pushBlob(http, REPOSITORY, content.betaPayload));
        pushReferrer(content.betaConfigArtifact, MediaTypes.OCI_MANIFEST, subject);
        pushReferrer(content.betaLayerArtifact, MediaTypes.OCI_MANIFEST, subject);
        pushReferrer(content.danglingArtifact, MediaTypes.OCI_MANIFEST, content.images.get(3));
    }

    // Listing tags: spec "Listing Tags".

    /**
     * Spec v1.1.1 asks for lexical (case-insensitive) order; the suite, like the main-branch spec,
     * also accepts byte-wise ("ASCIIbetical") order, which is what Berth returns.
     */
    @Test
    @Order(10)
    void tagListIs200AndSortedCaseInsensitivelyOrByteWise() {
        HttpResponse<byte[]> response = http.get(tagsPath(""));

        assertThat(response.statusCode()).as(describe(response)).isEqualTo(200);
        List<String> tags = tags(response);
        tagCount = tags.size();
        List<String> lexical = tags.stream().sorted(Comparator.comparing(tag -> tag.toLowerCase(Locale.ROOT))).toList();
        List<String> byteWise = tags.stream().sorted().toList();
        assertThat(tags).satisfiesAnyOf(list -> assertThat(list).isEqualTo(lexical),
                list -> assertThat(list).isEqualTo(byteWise));
    }

    @Test
    @Order(11)
    void nLimitsTheTagListToExactlyNTags() {
        int n = tagCount / 2;

        HttpResponse<byte[]> response = http.get(tagsPath("?n=" + n));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(tags(response)).hasSize(n);
    }

    @Test
    @Order(12)
    void lastStartsTheTagListAfterTheNamedTag() {
        int n = tagCount / 2;
        HttpResponse<byte[]> firstPage = http.get(tagsPath("?n=" + n));
        assertThat(firstPage.statusCode()).isEqualTo(200);
        String last = tags(firstPage).get(n - 1);

        HttpResponse<byte[]> response = http.get(tagsPath("?n=" + n + "&last=" + last));

        assertThat(response.statusCode()).isEqualTo(200);
        List<String> tags = tags(response);
        assertThat(tags.size()).isLessThanOrEqualTo(n);
        assertThat(tags).doesNotContain(last);
    }

    // Listing referrers: spec "Listing Referrers".

    @Test
    @Order(20)
    void referrersOfAnUnknownDigestAreAnEmptyIndex() {
        HttpResponse<byte[]> response = http.get(referrersPath(content.neverPushed, ""));

        assertThat(response.statusCode()).as(describe(response)).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue(MediaTypes.OCI_INDEX);
        assertThat(RegistryHttp.json(response).path("manifests")).isEmpty();
    }

    @Test
    @Order(21)
    void referrersOfTheSubjectAreAllFiveWithTheirAnnotations() {
        HttpResponse<byte[]> response = http.get(referrersPath(content.images.get(4), ""));

        assertThat(response.statusCode()).as(describe(response)).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue(MediaTypes.OCI_INDEX);
        JsonNode manifests = RegistryHttp.json(response).path("manifests");
        assertThat(manifests).hasSize(5);
        assertThat(manifests.get(0).path("digest").asText()).isNotEqualTo(manifests.get(1).path("digest").asText());
        assertEachCarriesOnlyItsAnnotation(manifests);
    }

    /**
     * With the filter applied (announced by {@code OCI-Filters-Applied: artifactType}) only the two
     * referrers of that type remain: the one typed by its config and the one typed by
     * {@code artifactType}. A registry that ignores the filter must return all five.
     */
    @Test
    @Order(22)
    void artifactTypeFilterKeepsOnlyReferrersOfThatType() {
        HttpResponse<byte[]> response = http.get(referrersPath(content.images.get(4),
                "?artifactType=" + URLEncoder.encode(ConformanceContent.ARTIFACT_TYPE_ALPHA, StandardCharsets.UTF_8)));

        assertThat(response.statusCode()).as(describe(response)).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue(MediaTypes.OCI_INDEX);
        JsonNode manifests = RegistryHttp.json(response).path("manifests");
        if (response.headers().firstValue("OCI-Filters-Applied").isPresent()) {
            assertThat(response.headers().firstValue("OCI-Filters-Applied")).hasValue("artifactType");
            assertThat(manifests).hasSize(2);
        } else {
            assertThat(manifests).hasSize(5);
        }
        assertEachCarriesOnlyItsAnnotation(manifests);
    }

    @Test
    @Order(23)
    void referrersOfASubjectThatWasNeverPushedListItsReferrer() {
        HttpResponse<byte[]> response = http.get(referrersPath(content.images.get(3), ""));

        assertThat(response.statusCode()).as(describe(response)).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue(MediaTypes.OCI_INDEX);
        JsonNode manifests = RegistryHttp.json(response).path("manifests");
        assertThat(manifests).hasSize(1);
        assertThat(manifests.get(0).path("digest").asText()).isEqualTo(content.danglingArtifact.digest().toString());
    }

    // Checks from the suite's main branch and its pre-1.0 tag-list test, before the teardown.

    /** Main-branch suite, referrers: the body is an OCI index, {@code schemaVersion} 2 and its media type. */
    @Test
    @Order(30)
    void referrersResponseIsAnOciIndexDocument() {
        JsonNode index = RegistryHttp.json(http.get(referrersPath(content.images.get(4), "")));

        assertThat(index.path("schemaVersion").asInt()).isEqualTo(2);
        assertThat(index.path("mediaType").asText()).isEqualTo(MediaTypes.OCI_INDEX);
    }

    /**
     * Main-branch suite, referrers: each descriptor has the referrer's media type, size and
     * artifact type, the config media type standing in when the manifest has no {@code artifactType}.
     */
    @Test
    @Order(31)
    void referrerDescriptorsCarryMediaTypeSizeAndArtifactType() {
        JsonNode manifests = RegistryHttp.json(http.get(referrersPath(content.images.get(4), ""))).path("manifests");

        assertDescriptor(manifests, content.alphaConfigArtifact, MediaTypes.OCI_MANIFEST, ConformanceContent.ARTIFACT_TYPE_ALPHA);
        assertDescriptor(manifests, content.alphaLayerArtifact, MediaTypes.OCI_MANIFEST, ConformanceContent.ARTIFACT_TYPE_ALPHA);
        assertDescriptor(manifests, content.betaConfigArtifact, MediaTypes.OCI_MANIFEST, ConformanceContent.ARTIFACT_TYPE_BETA);
        assertDescriptor(manifests, content.betaLayerArtifact, MediaTypes.OCI_MANIFEST, ConformanceContent.ARTIFACT_TYPE_BETA);
        assertDescriptor(manifests, content.bundleIndex, MediaTypes.OCI_INDEX, ConformanceContent.ARTIFACT_TYPE_BUNDLE);
    }

    /**
     * Main-branch suite, tag list: {@code last} without {@code n} returns every tag after it in
     * byte order and none before it.
     */
    @Test
    @Order(32)
    void lastWithoutNListsExactlyTheTagsAfterIt() {
        List<String> sorted = tags(http.get(tagsPath(""))).stream().sorted().toList();
        int half = sorted.size() / 2;
        String last = sorted.get(half - 1);

        List<String> after = tags(http.get(tagsPath("?last=" + last)));

        assertThat(after).doesNotContainAnyElementsOf(sorted.subList(0, half));
        assertThat(after).containsAll(sorted.subList(half, sorted.size()));
    }

    /** Pre-1.0 suite, tag list: the first listed tag resolves to a manifest. */
    @Test
    @Order(33)
    void theFirstListedTagResolvesToAManifest() {
        String first = tags(http.get(tagsPath(""))).getFirst();

        assertThat(SuiteRequests.pullManifest(http, "GET", REPOSITORY, first).statusCode()).isEqualTo(200);
    }

    // Teardown: manifests and their tags first (the suite's default), then blobs.

    @Test
    @Order(40)
    void teardownDeletesTheManifestsAndTheirTags() {
        List<String> references = new ArrayList<>(List.of(
                content.bundleIndex.digest().toString(),
                content.alphaConfigArtifact.digest().toString(),
                content.alphaLayerArtifact.digest().toString(),
                SUBJECT_TAG,
                content.betaConfigArtifact.digest().toString(),
                content.betaLayerArtifact.digest().toString(),
                content.danglingArtifact.digest().toString()));
        references.addAll(pushedManifests);
        for (String reference : references) {
            HttpResponse<byte[]> response = http.delete("/v2/" + REPOSITORY + "/manifests/" + reference);
            assertThat(response.statusCode()).as(describe(response))
                    .satisfiesAnyOf(status -> assertThat(status).isBetween(200, 299), status -> assertThat(status).isIn(404, 405));
        }
    }

    @Test
    @Order(41)
    void teardownDeletesTheBlobs() {
        for (TestBlob blob : List.of(content.configs.get(2), content.layer, content.emptyJson, content.alphaPayload,
                content.configs.get(4), content.betaPayload)) {
            assertBlobDeletedOrRefused(http.delete("/v2/" + REPOSITORY + "/blobs/" + blob.digest()));
        }
    }

    private static void pushReferrer(TestBlob referrer, String mediaType, TestBlob subject) {
        HttpResponse<byte[]> response = SuiteRequests.putManifest(http, REPOSITORY, referrer.digest().toString(), mediaType,
                referrer);
        assertSuccessful(response);
        assertThat(response.headers().firstValue("OCI-Subject")).as(describe(response)).hasValue(subject.digest().toString());
        pushedManifests.add(referrer.digest().toString());
    }

    /** Each referrer has exactly one annotation, the value its manifest declares. */
    private static void assertEachCarriesOnlyItsAnnotation(JsonNode manifests) {
        for (JsonNode descriptor : manifests) {
            JsonNode annotations = descriptor.path("annotations");
            assertThat(annotations.size()).as(descriptor.toString()).isEqualTo(1);
            assertThat(annotations.path(ConformanceContent.ANNOTATION_KEY).asText())
                    .isEqualTo(content.annotationByDigest.get(descriptor.path("digest").asText()));
        }
    }

    private static void assertDescriptor(JsonNode manifests, TestBlob referrer, String mediaType, String artifactType) {
        JsonNode found = null;
        for (JsonNode descriptor : manifests) {
            if (descriptor.path("digest").asText().equals(referrer.digest().toString())) {
                found = descriptor;
            }
        }
        assertThat(found).as("referrer " + referrer.digest()).isNotNull();
        assertThat(found.path("mediaType").asText()).isEqualTo(mediaType);
        assertThat(found.path("size").asLong()).isEqualTo(referrer.size());
        assertThat(found.path("artifactType").asText()).isEqualTo(artifactType);
    }

    private static List<String> tags(HttpResponse<byte[]> response) {
        List<String> tags = new ArrayList<>();
        RegistryHttp.json(response).path("tags").forEach(tag -> tags.add(tag.asText()));
        return tags;
    }

    private static String tagsPath(String query) {
        return "/v2/" + REPOSITORY + "/tags/list" + query;
    }

    private static String referrersPath(TestBlob subject, String query) {
        return "/v2/" + REPOSITORY + "/referrers/" + subject.digest() + query;
    }
}
