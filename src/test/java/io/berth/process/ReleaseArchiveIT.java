package io.berth.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.testing.LoopbackPorts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release archive as an operator installs it: {@code scripts/release-archive} packs the build,
 * the archive unpacks into a directory of its own, its launcher starts Berth with nothing of the
 * checkout around (a Java 21+ runtime is all it needs) and serves {@code /v2/}; the systemd unit it
 * ships passes {@code systemd-analyze verify} without a warning once it points at where the release
 * was unpacked.
 */
class ReleaseArchiveIT {
    @TempDir
    Path directory;

    @Test
    void theArchiveUnpacksAndItsLauncherServesTheRegistry() throws Exception {
        String archive = run(Path.of("").toAbsolutePath(), List.of("scripts/release-archive", "--no-build")).strip();
        assertThat(archive).matches("target/berth-[0-9A-Za-z.\\-]+\\.tar\\.gz");
        run(directory, List.of("tar", "-xzf", Path.of(archive).toAbsolutePath().toString()));
        Path release;
        try (var entries = Files.list(directory)) {
            release = entries.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        assertThat(release.resolve("berth.jar")).exists();
        assertThat(release.resolve("systemd/berth.service")).exists();
        assertThat(release.resolve("docs/operations.md")).exists();

        assertThat(run(directory, List.of(release.resolve("bin/berth").toString(), "--version"))).contains("berth");

        int port = LoopbackPorts.free();
        Path data = directory.resolve("data");
        Path cds = directory.resolve("berth.jsa");
        ProcessBuilder serve = new ProcessBuilder(release.resolve("bin/berth").toString(), "serve",
                "--listen", "127.0.0.1:" + port, "--data", data.toString())
                .directory(directory.toFile()).redirectErrorStream(true).redirectOutput(directory.resolve("serve.log").toFile());
        serve.environment().put("BERTH_CDS_ARCHIVE", cds.toString());
        Process server = serve.start();
        try {
            LoopbackPorts.awaitListening(port, "the release's launcher");
            HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/v2/")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).isEqualTo(200);
        } finally {
            server.destroy();
            assertThat(server.waitFor(30, TimeUnit.SECONDS)).as("Berth stops on SIGTERM").isTrue();
        }
        String log = Files.readString(directory.resolve("serve.log"));
        assertThat(server.exitValue()).as(log).isZero();
        assertThat(log).as("no class-data sharing chatter on the first start").doesNotContain("[cds]").doesNotContain("CDS");
        assertThat(cds).as("the class-data sharing archive is written where the unit says").exists();

        Path unit = directory.resolve("berth.service");
        Files.writeString(unit, Files.readString(release.resolve("systemd/berth.service"))
                .replace("/opt/berth/bin/berth", release.resolve("bin/berth").toString()));
        String verified = run(directory, List.of("systemd-analyze", "verify", unit.toString()));
        assertThat(verified).as("systemd-analyze verify says nothing about the unit").isEmpty();
    }

    /** Runs {@code command} in {@code where}; its output, which must end with status 0. */
    private static String run(Path where, List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(where.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).as(String.join(" ", command)).isTrue();
        assertThat(process.exitValue()).as(String.join(" ", command) + ":\n" + output).isZero();
        return output;
    }
}
