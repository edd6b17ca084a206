package io.berth.clients;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.config.MirrorsConfig;
import io.berth.mirror.SourceHealth;
import io.berth.testing.BerthProcess;
import io.berth.testing.LoopbackPorts;
import io.berth.testing.OciLayout;
import io.berth.testing.OciLayoutBuilder;
import io.berth.testing.RegistryHttp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mirror failover with real processes and the default probe settings: a Berth process, two
 * mirrors served by Python's static file server ({@code campus}, whose netblock holds the client,
 * and {@code backup}, in the global pool), HAProxy as the trusted proxy that says the client is
 * 10.20.7.7. Once a pull has been sent to {@code campus}, its server is killed; within the bound of
 * the defaults Berth stops sending clients there, and {@code podman pull} succeeds from
 * {@code backup}, without a crawl having run.
 */
@Tag("clients")
class MirrorFailoverIT {
    private static final Pattern BACKUP_BLOB_GET = Pattern.compile("\"GET /blobs/sha256/[0-9a-f]{2}/[0-9a-f]{64} HTTP/1\\.[01]\" 200");

    @TempDir
    Path temporary;

    private Path config;
    private Path tree;
    private Path backupLog;
    private Process campus;
    private Process backup;
    private Process haproxy;
    private BerthProcess berth;
    private int proxyPort;
    private ContainersTool skopeo;
    private ContainersTool podman;

    @BeforeEach
    void start() throws Exception {
        tree = Files.createDirectories(temporary.resolve("mirror-tree"));
        int campusPort = LoopbackPorts.free();
        campus = fileServer(campusPort, temporary.resolve("campus.log"));
        int backupPort = LoopbackPorts.free();
        backupLog = temporary.resolve("backup.log");
        backup = fileServer(backupPort, backupLog);
        LoopbackPorts.awaitListening(campusPort, "the campus mirror");
        LoopbackPorts.awaitListening(backupPort, "the backup mirror");
        config = temporary.resolve("berth.yml");
        Files.writeString(config, """
                data-dir: %s
                trusted-proxies: [127.0.0.1/32]
                mirrors:
                  crawl-on-start: false
                  refresh-seconds: 1
                  list:
                    - name: campus
                      url: http://127.0.0.1:%d/
                      country: DE
                      netblocks: [10.20.0.0/16]
                    - name: backup
                      url: http://127.0.0.1:%d/
                      country: US
                """.formatted(temporary.resolve("data"), campusPort, backupPort));
        berth = BerthProcess.startWithConfig(config, List.of("-Xmx256m"));
        proxyPort = LoopbackPorts.free();
        Path haproxyConfig = temporary.resolve("haproxy.cfg");
        Files.writeString(haproxyConfig, """
                defaults
                    mode http
                    timeout connect 2s
                    timeout client 60s
                    timeout server 60s
                frontend campus_gateway
                    bind 127.0.0.1:%d
                    http-request set-header X-Forwarded-For 10.20.7.7
                    default_backend berth
                backend berth
                    server berth 127.0.0.1:%d
                """.formatted(proxyPort, berth.uri().getPort()));
        haproxy = new ProcessBuilder("haproxy", "-db", "-f", haproxyConfig.toString())
                .redirectErrorStream(true).redirectOutput(temporary.resolve("haproxy.log").toFile()).start();
        LoopbackPorts.awaitListening(proxyPort, "haproxy");
        ContainersSandbox sandbox = ContainersSandbox.create(temporary.resolve("sandbox"));
        skopeo = ContainersTool.skopeo(sandbox);
        podman = ContainersTool.podman(sandbox);
    }

