package io.berth.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.oci.Digest;
import io.berth.oci.DigestAlgorithm;
import io.berth.oci.Limits;
import io.berth.oci.MediaTypes;
import io.berth.testing.ManifestJson;
import io.berth.testing.RegistryHttp;
import io.berth.testing.TestBlob;
import io.berth.testing.TestRegistry;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Manifest push, pull, delete and referrers: end-3, end-7, end-9, end-12. */
class ManifestApiTest {
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

    /** Pushes a config and one layer into {@code repository} and returns an OCI manifest over them. */
    private static ManifestJson imageIn(String repository, long seed) {
        TestBlob config = TestBlob.of("{\"architecture\":\"amd64\",\"os\":\"linux\",\"seed\":" + seed + "}");
        TestBlob layer = TestBlob.random(2048, seed);
        http.pushBlob(repository, config.content());
        http.pushBlob(repository, layer.content());
        return ManifestJson.ociImage(config, layer);
    }

    @Test
    void ociManifestIsServedByteIdenticalByTagAndDigest() {
        // Unusual spacing proves that the exact bytes are stored, not a re-serialisation.
        String json = new String(imageIn("pull/app", 1).build().content(), StandardCharsets.UTF_8).replace(",", " ,\n ");
        TestBlob manifest = TestBlob.of(json);

        HttpResponse<byte[]> put = http.put("/v2/pull/app/manifests/v1", MediaTypes.OCI_MANIFEST, manifest.content());

        assertThat(put.statusCode()).isEqualTo(201);
        assertThat(put.headers().firstValue("Location")).hasValue("/v2/pull/app/manifests/" + manifest.digest());
        assertThat(put.headers().firstValue("Docker-Content-Digest")).hasValue(manifest.digest().toString());
        for (String reference : List.of("v1", manifest.digest().toString())) {
            HttpResponse<byte[]> get = http.get("/v2/pull/app/manifests/" + reference);
            assertThat(get.statusCode()).isEqualTo(200);
            assertThat(get.body()).isEqualTo(manifest.content());
            assertThat(get.headers().firstValue("Content-Type")).hasValue(MediaTypes.OCI_MANIFEST);
            assertThat(get.headers().firstValue("Docker-Content-Digest")).hasValue(manifest.digest().toString());
            assertThat(get.headers().firstValue("Content-Length")).hasValue(String.valueOf(manifest.size()));
            HttpResponse<byte[]> head = http.head("/v2/pull/app/manifests/" + reference);
            assertThat(head.statusCode()).isEqualTo(200);
            assertThat(head.body()).isEmpty();
            assertThat(head.headers().firstValue("Content-Length")).hasValue(String.valueOf(manifest.size()));
        }
    }

    @Test
    void everyManifestFormatIsAccepted() {
        TestBlob config = TestBlob.of("{\"architecture\":\"amd64\",\"os\":\"linux\"}");
        TestBlob layer = TestBlob.random(100, 2);
        http.pushBlob("formats", config.content());
        http.pushBlob("formats", layer.content());
        TestBlob docker = ManifestJson.dockerImage(config, layer).build();
        TestBlob oci = ManifestJson.ociImage(config, layer).build();
        http.pushManifest("formats", "docker", MediaTypes.DOCKER_MANIFEST, docker.content());
        http.pushManifest("formats", "oci", MediaTypes.OCI_MANIFEST, oci.content());

        TestBlob ociIndex = ManifestJson.index(MediaTypes.OCI_INDEX, MediaTypes.OCI_MANIFEST, oci).build();
        TestBlob dockerList = ManifestJson.index(MediaTypes.DOCKER_MANIFEST_LIST, MediaTypes.DOCKER_MANIFEST, docker).build();
        TestBlob empty = TestBlob.of("{}");
        http.pushBlob("formats", empty.content());
        TestBlob artifact = ManifestJson.ociImage(empty).configMediaType(MediaTypes.OCI_EMPTY)
                .artifactType("application/vnd.example.sbom.v1").build();

        assertThat(http.put("/v2/formats/manifests/index", MediaTypes.OCI_INDEX, ociIndex.content()).statusCode()).isEqualTo(201);
        assertThat(http.put("/v2/formats/manifests/list", MediaTypes.DOCKER_MANIFEST_LIST, dockerList.content()).statusCode())
                .isEqualTo(201);
        assertThat(http.put("/v2/formats/manifests/sbom", MediaTypes.OCI_MANIFEST, artifact.content()).statusCode()).isEqualTo(201);
        assertThat(http.get("/v2/formats/manifests/list").headers().firstValue("Content-Type"))
                .hasValue(MediaTypes.DOCKER_MANIFEST_LIST);
        assertThat(http.get("/v2/formats/manifests/docker").headers().firstValue("Content-Type"))
                .hasValue(MediaTypes.DOCKER_MANIFEST);
    }

