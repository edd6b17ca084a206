package io.berth.clients;

import static io.berth.clients.ContainersTool.docker;
import static io.berth.clients.ContainersTool.oci;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.oci.Digest;
import io.berth.oci.DigestAlgorithm;
import io.berth.oci.Limits;
import io.berth.oci.MediaTypes;
import io.berth.testing.LayoutBlob;
import io.berth.testing.OciImage;
import io.berth.testing.OciIndex;
import io.berth.testing.OciLayout;
import io.berth.testing.OciLayoutBuilder;
import io.berth.testing.Platform;
import io.berth.testing.RegistryHttp;
import io.berth.testing.TestRegistry;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * skopeo (containers/image) against Berth: push from and pull into OCI layouts, multi-platform
 * indexes, inspect, tag listing, deletion, cross-repository mounts and registry-to-registry copies.
 * Berth is plain HTTP on 127.0.0.1, hence {@code --tls-verify=false} and its variants.
 */
@Tag("clients")
class SkopeoIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestRegistry registry;
    private static RegistryHttp http;

    @TempDir
    Path temporary;
    private ContainersTool skopeo;

    @BeforeAll
    static void startRegistry() {
        registry = TestRegistry.start();
        http = registry.http();
    }

    @AfterAll
    static void stopRegistry() {
        registry.close();
    }

    @BeforeEach
    void createSandbox() {
        skopeo = ContainersTool.skopeo(ContainersSandbox.create(temporary.resolve("sandbox")));
    }

    @Test
    void copyIntoBerthAndBackPreservesTheManifestAndEveryBlobDigest() {
        OciLayoutBuilder builder = OciLayoutBuilder.create(temporary.resolve("source"));
        OciImage image = SampleImages.application(builder);
        OciLayout source = builder.tag("1", image).write();
        Path copyDirectory = temporary.resolve("copy");

        skopeo.succeed("copy", "--dest-tls-verify=false", oci(source.root(), "1"), docker(registry, "skopeo/roundtrip:1"));
        skopeo.succeed("copy", "--src-tls-verify=false", docker(registry, "skopeo/roundtrip:1"), oci(copyDirectory, "1"));

        OciLayout copy = OciLayout.open(copyDirectory);
        assertThat(copy.requireTagged("1")).isEqualTo(source.requireTagged("1"));
        assertThat(copy.blobs().keySet()).containsExactlyInAnyOrderElementsOf(image.blobs());
        assertThat(copy.blob(image.manifest().digest())).isEqualTo(source.blob(image.manifest().digest()));
        assertThat(copy.blobs().get(image.layers().getLast().digest()))
                .isEqualTo(image.layers().getLast().size())
                .isGreaterThan(SampleImages.PAYLOAD_BYTES);
        HttpResponse<byte[]> served = http.get("/v2/skopeo/roundtrip/manifests/1");
        assertThat(served.statusCode()).isEqualTo(200);
        assertThat(served.headers().firstValue("Docker-Content-Digest")).hasValue(image.manifest().digest().toString());
    }

    @Test
    void copyAllPushesTheIndexUnchangedAndEveryPlatformPulls() throws IOException {
        OciLayoutBuilder builder = OciLayoutBuilder.create(temporary.resolve("source"));
        OciIndex index = SampleImages.multiPlatform(builder);
        OciLayout source = builder.tag("multi", index).write();

        skopeo.succeed("copy", "--all", "--dest-tls-verify=false", oci(source.root(), "multi"),
                docker(registry, "skopeo/multi:1"));

        ToolRun raw = skopeo.succeed("inspect", "--raw", "--tls-verify=false", docker(registry, "skopeo/multi:1"));
        byte[] rawIndex = raw.stdout().getBytes(StandardCharsets.UTF_8);
        assertThat(Digest.of(DigestAlgorithm.SHA256, rawIndex)).as(raw.transcript()).isEqualTo(index.manifest().digest());
        assertThat(JSON.readTree(rawIndex).path("mediaType").asText()).isEqualTo(MediaTypes.OCI_INDEX);

        for (OciImage image : index.images()) {
            String architecture = image.platform().architecture();
            Path byDigest = temporary.resolve("by-digest-" + architecture);
            skopeo.succeed("copy", "--src-tls-verify=false",
                    docker(registry, "skopeo/multi@" + image.manifest().digest()), oci(byDigest, architecture));
            OciLayout pulled = OciLayout.open(byDigest);
            assertThat(pulled.requireTagged(architecture).digest()).isEqualTo(image.manifest().digest());
            assertThat(pulled.blobs().keySet()).containsExactlyInAnyOrderElementsOf(image.blobs());
        }

        Path selected = temporary.resolve("selected-arm64");
        OciImage arm64 = index.image(Platform.LINUX_ARM64);
        skopeo.succeed("--override-arch", "arm64", "--override-variant", "v8", "copy", "--src-tls-verify=false",
                docker(registry, "skopeo/multi:1"), oci(selected, "arm64"));
        assertThat(OciLayout.open(selected).requireTagged("arm64").digest())
                .as("skopeo resolves the index Berth serves to the arm64 entry")
                .isEqualTo(arm64.manifest().digest());
    }

    @Test
    void inspectReadsTheConfigThroughTheManifest() throws IOException {
        OciLayoutBuilder builder = OciLayoutBuilder.create(temporary.resolve("source"));
        OciImage image = SampleImages.application(builder);
        OciLayout source = builder.tag("1", image).write();
        skopeo.succeed("copy", "--dest-tls-verify=false", oci(source.root(), "1"), docker(registry, "skopeo/inspect:1"));

        ToolRun inspect = skopeo.succeed("inspect", "--tls-verify=false", docker(registry, "skopeo/inspect:1"));
        JsonNode report = JSON.readTree(inspect.stdout());

        assertThat(report.path("Name").asText()).isEqualTo(registry.hostPort() + "/skopeo/inspect");
        assertThat(report.path("Digest").asText()).isEqualTo(image.manifest().digest().toString());
        assertThat(texts(report.path("RepoTags"))).containsExactly("1");
        assertThat(report.path("Architecture").asText()).isEqualTo("amd64");
        assertThat(report.path("Os").asText()).isEqualTo("linux");
        assertThat(report.path("Created").asText()).isEqualTo(OciLayoutBuilder.CREATED);
        assertThat(report.path("Labels").path(SampleImages.TITLE_LABEL).asText()).isEqualTo(SampleImages.TITLE);
        assertThat(texts(report.path("Env"))).contains("BERTH_PLATFORM=linux/amd64");
        assertThat(texts(report.path("Layers")))
                .containsExactlyElementsOf(image.layerDigests().stream().map(Digest::toString).toList());

        ToolRun config = skopeo.succeed("inspect", "--config", "--raw", "--tls-verify=false",
                docker(registry, "skopeo/inspect:1"));
        assertThat(Digest.of(DigestAlgorithm.SHA256, config.stdout().getBytes(StandardCharsets.UTF_8)))
                .as(config.transcript())
                .isEqualTo(image.config().digest());
    }

    @Test
    void listTagsShowsEveryTagInByteOrder() throws IOException {
        OciLayoutBuilder builder = OciLayoutBuilder.create(temporary.resolve("source"));
        OciLayout source = builder.tag("1", SampleImages.application(builder)).write();
        List<String> tags = List.of("v10", "latest", "V2", "1.0", "beta", "v2", "_internal");
        for (String tag : tags) {
            skopeo.succeed("copy", "--dest-tls-verify=false", oci(source.root(), "1"), docker(registry, "skopeo/tags:" + tag));
        }

        ToolRun listing = skopeo.succeed("list-tags", "--tls-verify=false", docker(registry, "skopeo/tags"));
        JsonNode report = JSON.readTree(listing.stdout());

        assertThat(report.path("Repository").asText()).isEqualTo(registry.hostPort() + "/skopeo/tags");
        assertThat(texts(report.path("Tags"))).containsExactlyElementsOf(tags.stream().sorted().toList());
    }

    @Test
    void listTagsFollowsTheLinkHeaderPastOnePage() throws IOException {
        OciLayoutBuilder builder = OciLayoutBuilder.create(temporary.resolve("source"));
        OciImage image = SampleImages.application(builder);
        OciLayout source = builder.tag("1", image).write();
        source.push(http, "1", "skopeo/many-tags", "first");
        List<String> tags = new ArrayList<>(List.of("first"));
        int batch = Limits.MAX_TAGS_PER_MANIFEST_PUT;
        for (int start = 0; start < Limits.MAX_PAGE_SIZE + 100; start += batch) {
            StringBuilder query = new StringBuilder();
            for (int i = start; i < start + batch; i++) {
                String tag = "t%05d".formatted(i);
                tags.add(tag);
                query.append(query.isEmpty() ? "?" : "&").append("tag=").append(tag);
            }
            http.pushManifest("skopeo/many-tags", "first" + query, MediaTypes.OCI_MANIFEST,
                    source.blob(image.manifest().digest()));
        }
        assertThat(http.get("/v2/skopeo/many-tags/tags/list").headers().firstValue("Link"))
                .as("the tag list spans more than one page")
                .isPresent();

        ToolRun listing = skopeo.succeed("list-tags", "--tls-verify=false", docker(registry, "skopeo/many-tags"));

        assertThat(texts(JSON.readTree(listing.stdout()).path("Tags")))
                .containsExactlyElementsOf(tags.stream().sorted().toList());
    }

    @Test
    void copyToADigestReferenceStoresTheManifestWithoutATag() {
        OciLayoutBuilder builder = OciLayoutBuilder.create(temporary.resolve("source"));
        OciImage image = SampleImages.application(builder);
        OciLayout source = builder.tag("1", image).write();
        String byDigest = "skopeo/untagged@" + image.manifest().digest();

        skopeo.succeed("copy", "--dest-tls-verify=false", oci(source.root(), "1"), docker(registry, byDigest));

        HttpResponse<byte[]> served = http.get("/v2/skopeo/untagged/manifests/" + image.manifest().digest());
        assertThat(served.statusCode()).isEqualTo(200);
        assertThat(served.body()).isEqualTo(source.blob(image.manifest().digest()));
        assertThat(RegistryHttp.json(http.get("/v2/skopeo/untagged/tags/list")).path("tags")).isEmpty();
        skopeo.succeed("inspect", "--raw", "--tls-verify=false", docker(registry, byDigest));
    }

    @Test
    void deleteRemovesTheManifestSoItsTagAndDigestAnswer404() {
        OciLayoutBuilder builder = OciLayoutBuilder.create(temporary.resolve("source"));
        OciImage image = SampleImages.application(builder);
        OciLayout source = builder.tag("1", image).write();
        skopeo.succeed("copy", "--dest-tls-verify=false", oci(source.root(), "1"), docker(registry, "skopeo/delete:1"));
        assertThat(http.get("/v2/skopeo/delete/manifests/1").statusCode()).isEqualTo(200);

        skopeo.succeed("delete", "--tls-verify=false", docker(registry, "skopeo/delete:1"));

        HttpResponse<byte[]> byTag = http.get("/v2/skopeo/delete/manifests/1");
        assertThat(byTag.statusCode()).as(RegistryHttp.text(byTag)).isEqualTo(404);
        assertThat(RegistryHttp.errorCode(byTag)).isEqualTo("MANIFEST_UNKNOWN");
        HttpResponse<byte[]> byDigest = http.get("/v2/skopeo/delete/manifests/" + image.manifest().digest());
        assertThat(byDigest.statusCode()).isEqualTo(404);
        ToolRun inspect = skopeo.run("inspect", "--tls-verify=false", docker(registry, "skopeo/delete:1"));
        assertThat(inspect.exitCode()).as(inspect.transcript()).isNotZero();
    }

    @Test
    void copyBetweenRepositoriesMountsTheLayersIntoTheNewRepository() {
        OciLayoutBuilder builder = OciLayoutBuilder.create(temporary.resolve("source"));
        OciImage image = SampleImages.application(builder);
        OciLayout source = builder.tag("1", image).write();
        skopeo.succeed("copy", "--dest-tls-verify=false", oci(source.root(), "1"), docker(registry, "skopeo/mount-source:1"));
        for (LayoutBlob layer : image.layers()) {
            assertThat(http.head("/v2/skopeo/mount-target/blobs/" + layer.digest()).statusCode()).isEqualTo(404);
        }

        ToolRun copy = skopeo.succeed("--debug", "copy", "--src-tls-verify=false", "--dest-tls-verify=false",
                docker(registry, "skopeo/mount-source:1"), docker(registry, "skopeo/mount-target:1"));

        for (LayoutBlob layer : image.layers()) {
            assertThat(copy.stderr())
                    .as("skopeo asks Berth to mount %s instead of uploading it\n%s", layer.digest(), copy.transcript())
                    .contains("/v2/skopeo/mount-target/blobs/uploads/?from=")
                    .contains("mount=" + layer.digest().toString().replace(":", "%3A"));
            HttpResponse<byte[]> blob = http.get("/v2/skopeo/mount-target/blobs/" + layer.digest());
            assertThat(blob.statusCode()).isEqualTo(200);
            assertThat(Digest.of(DigestAlgorithm.SHA256, blob.body())).isEqualTo(layer.digest());
        }
        assertThat(copy.stderr()).as(copy.transcript()).contains("mount OK");
        assertThat(http.get("/v2/skopeo/mount-target/manifests/1").headers().firstValue("Docker-Content-Digest"))
                .hasValue(image.manifest().digest().toString());
    }

    @Test
    void copyFromOneBerthToAnotherMovesEveryBlob() {
        OciLayoutBuilder builder = OciLayoutBuilder.create(temporary.resolve("source"));
        OciImage image = SampleImages.application(builder);
        OciLayout source = builder.tag("1", image).write();
        skopeo.succeed("copy", "--dest-tls-verify=false", oci(source.root(), "1"), docker(registry, "skopeo/origin:1"));

        try (TestRegistry mirror = TestRegistry.start()) {
            skopeo.succeed("copy", "--src-tls-verify=false", "--dest-tls-verify=false",
                    docker(registry, "skopeo/origin:1"), docker(mirror, "mirrored/app:1"));

            RegistryHttp mirrorHttp = mirror.http();
            HttpResponse<byte[]> manifest = mirrorHttp.get("/v2/mirrored/app/manifests/1");
            assertThat(manifest.statusCode()).isEqualTo(200);
            assertThat(manifest.body()).isEqualTo(source.blob(image.manifest().digest()));
            for (Digest blob : List.of(image.config().digest(), image.layers().get(0).digest(), image.layers().get(1).digest())) {
                HttpResponse<byte[]> response = mirrorHttp.get("/v2/mirrored/app/blobs/" + blob);
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.body()).isEqualTo(source.blob(blob));
            }
        }
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.asText()));
        return texts;
    }
}