    @AfterEach
    void stop() throws Exception {
        for (Process process : new Process[]{haproxy, campus, backup}) {
            if (process != null) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        if (berth != null) {
            berth.close();
        }
    }

    @Test
    void podmanPullsFromTheOtherMirrorOnceTheChosenOneIsKilled() throws Exception {
        OciLayoutBuilder builder = OciLayoutBuilder.create(temporary.resolve("layout"));
        OciLayout layout = builder.tag("1", SampleImages.application(builder, io.berth.testing.Platform.LINUX_AMD64,
                3 * 1024 * 1024, 78)).write();
        skopeo.succeed("copy", "--dest-tls-verify=false", "oci:" + layout.root() + ":1",
                "docker://127.0.0.1:" + berth.uri().getPort() + "/fedora/app:1");
        berthCommand("mirror", "export", tree.toString(), "--config", config.toString());
        assertThat(berthCommand("mirror", "crawl", "--config", config.toString()))
                .contains("campus: fresh at generation 1").contains("backup: fresh at generation 1");
        awaitMirror("campus", "usable", true, Duration.ofSeconds(20));
        awaitMirror("backup", "usable", true, Duration.ofSeconds(20));
        skopeo.succeed("copy", "--src-tls-verify=false", "docker://127.0.0.1:" + proxyPort + "/fedora/app:1",
                "oci:" + temporary.resolve("first-pull") + ":1");
        awaitProbed("campus");

        campus.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        long killed = System.nanoTime();
        SourceHealth.Settings defaults = new SourceHealth.Settings(
                Duration.ofSeconds(MirrorsConfig.DEFAULT_PROBE_INTERVAL_SECONDS), MirrorsConfig.DEFAULT_PROBE_FAILURES,
                Duration.ofSeconds(MirrorsConfig.DEFAULT_PROBE_TIMEOUT_SECONDS));
        awaitMirror("campus", "reachable", false, defaults.failoverBound().multipliedBy(3));
        Duration failover = Duration.ofNanos(System.nanoTime() - killed);
        long pullStarted = System.nanoTime();
        podman.succeed("pull", "--quiet", "--tls-verify=false", "127.0.0.1:" + proxyPort + "/fedora/app:1");
        Duration pull = Duration.ofNanos(System.nanoTime() - pullStarted);

        System.out.printf("the killed mirror got no more clients after %d ms (bound %d ms); podman pull then took %d ms%n",
                failover.toMillis(), defaults.failoverBound().toMillis(), pull.toMillis());
        assertThat(failover).isLessThanOrEqualTo(defaults.failoverBound());
        assertThat(BACKUP_BLOB_GET.matcher(Files.readString(backupLog)).results().count())
                .as("the pulled blobs came from the backup mirror").isGreaterThanOrEqualTo(2);
        JsonNode campusState = mirror("campus");
        assertThat(campusState.path("stale").asBoolean()).as("no crawl ran").isFalse();
        assertThat(campusState.path("openSince").isTextual()).isTrue();
    }

    private Process fileServer(int port, Path log) throws Exception {
        return new ProcessBuilder("python3", "-u", "-m", "http.server", "--bind", "127.0.0.1", "--directory", tree.toString(),
                String.valueOf(port)).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private void awaitProbed(String name) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (mirror(name).path("lastProbe").isNull()) {
            assertThat(System.nanoTime()).as("mirror %s probed", name).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private void awaitMirror(String name, String field, boolean value, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (mirror(name).path(field).asBoolean() != value) {
            assertThat(System.nanoTime()).as("mirror %s %s %s within %s", name, field, value, limit).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private JsonNode mirror(String name) {
        RegistryHttp http = berth.http();
        for (JsonNode entry : RegistryHttp.json(http.get("/berth/v1/mirrors")).path("mirrors")) {
            if (entry.path("name").asText().equals(name)) {
                return entry;
            }
        }
        throw new AssertionError("no mirror " + name);
    }

    private String berthCommand(String... arguments) throws Exception {
        BerthProcess.Run run = BerthProcess.run(arguments);
        assertThat(run.exitCode()).as("berth %s:%n%s", String.join(" ", arguments), run.output()).isZero();
        return run.output();
    }
}