    @Test
    void pushByDigestChecksTheDigestAndAppliesTagParameters() {
        TestBlob manifest = imageIn("bydigest", 3).build();

        HttpResponse<byte[]> put = http.put("/v2/bydigest/manifests/" + manifest.digest() + "?tag=1.0&tag=1&tag=latest",
                MediaTypes.OCI_MANIFEST, manifest.content());
        HttpResponse<byte[]> wrong = http.put("/v2/bydigest/manifests/" + TestBlob.of("x").digest(),
                MediaTypes.OCI_MANIFEST, manifest.content());

        assertThat(put.statusCode()).isEqualTo(201);
        assertThat(String.join(", ", put.headers().allValues("OCI-Tag"))).isEqualTo("1.0, 1, latest");
        for (String tag : List.of("1.0", "1", "latest")) {
            assertThat(http.get("/v2/bydigest/manifests/" + tag).body()).isEqualTo(manifest.content());
        }
        assertThat(wrong.statusCode()).isEqualTo(400);
        assertThat(RegistryHttp.errorCode(wrong)).isEqualTo("DIGEST_INVALID");
    }

    @Test
    void sha512ManifestDigestsAreHonoured() {
        TestBlob manifest = imageIn("sha512m", 4).build();
        Digest digest = Digest.of(DigestAlgorithm.SHA512, manifest.content());

        HttpResponse<byte[]> put = http.put("/v2/sha512m/manifests/" + digest, MediaTypes.OCI_MANIFEST, manifest.content());

        assertThat(put.statusCode()).isEqualTo(201);
        assertThat(put.headers().firstValue("Docker-Content-Digest")).hasValue(digest.toString());
        assertThat(http.get("/v2/sha512m/manifests/" + digest).body()).isEqualTo(manifest.content());
    }

    @Test
    void missingBlobsAndChildManifestsAreRefused() {
        TestBlob config = TestBlob.of("{\"missing\":true}");
        TestBlob layer = TestBlob.random(64, 5);
        http.pushBlob("refs", config.content());
        TestBlob manifest = ManifestJson.ociImage(config, layer).build();

        HttpResponse<byte[]> missingLayer = http.put("/v2/refs/manifests/a", MediaTypes.OCI_MANIFEST, manifest.content());
        TestBlob index = ManifestJson.index(MediaTypes.OCI_INDEX, MediaTypes.OCI_MANIFEST, manifest).build();
        HttpResponse<byte[]> missingChild = http.put("/v2/refs/manifests/b", MediaTypes.OCI_INDEX, index.content());

        assertThat(missingLayer.statusCode()).isEqualTo(400);
        assertThat(RegistryHttp.errorCode(missingLayer)).isEqualTo("MANIFEST_BLOB_UNKNOWN");
        assertThat(missingChild.statusCode()).isEqualTo(400);
        assertThat(RegistryHttp.errorCode(missingChild)).isEqualTo("MANIFEST_UNKNOWN");
        assertThat(http.head("/v2/refs/manifests/a").statusCode()).isEqualTo(404);
        assertThat(http.head("/v2/refs/manifests/b").statusCode()).isEqualTo(404);
    }

    @Test
    void aBlobInAnotherRepositoryDoesNotSatisfyAManifest() {
        ManifestJson image = imageIn("refs/owner", 6);

        HttpResponse<byte[]> response = http.put("/v2/refs/thief/manifests/x", MediaTypes.OCI_MANIFEST, image.build().content());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(RegistryHttp.errorCode(response)).isEqualTo("MANIFEST_BLOB_UNKNOWN");
    }

