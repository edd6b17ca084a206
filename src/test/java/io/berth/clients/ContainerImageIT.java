package io.berth.clients;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.testing.TestRegistry;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The container image Jib builds ({@code mvn -Pimage package}: {@code target/berth-image.tar}) is
 * pushed into a running Berth with skopeo and pulled back with skopeo and podman; unpacked with umoci,
 * its entry point, run as the image says (its user, its environment, its command) in its root file
 * system with a volume at {@code /var/lib/berth}, serves {@code /v2/}, and {@code berth health} in
 * the image says so. No container engine runs here, so the bundle runs under {@code chroot} with
 * {@code /proc} and {@code /dev} mounted, as a runtime would provide them.
 */
@Tag("clients")
class ContainerImageIT {
    private static final Path IMAGE = Path.of("target/berth-image.tar");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path directory;

    private final Deque<Path> mounts = new ArrayDeque<>();
    private Process server;

    @AfterEach
    void cleanUp() throws Exception {
        if (server != null) {
            server.destroy();
            if (!server.waitFor(20, TimeUnit.SECONDS)) {
                server.destroyForcibly().waitFor();
            }
        }
        while (!mounts.isEmpty()) {
            run(List.of("umount", "-l", mounts.pop().toString()), Duration.ofSeconds(30));
        }
    }

    @Test
    void theImageTravelsThroughBerthAndItsEntryPointServesTheApiAsANonRootUser() throws Exception {
        assertThat(IMAGE).as("the image, built by mvn -Pimage package (./run-tests builds it)").exists();
        try (TestRegistry registry = TestRegistry.start()) {
            String reference = registry.hostPort() + "/berth/berth:test";
            run(List.of("skopeo", "copy", "--dest-tls-verify=false", "oci-archive:" + IMAGE.toAbsolutePath(),
                    "docker://" + reference), Duration.ofMinutes(3));
            Path layout = directory.resolve("layout");
            run(List.of("skopeo", "copy", "--src-tls-verify=false", "docker://" + reference, "oci:" + layout + ":test"),
                    Duration.ofMinutes(3));
            ContainersSandbox sandbox = ContainersSandbox.create(directory.resolve("sandbox"));
            runIn(sandbox.environment(), List.of("podman", "pull", "--tls-verify=false", reference), Duration.ofMinutes(3));
            String inspected = runIn(sandbox.environment(), List.of("podman", "image", "inspect", "--format",
                    "{{.Config.User}} {{.Config.ExposedPorts}} {{.Config.Volumes}}", reference), Duration.ofMinutes(1));
            assertThat(inspected).contains("65532:65532", "5000/tcp", "/var/lib/berth");

            Path bundle = directory.resolve("bundle");
            run(List.of("umoci", "unpack", "--image", layout + ":test", bundle.toString()), Duration.ofMinutes(3));
            JsonNode process = JSON.readTree(bundle.resolve("config.json").toFile()).path("process");
            assertThat(process.path("user").path("uid").asInt()).as("not root").isEqualTo(65532);
            Path rootfs = bundle.resolve("rootfs");
            assertThat(rootfs.resolve("bin/sh")).as("no shell in the image").doesNotExist();
            Path volume = Files.createDirectories(directory.resolve("volume"));
            run(List.of("chmod", "0777", volume.toString()), Duration.ofSeconds(10));
            mountLikeARuntime(rootfs, volume);

            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            Map<String, String> environment = environmentOf(process);
            environment.put("BERTH_LISTEN", "127.0.0.1:" + port);
            List<String> args = new ArrayList<>();
            process.path("args").forEach(arg -> args.add(arg.asText()));
            server = inImage(rootfs, process, environment, args).redirectErrorStream(true)
                    .redirectOutput(directory.resolve("server.log").toFile()).start();
            URI base = URI.create("http://127.0.0.1:" + port);
            awaitApi(base);

            environment.put("BERTH_HEALTH_URL", base.toString());
            List<String> health = new ArrayList<>(args.subList(0, args.size() - 1));
            health.add("health");
            Process check = inImage(rootfs, process, environment, health).redirectErrorStream(true).start();
            String said = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(check.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(check.exitValue()).as(said).isZero();
            assertThat(said).contains("\"status\":\"ok\"");
            Path database = volume.resolve("data/berth.db");
            assertThat(database).as("the data in the volume").exists();
            assertThat(Files.getAttribute(database, "unix:uid")).as("written as the image's user").isEqualTo(65532);
        }
    }

    /** The mounts a container runtime makes: the root file system, /proc, /dev and the volume. */
    private void mountLikeARuntime(Path rootfs, Path volume) throws Exception {
        mount(List.of("mount", "--bind", rootfs.toString(), rootfs.toString()), rootfs);
        Files.createDirectories(rootfs.resolve("proc"));
        Files.createDirectories(rootfs.resolve("dev"));
        mount(List.of("mount", "-t", "proc", "proc", rootfs.resolve("proc").toString()), rootfs.resolve("proc"));
        mount(List.of("mount", "--bind", "/dev", rootfs.resolve("dev").toString()), rootfs.resolve("dev"));
        mount(List.of("mount", "--bind", volume.toString(), rootfs.resolve("var/lib/berth").toString()),
                rootfs.resolve("var/lib/berth"));
    }

    private void mount(List<String> command, Path where) throws Exception {
        run(command, Duration.ofSeconds(30));
        mounts.push(where);
    }

    /** The image's process as a runtime starts it: its environment alone, its user, in its root. */
    private static ProcessBuilder inImage(Path rootfs, JsonNode process, Map<String, String> environment, List<String> args) {
        List<String> command = new ArrayList<>(List.of("/usr/sbin/chroot", "--userspec="
                + process.path("user").path("uid").asInt() + ":" + process.path("user").path("gid").asInt(), rootfs.toString()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().clear();
        builder.environment().putAll(environment);
        return builder;
    }

    private static Map<String, String> environmentOf(JsonNode process) {
        Map<String, String> environment = new TreeMap<>();
        for (JsonNode variable : process.path("env")) {
            String text = variable.asText();
            int equals = text.indexOf('=');
            environment.put(text.substring(0, equals), text.substring(equals + 1));
        }
        return environment;
    }

    private void awaitApi(URI base) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        while (Instant.now().isBefore(deadline)) {
            assertThat(server.isAlive()).as("the image's server runs:\n%s", log()).isTrue();
            try {
                HttpResponse<String> answer = client.send(HttpRequest.newBuilder(base.resolve("/v2/"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (answer.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new AssertionError("the image's server did not answer /v2/ within 90 s:\n" + log());
    }

    private String log() throws IOException {
        Path log = directory.resolve("server.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    private static String run(List<String> command, Duration timeout) throws Exception {
        return runIn(Map.of(), command, timeout);
    }

    private static String runIn(Map<String, String> environment, List<String> command, Duration timeout) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process process = builder.start();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)).as("%s finishes", command).isTrue();
        String text = new String(output, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as("%s:\n%s", command, text).isZero();
        return text;
    }
}
