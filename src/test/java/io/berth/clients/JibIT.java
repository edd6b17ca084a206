package io.berth.clients;

import static io.berth.clients.ContainersTool.docker;
import static io.berth.clients.ContainersTool.oci;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.oci.Digest;
import io.berth.oci.DigestAlgorithm;
import io.berth.testing.OciImage;
import io.berth.testing.OciLayout;
import io.berth.testing.OciLayoutBuilder;
import io.berth.testing.RegistryHttp;
import io.berth.testing.TarReader;
import io.berth.testing.TestRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
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
    /** The first run downloads the plugin and its dependencies from Maven Central. */
    private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(10);

    @TempDir
    Path temporary;

    @Test
    void jibBuildPutsTheApplicationOnTopOfTheBaseLayersInBerth() throws IOException {
        try (TestRegistry registry = TestRegistry.start()) {
            RegistryHttp http = registry.http();
            ContainersSandbox sandbox = ContainersSandbox.create(temporary.resolve("sandbox"));
            ContainersTool skopeo = ContainersTool.skopeo(sandbox);
            OciLayoutBuilder builder = OciLayoutBuilder.create(temporary.resolve("base"));
            OciImage base = SampleImages.application(builder);
            OciLayout layout = builder.tag("1", base).write();
            skopeo.succeed("copy", "--dest-tls-verify=false", oci(layout.root(), "1"), docker(registry, "jib/base:1"));
            Path project = copyProject(temporary.resolve("jib-app"));

            ToolRun build = maven(project).run(BUILD_TIMEOUT, mavenArguments(project,
                    "compile", "jib:build",
                    "-Djib.allowInsecureRegistries=true",
                    "-Djib.disableUpdateChecks=true",
                    "-Djib.from.image=" + registry.hostPort() + "/jib/base:1",
                    "-Djib.to.image=" + registry.hostPort() + "/jib/app:1",
                    "-Djib.baseImageCache=" + temporary.resolve("jib-base-cache"),
                    "-Djib.applicationCache=" + temporary.resolve("jib-application-cache")));
            build.assertSucceeded();

            HttpResponse<byte[]> served = http.get("/v2/jib/app/manifests/1");
            assertThat(served.statusCode()).as(build.transcript()).isEqualTo(200);
            String digest = served.headers().firstValue("Docker-Content-Digest").orElseThrow();
            JsonNode manifest = RegistryHttp.json(served);
            List<String> layers = new ArrayList<>();
            manifest.path("layers").forEach(layer -> layers.add(layer.path("digest").asText()));
            assertThat(layers)
                    .as("the base layers come first, unchanged")
                    .startsWith(base.layerDigests().stream().map(Digest::toString).toArray(String[]::new))
                    .hasSizeGreaterThan(base.layers().size());

            JsonNode config = RegistryHttp.json(http.get("/v2/jib/app/blobs/" + manifest.path("config").path("digest").asText()));
            assertThat(config.path("architecture").asText()).isEqualTo("amd64");
            assertThat(config.path("os").asText()).isEqualTo("linux");
            assertThat(texts(config.path("rootfs").path("diff_ids")))
                    .startsWith(base.diffIds().stream().map(Digest::toString).toArray(String[]::new));
            assertThat(String.join(" ", texts(config.path("config").path("Entrypoint")))).contains("app.Main");
            assertThat(applicationLayerEntries(http, layers.subList(base.layers().size(), layers.size())))
                    .as("Jib's own layers hold the compiled class")
                    .anyMatch(path -> path.endsWith("app/Main.class"));

            ToolRun inspect = skopeo.succeed("inspect", "--tls-verify=false", docker(registry, "jib/app:1"));
            JsonNode report = JSON.readTree(inspect.stdout());
            assertThat(report.path("Digest").asText()).isEqualTo(digest);
            assertThat(texts(report.path("Layers"))).containsExactlyElementsOf(layers);
            assertThat(report.path("Architecture").asText()).isEqualTo("amd64");
        }
    }

    /** Paths in the given layers, each blob checked against its digest on the way. */
    private static List<String> applicationLayerEntries(RegistryHttp http, List<String> layerDigests) {
        List<String> paths = new ArrayList<>();
        for (String layer : layerDigests) {
            HttpResponse<byte[]> blob = http.get("/v2/jib/app/blobs/" + layer);
            assertThat(blob.statusCode()).isEqualTo(200);
            assertThat(Digest.of(DigestAlgorithm.SHA256, blob.body()).toString()).isEqualTo(layer);
            TarReader.readGzip(blob.body()).forEach(entry -> paths.add(entry.path()));
        }
        return paths;
    }

    /**
     * Maven from the build running these tests ({@code berth.maven.home}), else {@code mvn} on
     * {@code PATH}, on this JVM's JDK, with Docker's client configuration pointed at an empty
     * directory so that Jib reads no credentials or credential helpers of the machine.
     */
    private ExternalTool maven(Path project) throws IOException {
        String mavenHome = System.getProperty("berth.maven.home", "");
        String executable = mavenHome.isEmpty() ? "mvn" : Path.of(mavenHome, "bin", "mvn").toString();
        Path dockerConfig = Files.createDirectories(temporary.resolve("docker-config"));
        return new ExternalTool(executable, "install Maven (the Debian package maven) or run the tests through Maven.",
                Map.of("JAVA_HOME", System.getProperty("java.home"), "DOCKER_CONFIG", dockerConfig.toString()),
                project);
    }

    private static List<String> mavenArguments(Path project, String... goalsAndProperties) {
        List<String> arguments = new ArrayList<>(List.of("-B", "-q", "-e", "-f", project.resolve("pom.xml").toString()));
        String repository = System.getProperty("berth.maven.repo.local", "");
        if (!repository.isEmpty()) {
            arguments.add("-Dmaven.repo.local=" + repository);
        }
        arguments.addAll(List.of(goalsAndProperties));
        return arguments;
    }

    /** Copies the {@code jib-app} project from the test resources into {@code target}. */
    private static Path copyProject(Path target) {
        URL resource = JibIT.class.getResource("/jib-app/pom.xml");
        assertThat(resource).as("the jib-app project is on the test classpath").isNotNull();
        try {
            Path source = Path.of(resource.toURI()).getParent();
            try (Stream<Path> files = Files.walk(source)) {
                for (Path file : files.toList()) {
                    Path copy = target.resolve(source.relativize(file).toString());
                    if (Files.isDirectory(file)) {
                        Files.createDirectories(copy);
                    } else {
                        Files.copy(file, copy);
                    }
                }
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.asText()));
        return texts;
    }
}