    @Test
    void invalidManifestsAreRefusedWithManifestInvalid() {
        ManifestJson image = imageIn("invalid", 7);
        byte[] valid = image.build().content();
        record Case(String name, String contentType, byte[] body) {
        }
        List<Case> cases = List.of(
                new Case("malformed JSON", MediaTypes.OCI_MANIFEST, "{\"schemaVersion\":2,".getBytes()),
                new Case("not an object", MediaTypes.OCI_MANIFEST, "[1,2]".getBytes()),
                new Case("unknown media type", "application/vnd.example.unknown+json", valid),
                new Case("Content-Type differs from mediaType", MediaTypes.OCI_INDEX, valid),
                new Case("schema 1", MediaTypes.DOCKER_SCHEMA1_SIGNED,
                        "{\"schemaVersion\":1,\"name\":\"x\",\"tag\":\"y\",\"fsLayers\":[]}".getBytes()),
                new Case("schemaVersion 3", MediaTypes.OCI_MANIFEST,
                        new String(valid).replace("\"schemaVersion\":2", "\"schemaVersion\":3").getBytes()),
                new Case("layers missing", MediaTypes.OCI_MANIFEST,
                        ManifestJson.ociImage(TestBlob.of("{}")).without("layers").build().content()),
                new Case("empty body", MediaTypes.OCI_MANIFEST, new byte[0]));
        for (Case invalid : cases) {
            HttpResponse<byte[]> response = http.put("/v2/invalid/manifests/bad", invalid.contentType(), invalid.body());
            assertThat(response.statusCode()).as(invalid.name()).isEqualTo(400);
            assertThat(RegistryHttp.errorCode(response)).as(invalid.name()).isEqualTo("MANIFEST_INVALID");
        }
        HttpResponse<byte[]> schema1 = http.put("/v2/invalid/manifests/bad", MediaTypes.DOCKER_SCHEMA1_SIGNED,
                "{\"schemaVersion\":1}".getBytes());
        assertThat(RegistryHttp.json(schema1).path("errors").path(0).path("message").asText()).contains("unsupported");
        assertThat(http.head("/v2/invalid/manifests/bad").statusCode()).isEqualTo(404);
    }

    /**
     * Go clients match keys case-insensitively and keep the last: they would pull the layer of
     * {@code Layers}, which was never pushed nor checked, while Berth checked {@code layers}.
     */
    @Test
    void aManifestWhoseKeysCollideCaseInsensitivelyIsRefusedAndNotStored() {
        ManifestJson image = imageIn("collide", 8);
        TestBlob unchecked = TestBlob.random(512, 9);
        String checked = new String(image.build().content(), StandardCharsets.UTF_8);
        String withSecondLayers = checked.substring(0, checked.length() - 1) + ",\"Layers\":[{\"mediaType\":\""
                + "application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"" + unchecked.digest() + "\",\"size\":"
                + unchecked.size() + "}]}";
        TestBlob manifest = TestBlob.of(withSecondLayers);

        HttpResponse<byte[]> response = http.put("/v2/collide/manifests/v1", MediaTypes.OCI_MANIFEST, manifest.content());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(RegistryHttp.errorCode(response)).isEqualTo("MANIFEST_INVALID");
        assertThat(RegistryHttp.json(response).path("errors").path(0).path("message").asText()).contains("collide");
        assertThat(http.head("/v2/collide/manifests/v1").statusCode()).isEqualTo(404);
        assertThat(http.head("/v2/collide/manifests/" + manifest.digest()).statusCode()).isEqualTo(404);
    }

    /** A body that expands into a large tree (here, deep nesting) is refused as it streams, and the server keeps answering. */
    @Test
    void expansionShapedManifestsAreRefusedAndTheRegistryKeepsAnswering() {
        String head = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"layers\":[],\"x\":";
        List<byte[]> bodies = List.of(
                (head + "[" + "0,".repeat(1_500_000) + "0]}").getBytes(StandardCharsets.UTF_8),
                (head + "[".repeat(1_000_000)).getBytes(StandardCharsets.UTF_8),
                (head + "[" + "{},".repeat(1_000_000) + "{}]}").getBytes(StandardCharsets.UTF_8));
        for (byte[] body : bodies) {
            HttpResponse<byte[]> response = http.put("/v2/expand/manifests/v1", MediaTypes.OCI_MANIFEST, body);

            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(RegistryHttp.errorCode(response)).isEqualTo("MANIFEST_INVALID");
        }
        assertThat(http.get("/v2/").statusCode()).isEqualTo(200);
    }

    @Test
    void manifestsOverTheLimitAre413() {
        byte[] huge = new byte[Limits.MAX_MANIFEST_BYTES + 1];
        java.util.Arrays.fill(huge, (byte) ' ');

        HttpResponse<byte[]> response = http.put("/v2/big/manifests/huge", MediaTypes.OCI_MANIFEST, huge);

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(http.get("/v2/").statusCode()).isEqualTo(200);
    }

