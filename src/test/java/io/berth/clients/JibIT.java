package io.berth.clients;

import static io.berth.clients.ContainersTool.docker;
import static io.berth.clients.ContainersTool.oci;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.oci.Digest;
import io.berth.oci.DigestAlgorithm;
import io.berth.oci.MediaTypes;
import io.berth.testing.OciImage;
import io.berth.testing.OciIndex;
import io.berth.testing.OciLayout;
import io.berth.testing.OciLayoutBuilder;
import io.berth.testing.RegistryHttp;
import io.berth.testing.TarReader;
import io.berth.testing.TestRegistry;
import java.io.IOException;
import java.net.http.HttpResponse;
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
 * Jib (the Maven plugin, run by a real Maven in a subprocess) builds an application image onto a
 * base image in Berth and pushes it back: Jib reads the base manifest and config, mounts the base
 * layers into the new repository, uploads its own layers and config, and puts a Docker schema 2
 * manifest. Jib tries HTTPS first and, with {@code jib.allowInsecureRegistries}, falls back to plain
 * HTTP, which is all Berth speaks here.
 */
@Tag("clients")
class JibIT {
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
    void jibBuildPutsTheApplicationOnTopOfTheBaseLayersInBerth() throws IOException {
        OciLayoutBuilder builder = OciLayoutBuilder.create(temporary.resolve("base"));
        OciImage base = SampleImages.application(builder);
        OciLayout layout = builder.tag("1", base).write();
        skopeo.succeed("copy", "--dest-tls-verify=false", oci(layout.root(), "1"), docker(registry, "jib/base:1"));

        ToolRun build = jibBuild("jib/base:1", "jib/app:1");

        HttpResponse<byte[]> served = http.get("/v2/jib/app/manifests/1");
        assertThat(served.statusCode()).as(build.transcript()).isEqualTo(200);
        String digest = served.headers().firstValue("Docker-Content-Digest").orElseThrow();
        List<String> layers = assertBuiltOn(base, "jib/app", RegistryHttp.json(served));

        ToolRun inspect = skopeo.succeed("inspect", "--tls-verify=false", docker(registry, "jib/app:1"));
        JsonNode report = JSON.readTree(inspect.stdout());
        assertThat(report.path("Digest").asText()).isEqualTo(digest);
        assertThat(texts(report.path("Layers"))).containsExactlyElementsOf(layers);
        assertThat(report.path("Architecture").asText()).isEqualTo("amd64");
    }

    @Test
    void jibBuildOnAMultiPlatformBasePushesAManifestListWithOneImagePerPlatform() throws IOException {
        OciLayoutBuilder builder = OciLayoutBuilder.create(temporary.resolve("base"));
        OciIndex base = SampleImages.multiPlatform(builder);
        OciLayout layout = builder.tag("1", base).write();
        skopeo.succeed("copy", "--all", "--dest-tls-verify=false", oci(layout.root(), "1"),
                docker(registry, "jib/multi-base:1"));

        ToolRun build = jibBuild("jib/multi-base:1", "jib/multi-app:1", "-Djib.from.platforms=linux/amd64,linux/arm64");

        HttpResponse<byte[]> served = http.get("/v2/jib/multi-app/manifests/1");
        assertThat(served.statusCode()).as(build.transcript()).isEqualTo(200);
        assertThat(served.headers().firstValue("Content-Type")).hasValue(MediaTypes.DOCKER_MANIFEST_LIST);
        JsonNode entries = RegistryHttp.json(served).path("manifests");
        assertThat(entries).hasSize(2);
        for (JsonNode entry : entries) {
            String architecture = entry.path("platform").path("architecture").asText();
            OciImage baseImage = base.images().stream()
                    .filter(image -> image.platform().architecture().equals(architecture))
                    .findFirst().orElseThrow(() -> new AssertionError("unexpected platform entry " + entry));
            HttpResponse<byte[]> child = http.get("/v2/jib/multi-app/manifests/" + entry.path("digest").asText());
            assertThat(child.statusCode()).isEqualTo(200);
            assertBuiltOn(baseImage, "jib/multi-app", RegistryHttp.json(child));
        }
    }

    /**
     * Runs {@code mvn compile jib:build} on a copy of the {@code jib-app} project, from and to
     * repositories of Berth, and fails the test with Maven's output unless it succeeds.
     */
    private ToolRun jibBuild(String from, String to, String... extraProperties) {
        return new JibProject(temporary).build(registry.hostPort(), from, to, List.of(extraProperties)).assertSucceeded();
    }

    /**
     * Checks that {@code manifest}, served from {@code repository}, is {@code base} with Jib's
     * layers on top: base layers first and unchanged, base diff IDs first in the config, the config
     * running {@code app.Main} on the base's platform, and the class file in one of Jib's layers.
     *
     * @return the manifest's layer digests
     */
    private static List<String> assertBuiltOn(OciImage base, String repository, JsonNode manifest) {
        List<String> layers = new ArrayList<>();
        manifest.path("layers").forEach(layer -> layers.add(layer.path("digest").asText()));
        assertThat(layers)
                .as("the base layers come first, unchanged")
                .startsWith(base.layerDigests().stream().map(Digest::toString).toArray(String[]::new))
                .hasSizeGreaterThan(base.layers().size());

        HttpResponse<byte[]> configResponse = http.get("/v2/" + repository + "/blobs/"
                + manifest.path("config").path("digest").asText());
        assertThat(configResponse.statusCode()).isEqualTo(200);
        JsonNode config = RegistryHttp.json(configResponse);
        assertThat(config.path("architecture").asText()).isEqualTo(base.platform().architecture());
        assertThat(config.path("os").asText()).isEqualTo(base.platform().os());
        assertThat(texts(config.path("rootfs").path("diff_ids")))
                .startsWith(base.diffIds().stream().map(Digest::toString).toArray(String[]::new));
        assertThat(String.join(" ", texts(config.path("config").path("Entrypoint")))).contains("app.Main");
        assertThat(layerEntries(repository, layers.subList(base.layers().size(), layers.size())))
                .as("Jib's own layers hold the compiled class")
                .anyMatch(path -> path.endsWith("app/Main.class"));
        return layers;
    }

    /** Paths in the given layers, each blob checked against its digest on the way. */
    private static List<String> layerEntries(String repository, List<String> layerDigests) {
        List<String> paths = new ArrayList<>();
        for (String layer : layerDigests) {
            HttpResponse<byte[]> blob = http.get("/v2/" + repository + "/blobs/" + layer);
            assertThat(blob.statusCode()).isEqualTo(200);
            assertThat(Digest.of(DigestAlgorithm.SHA256, blob.body()).toString()).isEqualTo(layer);
            TarReader.readGzip(blob.body()).forEach(entry -> paths.add(entry.path()));
        }
        return paths;
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.asText()));
        return texts;
    }
}
