package io.berth.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.config.PromotionConfig;
import io.berth.config.PromotionConfig.GateRuleConfig;
import io.berth.config.PromotionConfig.ReferrerConfig;
import io.berth.oci.Digest;
import io.berth.oci.MediaTypes;
import io.berth.testing.ManifestJson;
import io.berth.testing.RegistryHttp;
import io.berth.testing.TestBlob;
import io.berth.testing.TestRegistry;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Candidate → stable promotion over the API, with these rules: {@code candidate/*} promotes to
 * {@code *}; every target needs a signature referrer and keeps its tags immutable (but
 * {@code latest}); targets under {@code gated/} need, instead, a version annotation, a
 * {@code com.example.tier=stable} label, a passed test report, an hour of age and an {@code rc-*}
 * source tag.
 */
class PromotionApiTest {
    private static final String SIGNATURE = "application/vnd.example.signature.v1+json";
    private static final String TEST_REPORT = "application/vnd.example.test-report.v1+json";

    private TestRegistry registry;
    private RegistryHttp http;

    @BeforeEach
    void start() {
        PromotionConfig promotion = new PromotionConfig(
                List.of(new PromotionConfig.Namespace("candidate/*", "*")),
                List.of(new GateRuleConfig("**", null, null, List.of(new ReferrerConfig(SIGNATURE, null)), null, null, null, null, null),
                        new GateRuleConfig("gated/**", Map.of("org.opencontainers.image.version", "*"),
                                Map.of("com.example.tier", "stable"),
                                List.of(new ReferrerConfig(TEST_REPORT, Map.of("com.example.result", "passed"))), null,
                                3600L, List.of("rc-*"), null, null)));
        registry = TestRegistry.start(config -> config.withPromotion(promotion));
        http = registry.http();
    }

    @AfterEach
    void stop() {
        registry.close();
    }

    @Test
    void aMultiArchIndexWithItsSignaturePromotesWithoutCopyingAByte() throws IOException {
        Candidate candidate = pushIndex("candidate/app", "1.0", 1);
        Digest signature = pushReferrer("candidate/app", candidate.digest(), candidate.size(), SIGNATURE, Map.of());
        long filesBefore = blobFiles();

        HttpResponse<byte[]> response = promote("candidate/app:1.0", "app:1.0", "app:latest");

        assertThat(response.statusCode()).as(RegistryHttp.text(response)).isEqualTo(201);
        JsonNode promotion = RegistryHttp.json(response);
        assertThat(promotion.path("outcome").asText()).isEqualTo("promoted");
        assertThat(promotion.path("digest").asText()).isEqualTo(candidate.digest().toString());
        for (String tag : List.of("1.0", "latest")) {
            HttpResponse<byte[]> manifest = http.get("/v2/app/manifests/" + tag);
            assertThat(manifest.statusCode()).isEqualTo(200);
            assertThat(manifest.headers().firstValue("Docker-Content-Digest")).hasValue(candidate.digest().toString());
        }
        for (Digest child : candidate.children()) {
            assertThat(http.get("/v2/app/manifests/" + child).statusCode()).isEqualTo(200);
        }
        for (Digest blob : candidate.blobs()) {
            assertThat(http.head("/v2/app/blobs/" + blob).statusCode()).isEqualTo(200);
        }
        JsonNode referrers = RegistryHttp.json(http.get("/v2/app/referrers/" + candidate.digest()));
        assertThat(referrers.path("manifests")).extracting(node -> node.path("digest").asText())
                .containsExactly(signature.toString());
        assertThat(http.get("/v2/app/manifests/" + signature).statusCode()).isEqualTo(200);
        assertThat(blobFiles()).as("no blob was copied").isEqualTo(filesBefore);
    }

    @Test
    void promotingTheSameDigestAgainChangesNothingAndSucceeds() {
        Candidate candidate = pushIndex("candidate/app", "1.0", 2);
        pushReferrer("candidate/app", candidate.digest(), candidate.size(), SIGNATURE, Map.of());
        assertThat(promote("candidate/app:1.0", "app:1.0").statusCode()).isEqualTo(201);

        HttpResponse<byte[]> again = promote("candidate/app@" + candidate.digest(), "app:1.0");

        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(RegistryHttp.json(again).path("outcome").asText()).isEqualTo("unchanged");
        assertThat(RegistryHttp.json(again).path("previous").path("1.0").asText()).isEqualTo(candidate.digest().toString());
    }

    @Test
    void eachGateRefusesWithItsReasonAndTheTargetStaysEmpty() {
        Candidate candidate = pushIndex("candidate/gated/app", "1.0", 3);
        pushReferrer("candidate/gated/app", candidate.digest(), candidate.size(), TEST_REPORT,
                Map.of("com.example.result", "failed"));

        HttpResponse<byte[]> refused = promote("candidate/gated/app:1.0", "gated/app:1.0");

        assertThat(refused.statusCode()).isEqualTo(409);
        JsonNode body = RegistryHttp.json(refused);
        assertThat(body.path("outcome").asText()).isEqualTo("refused");
        List<String> failures = new ArrayList<>();
        body.path("gates").forEach(gate -> {
            if (!gate.path("passed").asBoolean()) {
                failures.add(gate.path("gate").asText() + ": " + gate.path("reason").asText());
            }
        });
        assertThat(failures).hasSize(5).anySatisfy(failure -> assertThat(failure).contains("annotation org.opencontainers.image.version"))
                .anySatisfy(failure -> assertThat(failure).contains("label com.example.tier=stable").contains("no label"))
                .anySatisfy(failure -> assertThat(failure).contains(TEST_REPORT).contains("none with annotations"))
                .anySatisfy(failure -> assertThat(failure).contains("minimum age 3600 s").contains("pushed only"))
                .anySatisfy(failure -> assertThat(failure).contains("source tag matching [rc-*]"));
        assertThat(http.get("/v2/gated/app/manifests/1.0").statusCode()).isEqualTo(404);
        assertThat(http.get("/v2/gated/app/manifests/" + candidate.digest()).statusCode()).isEqualTo(404);
        assertThat(http.head("/v2/gated/app/blobs/" + candidate.blobs().getFirst()).statusCode()).isEqualTo(404);
    }

    @Test
    void theLabelGateReadsEveryImageConfigOfTheIndex() {
        Candidate labelled = pushIndex("candidate/gated/app", "rc-1", 11, Map.of("com.example.tier", "stable"));

        JsonNode refused = RegistryHttp.json(promote("candidate/gated/app:rc-1", "gated/app:1"));

        JsonNode labelGate = null;
        JsonNode tagGate = null;
        for (JsonNode gate : refused.path("gates")) {
            if (gate.path("gate").asText().startsWith("label ")) {
                labelGate = gate;
            } else if (gate.path("gate").asText().startsWith("source tag")) {
                tagGate = gate;
            }
        }
        assertThat(labelGate).isNotNull();
        assertThat(labelGate.path("passed").asBoolean()).as(labelGate.toString()).isTrue();
        assertThat(labelGate.path("reason").asText()).isEqualTo("all 2 images have it");
        assertThat(tagGate.path("passed").asBoolean()).as("rc-1 matches rc-*").isTrue();
        assertThat(refused.path("digest").asText()).isEqualTo(labelled.digest().toString());
    }

    @Test
    void aStableTagNeverMovesToAnotherDigestButLatestDoes() {
        Candidate first = pushIndex("candidate/app", "1", 4);
        pushReferrer("candidate/app", first.digest(), first.size(), SIGNATURE, Map.of());
        Candidate second = pushIndex("candidate/app", "2", 5);
        pushReferrer("candidate/app", second.digest(), second.size(), SIGNATURE, Map.of());
        assertThat(promote("candidate/app:1", "app:2.0", "app:latest").statusCode()).isEqualTo(201);

        HttpResponse<byte[]> overwrite = promote("candidate/app:2", "app:2.0");
        assertThat(overwrite.statusCode()).isEqualTo(409);
        assertThat(RegistryHttp.text(overwrite)).contains("would move 2.0");
        assertThat(digestOf("app", "2.0")).isEqualTo(first.digest().toString());

        assertThat(promote("candidate/app:2", "app:latest").statusCode()).isEqualTo(201);
        assertThat(digestOf("app", "latest")).isEqualTo(second.digest().toString());
    }

    @Test
    void onlyMappedNamespacesPromote() {
        Candidate candidate = pushIndex("scratch/app", "1", 6);
        pushReferrer("scratch/app", candidate.digest(), candidate.size(), SIGNATURE, Map.of());

        HttpResponse<byte[]> refused = promote("scratch/app:1", "app:1");

        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(RegistryHttp.text(refused)).contains("no promotion namespace maps scratch/app to app");
        assertThat(RegistryHttp.text(promote("candidate/app:1", "other:1"))).contains("no promotion namespace maps candidate/app to other");
        HttpResponse<byte[]> unknown = promote("candidate/ghost:1", "ghost:1");
        assertThat(unknown.statusCode()).as("a source that does not exist").isEqualTo(404);
        assertThat(RegistryHttp.errorCode(unknown)).isEqualTo("MANIFEST_UNKNOWN");
    }

    @Test
    void concurrentPromotionsToOneTagLeaveItAtOneOfThemAndRecordBoth() {
        Candidate first = pushIndex("candidate/app", "a", 7);
        pushReferrer("candidate/app", first.digest(), first.size(), SIGNATURE, Map.of());
        Candidate second = pushIndex("candidate/app", "b", 8);
        pushReferrer("candidate/app", second.digest(), second.size(), SIGNATURE, Map.of());

        CompletableFuture<HttpResponse<byte[]>> one = CompletableFuture.supplyAsync(() -> promote("candidate/app:a", "app:latest"));
        CompletableFuture<HttpResponse<byte[]>> other = CompletableFuture.supplyAsync(() -> promote("candidate/app:b", "app:latest"));

        assertThat(one.join().statusCode()).isEqualTo(201);
        assertThat(other.join().statusCode()).isEqualTo(201);
        assertThat(digestOf("app", "latest")).isIn(first.digest().toString(), second.digest().toString());
        JsonNode trail = RegistryHttp.json(http.get("/berth/v1/promotions?repository=app"));
        assertThat(trail.path("promotions")).hasSize(2).extracting(node -> node.path("digest").asText())
                .containsExactlyInAnyOrder(first.digest().toString(), second.digest().toString());
        JsonNode later = trail.path("promotions").get(0);
        JsonNode earlier = trail.path("promotions").get(1);
        assertThat(later.path("previous").path("latest").asText()).as("the later one saw the earlier one's tag")
                .isEqualTo(earlier.path("digest").asText());
        assertThat(digestOf("app", "latest")).isEqualTo(later.path("digest").asText());
    }

    @Test
    void theAuditTrailKeepsRefusalsAndFiltersBySourceAndDigest() {
        Candidate candidate = pushIndex("candidate/app", "1.0", 9);
        HttpResponse<byte[]> unsigned = promote("candidate/app:1.0", "app:1.0");
        assertThat(unsigned.statusCode()).isEqualTo(409);
        pushReferrer("candidate/app", candidate.digest(), candidate.size(), SIGNATURE, Map.of());
        assertThat(promote("candidate/app:1.0", "app:1.0").statusCode()).isEqualTo(201);

        JsonNode trail = RegistryHttp.json(http.get("/berth/v1/promotions?source=candidate/app&digest=" + candidate.digest()));

        assertThat(trail.path("promotions")).extracting(node -> node.path("outcome").asText())
                .containsExactly("promoted", "refused");
        JsonNode refused = trail.path("promotions").get(1);
        assertThat(refused.path("actor").asText()).isEqualTo("anonymous");
        assertThat(refused.path("tags")).extracting(JsonNode::asText).containsExactly("1.0");
        assertThat(refused.path("previous").path("1.0").isNull()).isTrue();
        assertThat(refused.path("gates").get(0).path("reason").asText()).contains("no referrer of type " + SIGNATURE);
        assertThat(RegistryHttp.json(http.get("/berth/v1/promotions?n=1")).path("promotions")).hasSize(1);
    }

    @Test
    void anIndexWhoseChildWasDeletedIsAnUnknownManifestNotAServerError() {
        Candidate candidate = pushIndex("candidate/app", "1.0", 10);
        pushReferrer("candidate/app", candidate.digest(), candidate.size(), SIGNATURE, Map.of());
        assertThat(http.delete("/v2/candidate/app/manifests/" + candidate.children().getFirst()).statusCode()).isEqualTo(202);

        HttpResponse<byte[]> response = promote("candidate/app:1.0", "app:1.0");

        assertThat(response.statusCode()).as(RegistryHttp.text(response)).isEqualTo(404);
        assertThat(RegistryHttp.errorCode(response)).isEqualTo("MANIFEST_UNKNOWN");
        assertThat(http.get("/v2/app/manifests/1.0").statusCode()).isEqualTo(404);
    }

    @Test
    void malformedRequestsAreRefusedWith400() {
        for (String body : List.of("not json", "{}", "{\"source\":\"candidate/app:1\"}", "{\"source\":\"candidate/app\",\"targets\":[\"app:1\"]}",
                "{\"source\":\"candidate/app:1\",\"targets\":[\"app:1\",\"other:1\"]}", "{\"source\":\"candidate/app:1\",\"targets\":[7]}")) {
            HttpResponse<byte[]> response = http.post("/berth/v1/promotions", body.getBytes(StandardCharsets.UTF_8));
            assertThat(response.statusCode()).as(body).isEqualTo(400);
        }
        assertThat(http.post("/berth/v1/promotions", new byte[70_000]).statusCode()).isEqualTo(400);
        assertThat(http.get("/v2/").statusCode()).as("the server stays healthy").isEqualTo(200);
    }

    // --- helpers ---------------------------------------------------------------------------------

    /** An index pushed and tagged, with what it reaches. */
    private record Candidate(Digest digest, long size, List<Digest> children, List<Digest> blobs) {
    }

    private Candidate pushIndex(String repository, String tag, long seed) {
        return pushIndex(repository, tag, seed, Map.of());
    }

    /** An index of two images whose configs carry {@code labels}. */
    private Candidate pushIndex(String repository, String tag, long seed, Map<String, String> labels) {
        List<Digest> children = new ArrayList<>();
        List<Digest> blobs = new ArrayList<>();
        List<TestBlob> childManifests = new ArrayList<>();
        for (String architecture : List.of("amd64", "arm64")) {
            StringBuilder labelJson = new StringBuilder();
            labels.forEach((key, value) -> labelJson.append(labelJson.isEmpty() ? "" : ",")
                    .append('"').append(key).append("\":\"").append(value).append('"'));
            TestBlob config = TestBlob.of("{\"architecture\":\"" + architecture + "\",\"os\":\"linux\",\"seed\":" + seed
                    + ",\"config\":{\"Labels\":{" + labelJson + "}}}");
            TestBlob layer = TestBlob.random(2_000, seed * 10 + architecture.length());
            blobs.add(http.pushBlob(repository, config.content()));
            blobs.add(http.pushBlob(repository, layer.content()));
            TestBlob manifest = ManifestJson.ociImage(config, layer).build();
            children.add(http.pushManifest(repository, manifest.digest().toString(), MediaTypes.OCI_MANIFEST, manifest.content()));
            childManifests.add(manifest);
        }
        TestBlob index = ManifestJson.index(MediaTypes.OCI_INDEX, MediaTypes.OCI_MANIFEST, childManifests.toArray(TestBlob[]::new)).build();
        Digest digest = http.pushManifest(repository, tag, MediaTypes.OCI_INDEX, index.content());
        return new Candidate(digest, index.size(), children, blobs);
    }

    private Digest pushReferrer(String repository, Digest subject, long subjectSize, String artifactType,
                                Map<String, String> annotations) {
        TestBlob empty = TestBlob.of("{}");
        http.pushBlob(repository, empty.content());
        TestBlob payload = TestBlob.random(300, subject.hashCode());
        http.pushBlob(repository, payload.content());
        ManifestJson referrer = ManifestJson.ociImage(empty, payload).configMediaType("application/vnd.oci.empty.v1+json")
                .artifactType(artifactType);
        referrer.root().set("subject", ManifestJson.descriptor(MediaTypes.OCI_INDEX, subject, subjectSize));
        annotations.forEach(referrer::annotation);
        TestBlob manifest = referrer.build();
        return http.pushManifest(repository, manifest.digest().toString(), MediaTypes.OCI_MANIFEST, manifest.content());
    }

    private HttpResponse<byte[]> promote(String source, String... targets) {
        StringBuilder body = new StringBuilder("{\"source\":\"").append(source).append("\",\"targets\":[");
        for (int i = 0; i < targets.length; i++) {
            body.append(i == 0 ? "" : ",").append('"').append(targets[i]).append('"');
        }
        body.append("]}");
        return http.post("/berth/v1/promotions", body.toString().getBytes(StandardCharsets.UTF_8));
    }

    private String digestOf(String repository, String tag) {
        return http.get("/v2/" + repository + "/manifests/" + tag).headers().firstValue("Docker-Content-Digest").orElseThrow();
    }

    private long blobFiles() throws IOException {
        try (Stream<Path> files = Files.walk(registry.dataDir().resolve("blobs"))) {
            return files.filter(Files::isRegularFile).count();
        }
    }
}
