package io.berth.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.berth.clients.ContainersSandbox;
import io.berth.clients.ContainersTool;
import io.berth.clients.SampleImages;
import io.berth.deploy.AnsibleCluster.Node;
import io.berth.deploy.AnsibleCluster.PlaybookRun;
import io.berth.deploy.AnsibleCluster.ProcessResult;
import io.berth.oci.Digest;
import io.berth.oci.DigestAlgorithm;
import io.berth.testing.OciImage;
import io.berth.testing.OciLayoutBuilder;
import io.berth.testing.Platform;
import io.berth.testing.S3ProxyServer;
import java.io.File;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code deploy/ansible} for real, on this machine (docs/deployment.md, "How it is tested"): the
 * playbook deploys three Berth nodes and HAProxy from the release archive over PostgreSQL and
 * S3Proxy, with the secrets in an ansible-vault file; skopeo pushes an image through the balancer and
 * pulls it back, and every node serves it. A second run with the same inputs changes nothing. A
 * rolling upgrade to a rebuilt release, while clients pull through the balancer without a pause,
 * fails no pull and leaves every node running the new release. The rendered units pass {@code
 * systemd-analyze verify} and keep the hardening of {@code packaging/systemd/berth.service}; the
 * mirror export's command line writes the tree; {@code ansible-lint --profile production} passes;
 * every role variable is in the guide's tables.
 *
 * <p>The steps build on each other, in order, over one cluster; everything started is stopped and
 * the database dropped at the end, whatever failed.
 */
