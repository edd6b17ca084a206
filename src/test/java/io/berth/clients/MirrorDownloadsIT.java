package io.berth.clients;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.oci.Digest;
import io.berth.oci.DigestAlgorithm;
import io.berth.testing.BerthProcess;
import io.berth.testing.LoopbackPorts;
import io.berth.testing.OciLayout;
import io.berth.testing.OciLayoutBuilder;
import io.berth.testing.RegistryHttp;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mirrors end to end, with real processes only: skopeo pushes an image to a Berth process;
 * {@code berth mirror export} writes the mirror tree; Python's static file server serves that tree
 * as a mirror; {@code berth mirror crawl} finds it fresh; skopeo pulls the image through HAProxy,
 * a trusted proxy that says the client is in the mirror's netblock. Every blob then comes from the
 * mirror, and Berth sends no blob bytes at all: each blob GET it logs is a 302 with an empty body.
 */
@Tag("clients")
class MirrorDownloadsIT {
    private static final Pattern BERTH_BLOB_GET = Pattern.compile("(?m)^\\S+Z (\\S+) \\S+ GET /v2/[^ ]+/blobs/(sha256:[0-9a-f]{64}) (\\d{3}) (\\d+) ");
    private static final Pattern MIRROR_BLOB_GET = Pattern.compile("\"GET /blobs/sha256/[0-9a-f]{2}/([0-9a-f]{64}) HTTP/1\\.[01]\" 200");

    @TempDir
    Path temporary;

    private Path config;
    private Path tree;
    private Path mirrorLog;
    private Process mirror;
    private Process haproxy;
    private BerthProcess berth;
    private int proxyPort;
    private ContainersTool skopeo;

    @BeforeEach
    void start() throws Exception {
        tree = Files.createDirectories(temporary.resolve("mirror-tree"));
        int mirrorPort = LoopbackPorts.free();
        mirrorLog = temporary.resolve("mirror.log");
        mirror = new ProcessBuilder("python3", "-u", "-m", "http.server", "--bind", "127.0.0.1", "--directory", tree.toString(),
                String.valueOf(mirrorPort))
                .redirectErrorStream(true).redirectOutput(mirrorLog.toFile()).start();
        LoopbackPorts.awaitListening(mirrorPort, "the mirror");
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
                """.formatted(temporary.resolve("data"), mirrorPort));
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
        skopeo = ContainersTool.skopeo(ContainersSandbox.create(temporary.resolve("sandbox")));
    }

    @AfterEach
    void stop() throws Exception {
        for (Process process : new Process[]{haproxy, mirror}) {
            if (process != null) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        if (berth != null) {
            berth.close();
        }
    }

    @Test
    void aPullBehindTheTrustedProxyTakesEveryBlobFromTheMirrorAndNoBlobBytesFromBerth() throws Exception {
        OciLayoutBuilder builder = OciLayoutBuilder.create(temporary.resolve("layout"));
        OciLayout layout = builder.tag("1", SampleImages.application(builder, io.berth.testing.Platform.LINUX_AMD64,
                3 * 1024 * 1024, 77)).write();
        String direct = "docker://127.0.0.1:" + berth.uri().getPort() + "/fedora/app:1";
        skopeo.succeed("copy", "--dest-tls-verify=false", "oci:" + layout.root() + ":1", direct);

        berthCommand("mirror", "export", tree.toString(), "--config", config.toString());
        assertThat(tree.resolve("berth-sync/generation")).hasContent("1");
        String crawl = berthCommand("mirror", "crawl", "--config", config.toString());
        assertThat(crawl).contains("campus: fresh at generation 1");
        awaitUsable("campus");

        Path pulled = temporary.resolve("pulled");
        skopeo.succeed("copy", "--src-tls-verify=false", "docker://127.0.0.1:" + proxyPort + "/fedora/app:1",
                "oci:" + pulled + ":1");

        assertThat(manifestDigest("docker://127.0.0.1:" + proxyPort + "/fedora/app:1"))
                .isEqualTo(manifestDigest(direct));
        Set<String> fromMirror = new HashSet<>();
        Matcher mirrored = MIRROR_BLOB_GET.matcher(Files.readString(mirrorLog));
        while (mirrored.find()) {
            fromMirror.add("sha256:" + mirrored.group(1));
        }
        Set<String> layersAndConfig = layersAndConfig(OciLayout.open(pulled));
        List<String> berthBlobGets = berthBlobGets(layersAndConfig.size());
        assertThat(layersAndConfig).hasSizeGreaterThan(1);
        assertThat(fromMirror).as("every layer and config blob came from the mirror").containsAll(layersAndConfig);
        assertThat(berthBlobGets).as("Berth answered blob GETs only with redirects").hasSizeGreaterThanOrEqualTo(layersAndConfig.size())
                .allSatisfy(line -> assertThat(line).as("the client the proxy named, a redirect, no body")
                        .startsWith("10.20.7.7 ").endsWith(" 302 0"));
    }

    /** Berth's access log lines of blob GETs, once at least {@code expected} are written (lines are written in batches). */
    private List<String> berthBlobGets(int expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            List<String> lines = new ArrayList<>();
            Matcher served = BERTH_BLOB_GET.matcher(berth.output());
            while (served.find()) {
                lines.add(served.group(1) + " " + served.group(2) + " " + served.group(3) + " " + served.group(4));
            }
            if (lines.size() >= expected || System.nanoTime() > deadline) {
                return lines;
            }
            Thread.sleep(100);
        }
    }

    private void awaitUsable(String name) throws InterruptedException {
        RegistryHttp http = berth.http();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            for (JsonNode entry : RegistryHttp.json(http.get("/berth/v1/mirrors")).path("mirrors")) {
                if (entry.path("name").asText().equals(name) && entry.path("usable").asBoolean()) {
                    return;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("mirror " + name + " never became usable");
    }

    private String berthCommand(String... arguments) throws Exception {
        BerthProcess.Run run = BerthProcess.run(arguments);
        assertThat(run.exitCode()).as("berth %s:%n%s", String.join(" ", arguments), run.output()).isZero();
        return run.output();
    }

    private String manifestDigest(String reference) {
        String raw = skopeo.succeed("inspect", "--tls-verify=false", "--raw", reference).stdout();
        return Digest.of(DigestAlgorithm.SHA256, raw.getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** The config and layer digests of the image tagged 1 in a layout. */
    private static Set<String> layersAndConfig(OciLayout layout) {
        JsonNode manifest = layout.json(layout.requireTagged("1").digest());
        Set<String> digests = new HashSet<>();
        digests.add(manifest.path("config").path("digest").asText());
        manifest.path("layers").forEach(layer -> digests.add(layer.path("digest").asText()));
        return digests;
    }
}