    @Test
    void invalidTagsAreRefused() {
        TestBlob manifest = imageIn("tags/invalid", 8).build();

        HttpResponse<byte[]> leadingDot = http.put("/v2/tags/invalid/manifests/.hidden", MediaTypes.OCI_MANIFEST, manifest.content());
        HttpResponse<byte[]> tooLong = http.put("/v2/tags/invalid/manifests/" + "a".repeat(129), MediaTypes.OCI_MANIFEST,
                manifest.content());
        HttpResponse<byte[]> badParameter = http.put("/v2/tags/invalid/manifests/" + manifest.digest() + "?tag=-x",
                MediaTypes.OCI_MANIFEST, manifest.content());

        assertThat(leadingDot.statusCode()).isEqualTo(400);
        assertThat(tooLong.statusCode()).isEqualTo(400);
        assertThat(badParameter.statusCode()).isEqualTo(400);
        assertThat(http.put("/v2/tags/invalid/manifests/" + "a".repeat(128), MediaTypes.OCI_MANIFEST, manifest.content())
                .statusCode()).isEqualTo(201);
    }

    @Test
    void deleteByTagRemovesOnlyThatTag() {
        TestBlob manifest = imageIn("deltag", 9).build();
        http.pushManifest("deltag", "a", MediaTypes.OCI_MANIFEST, manifest.content());
        http.pushManifest("deltag", "b", MediaTypes.OCI_MANIFEST, manifest.content());

        HttpResponse<byte[]> deleted = http.delete("/v2/deltag/manifests/a");

        assertThat(deleted.statusCode()).isEqualTo(202);
        assertThat(http.get("/v2/deltag/manifests/a").statusCode()).isEqualTo(404);
        assertThat(http.get("/v2/deltag/manifests/b").statusCode()).isEqualTo(200);
        assertThat(http.get("/v2/deltag/manifests/" + manifest.digest()).statusCode()).isEqualTo(200);
        assertThat(http.delete("/v2/deltag/manifests/a").statusCode()).isEqualTo(404);
    }

    @Test
    void deleteByDigestRemovesTheManifestAndEveryTagOnIt() {
        TestBlob manifest = imageIn("deldigest", 10).build();
        http.pushManifest("deldigest", "a", MediaTypes.OCI_MANIFEST, manifest.content());
        http.pushManifest("deldigest", "b", MediaTypes.OCI_MANIFEST, manifest.content());

        HttpResponse<byte[]> deleted = http.delete("/v2/deldigest/manifests/" + manifest.digest());

        assertThat(deleted.statusCode()).isEqualTo(202);
        for (String reference : List.of("a", "b", manifest.digest().toString())) {
            HttpResponse<byte[]> response = http.get("/v2/deldigest/manifests/" + reference);
            assertThat(response.statusCode()).isEqualTo(404);
            assertThat(RegistryHttp.errorCode(response)).isEqualTo("MANIFEST_UNKNOWN");
        }
        assertThat(RegistryHttp.json(http.get("/v2/deldigest/tags/list")).path("tags")).isEmpty();
    }

    @Test
    void unknownManifestsAre404() {
        HttpResponse<byte[]> byTag = http.get("/v2/nothing/here/manifests/latest");
        HttpResponse<byte[]> byDigest = http.head("/v2/nothing/here/manifests/" + TestBlob.of("none").digest());

        assertThat(byTag.statusCode()).isEqualTo(404);
        assertThat(RegistryHttp.errorCode(byTag)).isEqualTo("MANIFEST_UNKNOWN");
        assertThat(byDigest.statusCode()).isEqualTo(404);
    }

    @Test
    void lookupsOfAnInvalidTagAre404BecauseNoManifestCanCarryIt() {
        for (String method : List.of("GET", "HEAD", "DELETE")) {
            HttpResponse<byte[]> response = http.send(http.request("/v2/invalid/lookup/manifests/.hidden")
                    .method(method, HttpRequest.BodyPublishers.noBody()).build());
            assertThat(response.statusCode()).as(method).isEqualTo(404);
        }
        assertThat(RegistryHttp.errorCode(http.get("/v2/invalid/lookup/manifests/.hidden"))).isEqualTo("MANIFEST_UNKNOWN");
        assertThat(http.get("/v2/invalid/lookup/manifests/sha256:nothex").statusCode()).isEqualTo(400);
    }

