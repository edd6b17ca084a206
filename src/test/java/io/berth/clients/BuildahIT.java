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
import io.berth.testing.OciLayout;
import io.berth.testing.OciLayoutBuilder;
import io.berth.testing.RegistryHttp;
import io.berth.testing.TarReader;
import io.berth.testing.TestRegistry;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
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
 * buildah, as root over a private {@code vfs} store: a working container made from an OCI layout is
 * changed, committed and pushed to Berth in OCI and Docker schema 2 formats, then read back with
 * the registry API, skopeo and {@code buildah pull}.
 */
@Tag("clients")
class BuildahIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LABEL = "io.berth.test.built-with";
    private static TestRegistry registry;
    private static RegistryHttp http;

    @TempDir
    Path temporary;
    private ContainersTool buildah;
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
        ContainersSandbox sandbox = ContainersSandbox.create(temporary.resolve("sandbox"));
        buildah = ContainersTool.buildah(sandbox);
        skopeo = ContainersTool.skopeo(sandbox);
    }

    @Test
    void commitThenPushStoresAnOciImageOnTopOfTheBaseLayers() throws IOException {
        OciImage base = baseImage();
        String container = buildah.succeed("from", "--quiet", oci(temporary.resolve("base"), "1")).stdout().strip();
        buildah.succeed("config", "--label", LABEL + "=buildah", "--env", "STAGE=committed", container);
        String name = registry.hostPort() + "/buildah/app:1";
        buildah.succeed("commit", "--quiet", "--format", "oci", container, name);
        Path digestFile = temporary.resolve("pushed-digest");

        buildah.succeed("push", "--tls-verify=false", "--digestfile", digestFile.toString(), name);

        Digest pushed = Digest.parse(Files.readString(digestFile).strip());
        HttpResponse<byte[]> served = http.get("/v2/buildah/app/manifests/1");
        assertThat(served.statusCode()).isEqualTo(200);
        assertThat(served.headers().firstValue("Docker-Content-Digest")).hasValue(pushed.toString());
        assertThat(served.headers().firstValue("Content-Type")).hasValue(MediaTypes.OCI_MANIFEST);
        JsonNode manifest = RegistryHttp.json(served);
        JsonNode config = configOf("buildah/app", manifest);
        assertThat(config.path("config").path("Labels").path(LABEL).asText()).isEqualTo("buildah");
        assertThat(config.path("config").path("Labels").path(SampleImages.TITLE_LABEL).asText()).isEqualTo(SampleImages.TITLE);
        assertThat(texts(config.path("config").path("Env"))).contains("STAGE=committed");
        assertThat(texts(config.path("rootfs").path("diff_ids")))
                .as("the committed image keeps the base's layers underneath its own")
                .startsWith(base.diffIds().stream().map(Digest::toString).toArray(String[]::new));
        assertLayersServed("buildah/app", manifest);

        ToolRun inspect = skopeo.succeed("inspect", "--tls-verify=false", docker(registry, "buildah/app:1"));
        JsonNode report = JSON.readTree(inspect.stdout());
        assertThat(report.path("Digest").asText()).isEqualTo(pushed.toString());
        assertThat(report.path("Labels").path(LABEL).asText()).isEqualTo("buildah");
    }

    @Test
    void commitStraightToBerthInDockerFormatCarriesTheCopiedFile() throws IOException {
        baseImage();
        Path added = temporary.resolve("greeting.txt");
        Files.writeString(added, "added by buildah copy\n");
        String container = buildah.succeed("from", "--quiet", oci(temporary.resolve("base"), "1")).stdout().strip();
        buildah.succeed("copy", container, added.toString(), "/srv/greeting.txt");

        buildah.succeed("commit", "--quiet", "--format", "docker", "--tls-verify=false", container,
                docker(registry, "buildah/docker:1"));

        HttpResponse<byte[]> served = http.get("/v2/buildah/docker/manifests/1");
        assertThat(served.statusCode()).isEqualTo(200);
        assertThat(served.headers().firstValue("Content-Type")).hasValue(MediaTypes.DOCKER_MANIFEST);
        JsonNode manifest = RegistryHttp.json(served);
        assertThat(manifest.path("config").path("mediaType").asText())
                .isEqualTo("application/vnd.docker.container.image.v1+json");
        assertLayersServed("buildah/docker", manifest);
        JsonNode topLayer = manifest.path("layers").get(manifest.path("layers").size() - 1);
        byte[] layer = http.get("/v2/buildah/docker/blobs/" + topLayer.path("digest").asText()).body();
        assertThat(TarReader.readGzip(layer))
                .filteredOn(entry -> entry.path().endsWith("srv/greeting.txt"))
                .singleElement()
                .satisfies(entry -> assertThat(entry.text()).isEqualTo("added by buildah copy\n"));

        buildah.succeed("rm", "--all");
        buildah.succeed("rmi", "--all", "--force");
        String pulledId = buildah.succeed("pull", "--quiet", "--tls-verify=false", registry.hostPort() + "/buildah/docker:1")
                .stdout().strip();
        assertThat(pulledId).as("buildah's image ID is the config digest")
                .isEqualTo(Digest.parse(manifest.path("config").path("digest").asText()).encoded());
    }

    /** Writes the sample image into {@code base/} as tag 1. */
    private OciImage baseImage() {
        OciLayoutBuilder builder = OciLayoutBuilder.create(temporary.resolve("base"));
        OciImage image = SampleImages.application(builder);
        OciLayout layout = builder.tag("1", image).write();
        assertThat(layout.requireTagged("1").digest()).isEqualTo(image.manifest().digest());
        return image;
    }

    private static JsonNode configOf(String repository, JsonNode manifest) {
        HttpResponse<byte[]> config = http.get("/v2/" + repository + "/blobs/" + manifest.path("config").path("digest").asText());
        assertThat(config.statusCode()).isEqualTo(200);
        return RegistryHttp.json(config);
    }

    /** Every layer the manifest lists is served with the size and digest the manifest states. */
    private static void assertLayersServed(String repository, JsonNode manifest) {
        assertThat(manifest.path("layers").size()).isGreaterThan(0);
        for (JsonNode layer : manifest.path("layers")) {
            HttpResponse<byte[]> blob = http.get("/v2/" + repository + "/blobs/" + layer.path("digest").asText());
            assertThat(blob.statusCode()).isEqualTo(200);
            assertThat((long) blob.body().length).isEqualTo(layer.path("size").asLong());
            assertThat(Digest.of(DigestAlgorithm.SHA256, blob.body()).toString()).isEqualTo(layer.path("digest").asText());
        }
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.asText()));
        return texts;
    }
}
