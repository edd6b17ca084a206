package io.berth.clients;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.oci.Digest;
import io.berth.oci.DigestAlgorithm;
import io.berth.oci.MediaTypes;
import io.berth.testing.BerthProcess;
import io.berth.testing.LoopbackPorts;
import io.berth.testing.ManifestJson;
import io.berth.testing.OciLayout;
import io.berth.testing.OciLayoutBuilder;
import io.berth.testing.RegistryHttp;
import io.berth.testing.TestBlob;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Promotion end to end with real processes and clients: skopeo pushes a multi-platform index into
 * {@code candidate/app} of a Berth process; a signature referrer is attached; {@code berth promote}
 * makes it {@code app:1.0} in the same Berth (no blob copied), then in a second Berth and in CNCF
 * Distribution ({@code docker-registry}) over their APIs; skopeo finds the same digest everywhere.
 */
@Tag("clients")
class PromotionIT {
    private static final String SIGNATURE = "application/vnd.example.signature.v1+json";

    @TempDir
    Path temporary;

    private Path config;
    private BerthProcess candidates;
    private BerthProcess stable;
    private Process distribution;
    private int distributionPort;
    private ContainersTool skopeo;

    @BeforeEach
    void start() throws Exception {
        config = temporary.resolve("berth.yml");
        Files.writeString(config, """
                data-dir: %s
                promotion:
                  namespaces:
                    - from: "candidate/*"
                      to: "*"
                  gates:
                    - repositories: "**"
                      required-referrers:
                        - artifact-type: %s
                """.formatted(temporary.resolve("candidates-data"), SIGNATURE));
        candidates = BerthProcess.startWithConfig(config, List.of("-Xmx256m"));
        stable = BerthProcess.start(temporary.resolve("stable-data"), List.of("-Xmx256m"));
        distributionPort = LoopbackPorts.free();
        Path distributionConfig = temporary.resolve("distribution.yml");
        Files.writeString(distributionConfig, """
                version: 0.1
                log:
                  level: error
                storage:
                  filesystem:
                    rootdirectory: %s
                http:
                  addr: 127.0.0.1:%d
                """.formatted(temporary.resolve("distribution-data"), distributionPort));
        distribution = new ProcessBuilder("docker-registry", "serve", distributionConfig.toString())
                .redirectErrorStream(true).redirectOutput(temporary.resolve("distribution.log").toFile()).start();
        LoopbackPorts.awaitListening(distributionPort, "docker-registry");
        skopeo = ContainersTool.skopeo(ContainersSandbox.create(temporary.resolve("sandbox")));
    }