    @Test
    void referrersListManifestsWithASubjectAndFilterByArtifactType() {
        TestBlob subject = imageIn("referrers", 11).build();
        http.pushManifest("referrers", "subject", MediaTypes.OCI_MANIFEST, subject.content());
        TestBlob empty = TestBlob.of("{}");
        http.pushBlob("referrers", empty.content());
        TestBlob signature = ManifestJson.ociImage(empty).artifactType("application/vnd.example.signature")
                .subject(subject, MediaTypes.OCI_MANIFEST).annotation("org.example.signer", "releng").build();
        TestBlob sbomConfig = TestBlob.of("{\"sbom\":true}");
        http.pushBlob("referrers", sbomConfig.content());
        TestBlob sbom = ManifestJson.ociImage(sbomConfig).configMediaType("application/vnd.example.sbom.config")
                .subject(subject, MediaTypes.OCI_MANIFEST).build();

        HttpResponse<byte[]> signaturePut = http.put("/v2/referrers/manifests/" + signature.digest(), MediaTypes.OCI_MANIFEST,
                signature.content());
        http.pushManifest("referrers", sbom.digest().toString(), MediaTypes.OCI_MANIFEST, sbom.content());

        assertThat(signaturePut.headers().firstValue("OCI-Subject")).hasValue(subject.digest().toString());
        HttpResponse<byte[]> all = http.get("/v2/referrers/referrers/" + subject.digest());
        assertThat(all.statusCode()).isEqualTo(200);
        assertThat(all.headers().firstValue("Content-Type")).hasValue(MediaTypes.OCI_INDEX);
        JsonNode index = RegistryHttp.json(all);
        assertThat(index.path("schemaVersion").asInt()).isEqualTo(2);
        assertThat(index.path("mediaType").asText()).isEqualTo(MediaTypes.OCI_INDEX);
        assertThat(index.path("manifests")).hasSize(2);
        JsonNode signatureEntry = findByDigest(index, signature.digest());
        assertThat(signatureEntry.path("artifactType").asText()).isEqualTo("application/vnd.example.signature");
        assertThat(signatureEntry.path("annotations").path("org.example.signer").asText()).isEqualTo("releng");
        assertThat(signatureEntry.path("size").asLong()).isEqualTo(signature.size());
        assertThat(findByDigest(index, sbom.digest()).path("artifactType").asText())
                .as("without artifactType the config media type is shown").isEqualTo("application/vnd.example.sbom.config");

        HttpResponse<byte[]> filtered = http.get("/v2/referrers/referrers/" + subject.digest()
                + "?artifactType=application/vnd.example.signature");
        assertThat(filtered.headers().firstValue("OCI-Filters-Applied")).hasValue("artifactType");
        assertThat(RegistryHttp.json(filtered).path("manifests")).hasSize(1);
    }

    @Test
    void referrersOfAManifestWithoutAnyAreAnEmptyIndexNot404() {
        Digest unknown = TestBlob.of("no referrers").digest();

        HttpResponse<byte[]> response = http.get("/v2/noreferrers/referrers/" + unknown);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(RegistryHttp.json(response).path("manifests")).isEmpty();
    }

    @Test
    void aSubjectNeedNotExistWhenTheReferrerIsPushed() {
        TestBlob empty = TestBlob.of("{}");
        http.pushBlob("dangling", empty.content());
        TestBlob absent = TestBlob.of("{\"absent\":1}");
        TestBlob referrer = ManifestJson.ociImage(empty).artifactType("application/vnd.example.note")
                .subject(absent, MediaTypes.OCI_MANIFEST).build();

        HttpResponse<byte[]> put = http.put("/v2/dangling/manifests/" + referrer.digest(), MediaTypes.OCI_MANIFEST,
                referrer.content());

        assertThat(put.statusCode()).isEqualTo(201);
        assertThat(put.headers().firstValue("OCI-Subject")).hasValue(absent.digest().toString());
        assertThat(RegistryHttp.json(http.get("/v2/dangling/referrers/" + absent.digest())).path("manifests")).hasSize(1);
    }

    @Test
    void contentTypeParametersAreIgnored() {
        TestBlob manifest = imageIn("params", 12).build();

        HttpResponse<byte[]> put = http.send(http.request("/v2/params/manifests/p")
                .header("Content-Type", MediaTypes.OCI_MANIFEST + "; charset=utf-8")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(manifest.content())).build());

        assertThat(put.statusCode()).isEqualTo(201);
    }

    private static JsonNode findByDigest(JsonNode index, Digest digest) {
        for (JsonNode entry : index.path("manifests")) {
            if (entry.path("digest").asText().equals(digest.toString())) {
                return entry;
            }
        }
        throw new AssertionError("no referrer " + digest + " in " + index);
    }
}