@Tag("clients")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AnsiblePlaybookIT {
    private static final List<String> TOOLS = List.of("ansible", "ansible-playbook", "ansible-lint", "ansible-vault", "haproxy",
            "skopeo", "systemd-analyze", "start-stop-daemon", "runuser", "tar");
    private static final Path PACKAGED_UNIT = Path.of("packaging/systemd/berth.service");
    private static final Path DEPLOYMENT_GUIDE = Path.of("docs/deployment.md");
    private static final Path ROLES = Path.of("deploy/ansible/roles");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final String CREDENTIALS = AnsibleCluster.PUSHER + ":" + AnsibleCluster.PUSHER_PASSWORD;

    @TempDir
    static Path temporary;
    private S3ProxyServer s3;
    private AnsibleCluster cluster;
    private ContainersTool skopeo;
    private Path firstRelease;
    private OciImage image;

    @BeforeAll
    void prepare() throws Exception {
        List<String> missing = TOOLS.stream().filter(tool -> !onPath(tool)).toList();
        assertThat(missing).as("tools this test runs (Debian packages ansible, ansible-lint, haproxy, skopeo, systemd, dpkg, util-linux, tar)")
                .isEmpty();
        // The service user reads the release and configuration below this directory.
        Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rwxr-xr-x"));
        firstRelease = releaseArchive();
        s3 = S3ProxyServer.start();
        cluster = AnsibleCluster.prepare(temporary.resolve("cluster"), s3, firstRelease);
        skopeo = ContainersTool.skopeo(ContainersSandbox.create(temporary.resolve("sandbox")));
    }

    @AfterAll
    void cleanUp() throws Exception {
        try {
            if (cluster != null) {
                cluster.close();
            }
        } finally {
            if (s3 != null) {
                s3.close();
            }
        }
    }

    @Test
    @Order(1)
    void theFirstRunDeploysAClusterThatTakesAPushThroughTheBalancerAndServesItOnEveryNode() throws Exception {
        PlaybookRun run = cluster.runPlaybook("deploy");
        report("first run (deploy)", run);
        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.changedByHost()).as(run.output()).containsOnlyKeys("balancer", "node0", "node1", "node2");

        OciLayoutBuilder layout = OciLayoutBuilder.create(temporary.resolve("layout"));
        image = SampleImages.application(layout, Platform.LINUX_AMD64, 1024 * 1024, 41);
        layout.tag("1", image).write();
        skopeo.succeed("copy", "--dest-tls-verify=false", "--dest-creds", CREDENTIALS, "oci:" + layout.root() + ":1",
                "docker://" + cluster.balancerHostPort() + "/rolling/app:1");
        skopeo.succeed("copy", "--src-tls-verify=false", "docker://" + cluster.balancerHostPort() + "/rolling/app:1",
                "oci:" + temporary.resolve("pulled") + ":1");

        HttpClient http = HttpClient.newHttpClient();
        for (Node node : cluster.nodes()) {
            assertThat(http.send(HttpRequest.newBuilder(node.uri().resolve("/berth/v1/health")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).as(node.name() + " health").isEqualTo(200);
            String token = ContinuousPulls.anonymousToken(node.uri(), "rolling/app");
            HttpResponse<byte[]> manifest = http.send(HttpRequest.newBuilder(node.uri().resolve("/v2/rolling/app/manifests/1"))
                    .header("Authorization", "Bearer " + token)
                    .header("Accept", "application/vnd.oci.image.manifest.v1+json").build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(manifest.statusCode()).as(node.name() + " serves the manifest").isEqualTo(200);
            assertThat(Digest.of(DigestAlgorithm.SHA256, manifest.body())).isEqualTo(image.manifest().digest());
        }
        assertEveryNodeRuns(firstRelease);
    }

    @Test
    @Order(2)
    void aSecondRunWithTheSameInputsChangesNothing() throws Exception {
        PlaybookRun run = cluster.runPlaybook("rerun");
        report("second run (idempotent)", run);
        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.changedByHost()).as(run.output()).containsOnlyKeys("balancer", "node0", "node1", "node2")
                .allSatisfy((host, changed) -> assertThat(changed).as(host + " changed").isZero());
    }

    @Test
    @Order(3)
    void aRollingUpgradeFailsNoPullAndLeavesEveryNodeOnTheNewRelease() throws Exception {
        Path rebuilt = rebuiltRelease(firstRelease);
        cluster.useRelease(rebuilt);
        List<Long> pidsBefore = cluster.nodes().stream().map(node -> AnsibleCluster.pid(node.pidFile()).orElseThrow()).toList();

        PlaybookRun run;
        ContinuousPulls pulls = ContinuousPulls.start(cluster.balancer(), "rolling/app", "1", image.manifest().digest(),
                image.layers().getLast().digest(), 2);
        try {
            Thread.sleep(1000);
            run = cluster.runPlaybook("upgrade");
            Thread.sleep(1000);
        } finally {
            pulls.close();
        }
        report("rolling upgrade", run);
        System.out.printf("AnsiblePlaybookIT: %d pulls (manifest and layer) through HAProxy during the upgrade, %d failed%n",
                pulls.succeeded() + pulls.failures().size(), pulls.failures().size());
        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(pulls.failures()).as("pulls that failed during the rolling upgrade").isEmpty();
        assertThat(pulls.succeeded()).as("pulls went on during the whole upgrade").isGreaterThan(50);
        assertEveryNodeRuns(rebuilt);
        List<Long> pidsAfter = cluster.nodes().stream().map(node -> AnsibleCluster.pid(node.pidFile()).orElseThrow()).toList();
        for (int i = 0; i < pidsBefore.size(); i++) {
            assertThat(pidsAfter.get(i)).as("node%d was restarted", i).isNotEqualTo(pidsBefore.get(i));
        }
        assertThat(run.output()).as("the first node of the run restarts first; it applies the migrations")
                .containsPattern("(?s)Wait until the node answers its health check.*?ok: \\[node0\\].*ok: \\[node1\\].*ok: \\[node2\\]");
    }

    @Test
    @Order(4)
    void theRenderedUnitsPassSystemdAnalyzeVerifyKeepThePackagedHardeningAndTheExportRuns() throws Exception {
        Node exporter = cluster.nodes().getFirst();
        Path unit = exporter.unitDirectory().resolve("berth.service");
        Path exportService = exporter.unitDirectory().resolve("berth-mirror-export.service");
        Path exportTimer = exporter.unitDirectory().resolve("berth-mirror-export.timer");
        ProcessResult verified = AnsibleCluster.run(List.of("systemd-analyze", "verify", unit.toString(), exportService.toString(),
                exportTimer.toString()));
        assertThat(verified.exitCode()).as(verified.output()).isZero();
        assertThat(verified.output()).as("systemd-analyze verify says nothing about the units").isEmpty();
        for (Node other : cluster.nodes().subList(1, cluster.nodes().size())) {
            assertThat(other.unitDirectory().resolve("berth-mirror-export.timer")).as("the export runs on one node only").doesNotExist();
        }

        String rendered = Files.readString(unit);
        List<String> hardening = hardeningOf(Files.readString(PACKAGED_UNIT));
        assertThat(hardening).contains("NoNewPrivileges=yes", "ProtectSystem=strict", "PrivateTmp=yes", "CapabilityBoundingSet=");
        assertThat(rendered.lines().toList()).as("the packaged unit's hardening").containsAll(hardening)
                .contains("User=berth", "UMask=0077", "MemoryMax=512M",
                        "ReadWritePaths=" + exporter.directory().resolve("data"),
                        "ExecStart=" + exporter.currentLink() + "/bin/berth serve --config " + exporter.directory().resolve("etc/berth.yml"));

        List<String> exportCommand = new ArrayList<>(List.of("runuser", "-u", "berth", "--"));
        exportCommand.addAll(Arrays.asList(execStart(Files.readString(exportService)).split(" ")));
        ProcessResult exported = AnsibleCluster.run(exportCommand);
        assertThat(exported.exitCode()).as(exported.output()).isZero();
        assertThat(cluster.mirrorTree().resolve("berth-sync/generation")).content().isEqualTo("1\n");
        Digest layer = image.layers().getLast().digest();
        assertThat(cluster.mirrorTree().resolve("blobs/sha256/" + layer.encoded().substring(0, 2) + "/" + layer.encoded())).exists();
    }

    @Test
    @Order(5)
    void ansibleLintFindsNothingWithTheProductionProfile() throws Exception {
        ProcessBuilder lint = new ProcessBuilder("ansible-lint", "--nocolor", "--profile", "production", "deploy/ansible")
                .redirectErrorStream(true);
        AnsibleCluster.ansibleEnvironment(lint.environment());
        Process process = lint.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(output).isZero();
        System.out.println("AnsiblePlaybookIT: ansible-lint --profile production: " + output.strip().lines().reduce((a, b) -> b).orElse(""));
        assertThat(output).contains("Passed with production profile: 0 failure(s), 0 warning(s)");
    }

    @Test
    @Order(6)
    void everyRoleDefaultIsInTheDeploymentGuidesTables() throws Exception {
        String guide = Files.readString(DEPLOYMENT_GUIDE);
        for (String role : List.of("berth", "berth_balancer")) {
            Map<String, Object> defaults = YAML.readValue(ROLES.resolve(role).resolve("defaults/main.yml").toFile(),
                    new TypeReference<LinkedHashMap<String, Object>>() { });
            assertThat(defaults).isNotEmpty();
            for (String variable : defaults.keySet()) {
                assertThat(guide).as("docs/deployment.md documents %s of the role %s", variable, role)
                        .containsPattern("(?m)^\\| [^|]*`" + variable + "`[^|]*\\| [^|]+ \\|");
            }
        }
    }

    /** Each node's {@code current} link and running process are those of {@code release}. */
    private void assertEveryNodeRuns(Path release) throws Exception {
        String directory = "berth-" + AnsibleCluster.version(release);
        for (Node node : cluster.nodes()) {
            assertThat(Files.readSymbolicLink(node.currentLink()).getFileName().toString()).as(node.name() + " current").isEqualTo(directory);
            long pid = AnsibleCluster.pid(node.pidFile()).orElseThrow();
            String commandLine = Files.readString(Path.of("/proc/" + pid + "/cmdline")).replace('\0', ' ');
            assertThat(commandLine).as(node.name() + " runs the release's jar")
                    .contains(node.installDirectory().resolve("releases").resolve(directory).resolve("berth.jar").toString());
            assertThat(Files.readString(Path.of("/proc/" + pid + "/status"))).as(node.name() + " runs as the service user")
                    .containsPattern("(?m)^Uid:\\s+" + uid("berth") + "\\s");
        }
    }

    /** The lines of a unit's hardening: from {@code NoNewPrivileges=} to the {@code [Install]} section, but the paths. */
    private static List<String> hardeningOf(String unit) {
        List<String> lines = unit.lines().toList();
        int start = lines.indexOf("NoNewPrivileges=yes");
        int end = lines.indexOf("[Install]");
        assertThat(start).as("the packaged unit's hardening starts with NoNewPrivileges=yes").isPositive();
        return lines.subList(start, end).stream().filter(line -> !line.isBlank() && !line.startsWith("ReadWritePaths=")).toList();
    }

    private static String execStart(String unit) {
        return unit.lines().filter(line -> line.startsWith("ExecStart=")).findFirst().orElseThrow().substring("ExecStart=".length());
    }

    private static String uid(String user) throws Exception {
        return AnsibleCluster.run(List.of("id", "-u", user)).output().strip();
    }

    /** {@code scripts/release-archive --no-build}'s archive, copied into the test's directory. */
    private static Path releaseArchive() throws Exception {
        ProcessResult built = AnsibleCluster.run(List.of("scripts/release-archive", "--no-build"));
        assertThat(built.exitCode()).as(built.output()).isZero();
        Path archive = Path.of(built.output().strip().lines().reduce((a, b) -> b).orElseThrow());
        Path copy = temporary.resolve(archive.getFileName());
        Files.copy(archive, copy);
        return copy;
    }

    /**
     * The same release under another version, {@code VERSION-rebuilt}, with one file more: what the
     * role sees as a new release.
     */
    private static Path rebuiltRelease(Path release) throws Exception {
        String version = AnsibleCluster.version(release);
        String rebuilt = "berth-" + version + "-rebuilt";
        Path work = Files.createDirectories(temporary.resolve("rebuild"));
        ProcessResult unpacked = AnsibleCluster.run(List.of("tar", "-C", work.toString(), "-xzf", release.toString()));
        assertThat(unpacked.exitCode()).as(unpacked.output()).isZero();
        Files.move(work.resolve("berth-" + version), work.resolve(rebuilt));
        Files.writeString(work.resolve(rebuilt).resolve("REBUILT"), "rebuilt from " + version + " for the rolling upgrade\n");
        Path archive = temporary.resolve(rebuilt + ".tar.gz");
        ProcessResult packed = AnsibleCluster.run(List.of("tar", "-C", work.toString(), "--owner=0", "--group=0",
                "--use-compress-program=gzip -1", "-cf", archive.toString(), rebuilt));
        assertThat(packed.exitCode()).as(packed.output()).isZero();
        return archive;
    }

    /** Prints the run's output (with each task's duration) and a line of figures to the test's report. */
    private static void report(String what, PlaybookRun run) {
        System.out.println(run.output());
        System.out.printf("AnsiblePlaybookIT: %s took %.1f s, changed per host %s%n", what, run.elapsed().toMillis() / 1000.0,
                run.changedByHost());
    }

    private static boolean onPath(String tool) {
        String path = System.getenv().getOrDefault("PATH", "") + File.pathSeparator + "/usr/sbin" + File.pathSeparator + "/sbin";
        return Stream.of(path.split(File.pathSeparator)).filter(entry -> !entry.isEmpty())
                .anyMatch(entry -> Files.isExecutable(Path.of(entry, tool)));
    }
}
