package io.berth.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.config.PromotionConfig;
import io.berth.config.TagProtectionConfig;
import io.berth.oci.MediaTypes;
import io.berth.testing.ManifestJson;
import io.berth.testing.RegistryHttp;
import io.berth.testing.TestBlob;
import io.berth.testing.TestRegistry;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Tag protection over HTTP without authentication, on SQLite: in {@code fedora/*}, tags {@code 41.*}
 * are immutable and {@code stable} is protected for {@code alice} (whom no anonymous caller can be);
 * {@code candidate/*} promotes to {@code fedora/*}.
 */
class TagProtectionApiTest {
    /** The protection the tests run under, also used by the PostgreSQL and authenticated tests. */
    static final TagProtectionConfig FEDORA = new TagProtectionConfig("fedora/*", List.of("41.*"), List.of("stable"),
            List.of("alice"));

    private static TestRegistry registry;
    private static RegistryHttp http;

    @BeforeAll
    static void start() {
        registry = TestRegistry.start(config -> config.withTagProtection(List.of(FEDORA))
                .withPromotion(new PromotionConfig(List.of(new PromotionConfig.Namespace("candidate/*", "fedora/*")), null)));
        http = registry.http();
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    /** Pushes the blobs of a small image into {@code repository} and returns its manifest. */
    static TestBlob image(RegistryHttp http, String repository, long seed) {
        TestBlob config = TestBlob.of("{\"architecture\":\"amd64\",\"os\":\"linux\",\"seed\":" + seed + "}");
        TestBlob layer = TestBlob.random(512, seed);
        http.pushBlob(repository, config.content());
        http.pushBlob(repository, layer.content());
        return ManifestJson.ociImage(config, layer).build();
    }

    static HttpResponse<byte[]> put(RegistryHttp http, String repository, String reference, TestBlob manifest) {
        return http.put("/v2/" + repository + "/manifests/" + reference, MediaTypes.OCI_MANIFEST, manifest.content());
    }

    static String digestOf(RegistryHttp http, String repository, String tag) {
        HttpResponse<byte[]> response = http.head("/v2/" + repository + "/manifests/" + tag);
        assertThat(response.statusCode()).isEqualTo(200);
        return response.headers().firstValue("Docker-Content-Digest").orElseThrow();
    }

    static void assertDenied(HttpResponse<byte[]> response, String... mentions) {
        assertThat(response.statusCode()).as(RegistryHttp.text(response)).isEqualTo(403);
        assertThat(RegistryHttp.errorCode(response)).isEqualTo("DENIED");
        assertThat(RegistryHttp.json(response).path("errors").path(0).path("message").asText()).contains(mentions);
    }

    @Test
    void anImmutableTagIsSetOnceRePushedUnchangedAndNeverMoved() {
        TestBlob first = image(http, "fedora/app", 1);
        TestBlob second = image(http, "fedora/app", 2);

        assertThat(put(http, "fedora/app", "41.1", first).statusCode()).isEqualTo(201);
        assertThat(put(http, "fedora/app", "41.1", first).statusCode()).isEqualTo(201);
        assertDenied(put(http, "fedora/app", "41.1", second), "fedora/app:41.1", "immutable", "41.*", first.digest().toString());
        assertDenied(http.put("/v2/fedora/app/manifests/" + second.digest() + "?tag=latest&tag=41.1", MediaTypes.OCI_MANIFEST,
                second.content()), "fedora/app:41.1");

        assertThat(digestOf(http, "fedora/app", "41.1")).isEqualTo(first.digest().toString());
        assertThat(http.head("/v2/fedora/app/manifests/latest").statusCode())
                .as("the refused push stored none of its tags").isEqualTo(404);
        assertThat(put(http, "fedora/app", "latest", second).statusCode()).as("other tags move freely").isEqualTo(201);
        assertThat(put(http, "fedora/app", "latest", first).statusCode()).isEqualTo(201);
    }

    @Test
    void anImmutableTagAndTheManifestItPointsAtAreNeverDeleted() {
        TestBlob image = image(http, "fedora/tools", 3);
        assertThat(put(http, "fedora/tools", "41.2", image).statusCode()).isEqualTo(201);

        assertDenied(http.delete("/v2/fedora/tools/manifests/41.2"), "fedora/tools:41.2", "immutable", "delete");
        assertDenied(http.delete("/v2/fedora/tools/manifests/" + image.digest()), "fedora/tools:41.2");

        assertThat(digestOf(http, "fedora/tools", "41.2")).isEqualTo(image.digest().toString());
    }

    @Test
    void aProtectedTagIsRefusedToAnonymousCallers() {
        TestBlob image = image(http, "fedora/web", 4);

        assertDenied(put(http, "fedora/web", "stable", image), "fedora/web:stable", "protected", "anonymous", "alice");
        assertThat(http.head("/v2/fedora/web/manifests/stable").statusCode()).isEqualTo(404);
        assertThat(put(http, "fedora/web", "testing", image).statusCode()).isEqualTo(201);
        assertThat(http.delete("/v2/fedora/web/manifests/testing").statusCode()).isEqualTo(202);
    }

    @Test
    void otherRepositoriesAreNotProtected() {
        TestBlob first = image(http, "debian/app", 5);
        TestBlob second = image(http, "debian/app", 6);

        assertThat(put(http, "debian/app", "41.1", first).statusCode()).isEqualTo(201);
        assertThat(put(http, "debian/app", "41.1", second).statusCode()).isEqualTo(201);
        assertThat(http.delete("/v2/debian/app/manifests/41.1").statusCode()).isEqualTo(202);
    }

    @Test
    void aPromotionThatWouldMoveAnImmutableTagIsRefusedByTheTagProtectionGate() {
        TestBlob released = image(http, "fedora/db", 7);
        assertThat(put(http, "fedora/db", "41.1", released).statusCode()).isEqualTo(201);
        TestBlob candidate = image(http, "candidate/db", 8);
        assertThat(put(http, "candidate/db", "41.1", candidate).statusCode()).isEqualTo(201);

        HttpResponse<byte[]> refused = promote("candidate/db:41.1", "fedora/db:41.1");

        assertThat(refused.statusCode()).as(RegistryHttp.text(refused)).isEqualTo(409);
        JsonNode gate = gate(RegistryHttp.json(refused), "tag protection");
        assertThat(gate.path("passed").asBoolean()).isFalse();
        assertThat(gate.path("reason").asText()).contains("fedora/db:41.1", "immutable");
        assertThat(digestOf(http, "fedora/db", "41.1")).isEqualTo(released.digest().toString());

        HttpResponse<byte[]> fresh = promote("candidate/db:41.1", "fedora/db:41.2");
        assertThat(fresh.statusCode()).as(RegistryHttp.text(fresh)).isEqualTo(201);
        assertThat(gate(RegistryHttp.json(fresh), "tag protection").path("passed").asBoolean()).isTrue();
        assertThat(promote("candidate/db:41.1", "fedora/db:stable").statusCode())
                .as("anonymous may not set a protected tag by promotion either").isEqualTo(409);
    }

    @Test
    void ofTwelveConcurrentPushesToAnEmptyImmutableTagExactlyOneWins() throws Exception {
        exactlyOneOfConcurrentPushesWins(http, "fedora/race");
    }

    /**
     * Twelve different manifests pushed at once to {@code repository:41.0}: exactly one answer is 201,
     * the others 403 {@code DENIED}, and the tag points at the winner.
     */
    static void exactlyOneOfConcurrentPushesWins(RegistryHttp http, String repository) throws Exception {
        int pushers = 12;
        List<TestBlob> images = new ArrayList<>();
        for (int i = 0; i < pushers; i++) {
            images.add(image(http, repository, 100 + i));
        }
        ExecutorService pool = Executors.newFixedThreadPool(pushers);
        List<HttpResponse<byte[]>> responses = new ArrayList<>();
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<HttpResponse<byte[]>>> results = new ArrayList<>();
            for (TestBlob image : images) {
                results.add(pool.submit(() -> {
                    start.await();
                    return put(http, repository, "41.0", image);
                }));
            }
            start.countDown();
            for (Future<HttpResponse<byte[]>> result : results) {
                responses.add(result.get(2, TimeUnit.MINUTES));
            }
        } finally {
            pool.shutdownNow();
        }

        List<Integer> statuses = responses.stream().map(HttpResponse::statusCode).toList();
        assertThat(statuses).filteredOn(status -> status == 201).hasSize(1);
        assertThat(statuses).filteredOn(status -> status == 403).hasSize(pushers - 1);
        String winner = responses.stream().filter(response -> response.statusCode() == 201).findFirst().orElseThrow()
                .headers().firstValue("Docker-Content-Digest").orElseThrow();
        assertThat(digestOf(http, repository, "41.0")).isEqualTo(winner);
        responses.stream().filter(response -> response.statusCode() == 403)
                .forEach(response -> assertDenied(response, repository + ":41.0", "immutable", winner));
    }

    private static JsonNode gate(JsonNode promotion, String name) {
        for (JsonNode gate : promotion.path("gates")) {
            if (gate.path("gate").asText().equals(name)) {
                return gate;
            }
        }
        throw new AssertionError("no gate " + name + " in " + promotion);
    }

    private static HttpResponse<byte[]> promote(String source, String target) {
        String body = "{\"source\":\"" + source + "\",\"targets\":[\"" + target + "\"]}";
        return http.post("/berth/v1/promotions", body.getBytes(StandardCharsets.UTF_8));
    }
}
