package io.berth.clients;

import static io.berth.clients.ContainersTool.oci;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.oci.Digest;
import io.berth.oci.MediaTypes;
import io.berth.testing.OciImage;
import io.berth.testing.OciIndex;
import io.berth.testing.OciLayout;
import io.berth.testing.OciLayoutBuilder;
import io.berth.testing.Platform;
import io.berth.testing.RegistryHttp;
import io.berth.testing.TestRegistry;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * podman, as root with a private {@code vfs} store under a temporary {@code --root}/{@code --runroot}
 * (no container engine or daemon is involved in pushing and pulling): push, pull, platform
 * selection from an index, and search through the catalog and tag list.
 */
@Tag("clients")
class PodmanIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestRegistry registry;
    private static RegistryHttp http;

    @TempDir
    Path temporary;
    private ContainersTool podman;

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
        podman = ContainersTool.podman(ContainersSandbox.create(temporary.resolve("sandbox")));
    }

    @Test
    void pushedImageComesBackWithTheSameIdDigestAndLayers() throws IOException {
        OciLayoutBuilder builder = OciLayoutBuilder.create(temporary.resolve("source"));
        OciImage image = SampleImages.application(builder);
        OciLayout source = builder.tag("1", image).write();
        String name = registry.hostPort() + "/podman/app:1";

        String loadedId = podman.succeed("pull", "--quiet", oci(source.root(), "1")).stdout().strip();
        assertThat(loadedId).as("podman's image ID is the config digest").isEqualTo(image.config().digest().encoded());
        podman.succeed("tag", loadedId, name);
        Path digestFile = temporary.resolve("pushed-digest");
        podman.succeed("push", "--tls-verify=false", "--digestfile", digestFile.toString(), name);

        Digest pushed = Digest.parse(Files.readString(digestFile).strip());
        HttpResponse<byte[]> served = http.get("/v2/podman/app/manifests/1");
        assertThat(served.statusCode()).isEqualTo(200);
        assertThat(served.headers().firstValue("Docker-Content-Digest")).hasValue(pushed.toString());
        JsonNode manifest = RegistryHttp.json(served);
        assertThat(manifest.path("config").path("digest").asText()).isEqualTo(image.config().digest().toString());
        assertThat(manifest.path("layers")).hasSize(image.layers().size());

        podman.succeed("rmi", "--all", "--force");
        assertThat(podman.succeed("images", "--quiet").stdout()).as("local storage is empty before the pull").isBlank();

        String pulledId = podman.succeed("pull", "--quiet", "--tls-verify=false", name).stdout().strip();

        assertThat(pulledId).isEqualTo(loadedId);
        JsonNode inspect = JSON.readTree(podman.succeed("image", "inspect", name).stdout()).path(0);
        assertThat(inspect.path("Digest").asText()).isEqualTo(pushed.toString());
        assertThat(texts(inspect.path("RepoDigests"))).contains(registry.hostPort() + "/podman/app@" + pushed);
        assertThat(texts(inspect.path("RootFS").path("Layers")))
                .containsExactlyElementsOf(image.diffIds().stream().map(Digest::toString).toList());
        assertThat(inspect.path("Config").path("Labels").path(SampleImages.TITLE_LABEL).asText())
                .isEqualTo(SampleImages.TITLE);
    }

    @Test
    void pullWithArchitectureTakesTheMatchingEntryOfAnIndex() {
        OciLayoutBuilder builder = OciLayoutBuilder.create(temporary.resolve("source"));
        OciIndex index = SampleImages.multiPlatform(builder);
        builder.tag("1", index).write().push(http, "1", "podman/multi", "1");
        String name = registry.hostPort() + "/podman/multi:1";

        for (OciImage image : index.images()) {
            Platform platform = image.platform();
            List<String> arguments = new ArrayList<>(List.of("pull", "--quiet", "--tls-verify=false",
                    "--os", platform.os(), "--arch", platform.architecture()));
            platform.variant().ifPresent(variant -> arguments.addAll(List.of("--variant", variant)));
            arguments.add(name);

            String pulledId = podman.succeed(arguments.toArray(String[]::new)).stdout().strip();

            assertThat(pulledId).as("image ID pulled for %s", platform).isEqualTo(image.config().digest().encoded());
            String architecture = podman.succeed("image", "inspect", "--format", "{{.Architecture}}", pulledId)
                    .stdout().strip();
            assertThat(architecture).isEqualTo(platform.architecture());
        }
    }

    @Test
    void manifestPushStoresADockerManifestListWhoseEntriesPullByPlatform() throws IOException {
        OciLayoutBuilder builder = OciLayoutBuilder.create(temporary.resolve("source"));
        OciIndex index = SampleImages.multiPlatform(builder);
        for (OciImage image : index.images()) {
            builder.tag(image.platform().architecture(), image);
        }
        OciLayout source = builder.write();
        String list = "localhost/berth-test-list";
        podman.succeed("manifest", "create", list);
        for (OciImage image : index.images()) {
            podman.succeed("manifest", "add", list, oci(source.root(), image.platform().architecture()));
        }
        Path digestFile = temporary.resolve("pushed-digest");

        podman.succeed("manifest", "push", "--all", "--format", "v2s2", "--tls-verify=false",
                "--digestfile", digestFile.toString(), list, "docker://" + registry.hostPort() + "/podman/list:1");

        Digest pushed = Digest.parse(Files.readString(digestFile).strip());
        HttpResponse<byte[]> served = http.get("/v2/podman/list/manifests/1");
        assertThat(served.statusCode()).isEqualTo(200);
        assertThat(served.headers().firstValue("Content-Type")).hasValue(MediaTypes.DOCKER_MANIFEST_LIST);
        assertThat(served.headers().firstValue("Docker-Content-Digest")).hasValue(pushed.toString());
        JsonNode entries = RegistryHttp.json(served).path("manifests");
        assertThat(entries).hasSize(index.images().size());
        for (OciImage image : index.images()) {
            JsonNode entry = entryFor(entries, image.platform().architecture());
            assertThat(entry.path("mediaType").asText()).isEqualTo(MediaTypes.DOCKER_MANIFEST);
            HttpResponse<byte[]> child = http.get("/v2/podman/list/manifests/" + entry.path("digest").asText());
            assertThat(child.statusCode()).isEqualTo(200);
            String configDigest = RegistryHttp.json(child).path("config").path("digest").asText();

            String pulledId = podman.succeed("pull", "--quiet", "--tls-verify=false",
                    "--arch", image.platform().architecture(), registry.hostPort() + "/podman/list:1").stdout().strip();

            assertThat("sha256:" + pulledId).as("podman pulls the %s entry", image.platform()).isEqualTo(configDigest);
            JsonNode inspect = JSON.readTree(podman.succeed("image", "inspect", pulledId).stdout()).path(0);
            assertThat(texts(inspect.path("RootFS").path("Layers")))
                    .containsExactlyElementsOf(image.diffIds().stream().map(Digest::toString).toList());
        }
    }

    @Test
    void searchFindsRepositoriesInTheCatalogAndTagsInTheTagList() throws IOException {
        OciLayoutBuilder builder = OciLayoutBuilder.create(temporary.resolve("source"));
        OciLayout source = builder.tag("1", SampleImages.application(builder)).write();
        source.push(http, "1", "podman/search/one", "1");
        source.push(http, "1", "podman/search/two", "v1");
        source.push(http, "1", "podman/search/two", "v2");

        ToolRun search = podman.succeed("search", "--tls-verify=false", "--format", "{{.Name}}",
                registry.hostPort() + "/podman/search");
        assertThat(lines(search.stdout())).as(search.transcript())
                .contains(registry.hostPort() + "/podman/search/one", registry.hostPort() + "/podman/search/two");

        ToolRun tags = podman.succeed("search", "--tls-verify=false", "--list-tags", "--format", "json",
                registry.hostPort() + "/podman/search/two");
        JsonNode listing = JSON.readTree(tags.stdout()).path(0);
        assertThat(listing.path("Name").asText()).as(tags.transcript()).isEqualTo(registry.hostPort() + "/podman/search/two");
        assertThat(texts(listing.path("Tags"))).as(tags.transcript()).containsExactly("v1", "v2");
    }

    private static JsonNode entryFor(JsonNode entries, String architecture) {
        for (JsonNode entry : entries) {
            if (entry.path("platform").path("architecture").asText().equals(architecture)) {
                return entry;
            }
        }
        throw new AssertionError("no entry for " + architecture + " in " + entries);
    }

    private static List<String> lines(String output) {
        return Arrays.stream(output.split("\n")).map(String::strip).filter(line -> !line.isEmpty()).toList();
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.asText()));
        return texts;
    }
}