    @AfterEach
    void stop() throws Exception {
        if (distribution != null) {
            distribution.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        for (BerthProcess berth : new BerthProcess[]{candidates, stable}) {
            if (berth != null) {
                berth.close();
            }
        }
    }

    @Test
    void aSignedMultiPlatformIndexIsPromotedInsideBerthAndToOtherRegistriesWithIdenticalDigests() throws Exception {
        OciLayoutBuilder builder = OciLayoutBuilder.create(temporary.resolve("layout"));
        OciLayout layout = builder.tag("1.0", SampleImages.multiPlatform(builder)).write();
        String candidate = "docker://127.0.0.1:" + port(candidates) + "/candidate/app:1.0";
        skopeo.succeed("copy", "--all", "--dest-tls-verify=false", "oci:" + layout.root() + ":1.0", candidate);
        String digest = manifestDigest(candidate);
        String unsigned = berthFails("promote", "candidate/app:1.0", "app:0.9", "--config", config.toString());
        assertThat(unsigned).contains("FAIL").contains("no referrer of type");
        Digest signature = sign(candidates.http(), "candidate/app", Digest.parse(digest));
        long blobFiles = blobFiles(temporary.resolve("candidates-data"));
        String promoted = berth("promote", "candidate/app:1.0", "app:1.0", "--config", config.toString());
        assertThat(promoted).contains(" promoted ");

        String local = "docker://127.0.0.1:" + port(candidates) + "/app:1.0";
        assertThat(manifestDigest(local)).isEqualTo(digest);
        skopeo.succeed("copy", "--all", "--src-tls-verify=false", local, "oci:" + temporary.resolve("pulled") + ":1.0");
        JsonNode referrers = RegistryHttp.json(candidates.http().get("/v2/app/referrers/" + digest));
        assertThat(referrers.path("manifests")).extracting(node -> node.path("digest").asText()).containsExactly(signature.toString());
        assertThat(blobFiles(temporary.resolve("candidates-data"))).as("no blob copied inside Berth").isEqualTo(blobFiles);

        for (int port : new int[]{port(stable), distributionPort}) {
            String url = "http://127.0.0.1:" + port;
            assertThat(berth("promote", "candidate/app:1.0", "app:1.0", "--to", url, "--config", config.toString()))
                    .contains(" promoted ");
            String remote = "docker://127.0.0.1:" + port + "/app:1.0";
            assertThat(manifestDigest(remote)).isEqualTo(digest);
            skopeo.succeed("copy", "--all", "--src-tls-verify=false", remote, "oci:" + temporary.resolve("from-" + port) + ":1.0");
            RegistryHttp other = new RegistryHttp(java.net.URI.create(url + "/"));
            assertThat(other.send(other.request("/v2/app/manifests/" + signature).header("Accept", MediaTypes.OCI_MANIFEST)
                    .GET().build()).statusCode()).as("the signature came along to %s", url).isEqualTo(200);

            assertThat(berth("promote", "candidate/app:1.0", "app:1.0", "--to", url, "--config", config.toString()))
                    .as("everything is there already").contains(" unchanged ");
        }
        Thread.sleep(500);
        long uploadsBefore = uploads(stable.output());
        assertThat(uploadsBefore).as("the first promotion uploaded the blobs").isPositive();
        assertThat(berth("promote", "candidate/app:1.0", "app:1.0.1", "--to", "http://127.0.0.1:" + port(stable),
                "--config", config.toString())).contains(" promoted ");
        Thread.sleep(500); // the access log is written in batches at least every 200 ms
        assertThat(uploads(stable.output())).as("a new tag of the same image uploads no blob").isEqualTo(uploadsBefore);
        assertThat(berth("promotions", "--config", config.toString())).contains("127.0.0.1:" + distributionPort + "/app");
    }

    private static long uploads(String accessLog) {
        return Pattern.compile("(?m) POST /v2/app/blobs/uploads/").matcher(accessLog).results().count();
    }

    private static Digest sign(RegistryHttp http, String repository, Digest subject) {
        TestBlob empty = TestBlob.of("{}");
        http.pushBlob(repository, empty.content());
        TestBlob payload = TestBlob.of("signed " + subject);
        http.pushBlob(repository, payload.content());
        ManifestJson signature = ManifestJson.ociImage(empty, payload).configMediaType("application/vnd.oci.empty.v1+json")
                .artifactType(SIGNATURE);
        byte[] index = http.get("/v2/" + repository + "/manifests/" + subject).body();
        signature.root().set("subject", ManifestJson.descriptor(MediaTypes.OCI_INDEX, subject, index.length));
        TestBlob manifest = signature.build();
        return http.pushManifest(repository, manifest.digest().toString(), MediaTypes.OCI_MANIFEST, manifest.content());
    }

    private String berth(String... arguments) throws Exception {
        BerthProcess.Run run = BerthProcess.run(arguments);
        assertThat(run.exitCode()).as("berth %s:%n%s", String.join(" ", arguments), run.output()).isZero();
        return run.output();
    }

    private String berthFails(String... arguments) throws Exception {
        BerthProcess.Run run = BerthProcess.run(arguments);
        assertThat(run.exitCode()).as("berth %s:%n%s", String.join(" ", arguments), run.output()).isNotZero();
        return run.output();
    }

    private String manifestDigest(String reference) {
        String raw = skopeo.succeed("inspect", "--tls-verify=false", "--raw", reference).stdout();
        return Digest.of(DigestAlgorithm.SHA256, raw.getBytes(StandardCharsets.UTF_8)).toString();
    }

    private static int port(BerthProcess berth) {
        return berth.uri().getPort();
    }

    private static long blobFiles(Path dataDir) throws IOException {
        try (Stream<Path> files = Files.walk(dataDir.resolve("blobs"))) {
            return files.filter(Files::isRegularFile).count();
        }
    }
}
