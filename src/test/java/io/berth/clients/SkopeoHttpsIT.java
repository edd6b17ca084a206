package io.berth.clients;

import static io.berth.clients.ContainersTool.docker;
import static io.berth.clients.ContainersTool.oci;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.config.TlsConfig;
import io.berth.oci.Digest;
import io.berth.testing.OciImage;
import io.berth.testing.OciLayout;
import io.berth.testing.OciLayoutBuilder;
import io.berth.testing.TestCertificates;
import io.berth.testing.TestCertificates.KeyType;
import io.berth.testing.TestRegistry;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * skopeo (containers/image, Go's TLS client) against Berth over HTTPS with certificate
 * verification on: the test authority is handed to skopeo the documented way, as {@code ca.crt}
 * in a {@code --cert-dir} (containers-certs.d(5)).
 */
@Tag("clients")
class SkopeoHttpsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestCertificates authority;
    private static TestRegistry registry;

    @TempDir
    static Path tlsFiles;
    @TempDir
    Path temporary;
    private ContainersTool skopeo;
    private Path certificateDirectory;

    @BeforeAll
    static void startRegistryOverHttps() {
        authority = TestCertificates.newAuthority();
        Path certificateFile = tlsFiles.resolve("tls.crt");
        Path keyFile = tlsFiles.resolve("tls.key");
        authority.issueServerCertificate(KeyType.EC).write(certificateFile, keyFile);
        registry = TestRegistry.start(config -> config.withTls(
                new TlsConfig(certificateFile.toString(), keyFile.toString(), null)));
    }

    @AfterAll
    static void stopRegistry() {
        registry.close();
    }

    @BeforeEach
    void createSandboxAndCertificateDirectory() {
        skopeo = ContainersTool.skopeo(ContainersSandbox.create(temporary.resolve("sandbox")));
        certificateDirectory = temporary.resolve("certs.d").resolve(registry.hostPort());
        authority.writeAuthority(certificateDirectory.resolve("ca.crt"));
    }

    @Test
    void copyIntoBerthAndInspectWithTheAuthorityInACertDirectory() throws IOException {
        OciLayoutBuilder builder = OciLayoutBuilder.create(temporary.resolve("source"));
        OciImage image = SampleImages.application(builder);
        OciLayout source = builder.tag("1", image).write();

        skopeo.succeed("copy", "--dest-cert-dir", certificateDirectory.toString(),
                oci(source.root(), "1"), docker(registry, "https/app:1"));
        ToolRun inspect = skopeo.succeed("inspect", "--cert-dir", certificateDirectory.toString(),
                docker(registry, "https/app:1"));

        JsonNode report = JSON.readTree(inspect.stdout());
        assertThat(report.path("Digest").asText()).as(inspect.transcript()).isEqualTo(image.manifest().digest().toString());
        assertThat(report.path("Layers").size()).isEqualTo(image.layers().size());
        assertThat(report.path("Layers").get(0).asText()).isEqualTo(image.layerDigests().getFirst().toString());

        Path copy = temporary.resolve("copy");
        skopeo.succeed("copy", "--src-cert-dir", certificateDirectory.toString(),
                docker(registry, "https/app:1"), oci(copy, "1"));
        OciLayout pulled = OciLayout.open(copy);
        assertThat(pulled.requireTagged("1").digest()).isEqualTo(image.manifest().digest());
        assertThat(pulled.blobs().keySet()).containsExactlyInAnyOrderElementsOf(image.blobs());
        for (Digest layer : image.layerDigests()) {
            assertThat(pulled.blob(layer)).isEqualTo(source.blob(layer));
        }
    }

    @Test
    void withoutTheAuthoritySkopeoRefusesTheCertificate() {
        ToolRun inspect = skopeo.run("inspect", "--raw", docker(registry, "https/absent:1"));

        assertThat(inspect.exitCode()).as(inspect.transcript()).isNotZero();
        assertThat(inspect.stderr()).as(inspect.transcript()).contains("x509");
    }

    @Test
    void tlsVerifyFalseStillSpeaksHttps() throws IOException {
        OciLayoutBuilder builder = OciLayoutBuilder.create(temporary.resolve("source"));
        OciImage image = SampleImages.application(builder);
        OciLayout source = builder.tag("1", image).write();
        skopeo.succeed("copy", "--dest-cert-dir", certificateDirectory.toString(),
                oci(source.root(), "1"), docker(registry, "https/unverified:1"));

        ToolRun inspect = skopeo.succeed("inspect", "--tls-verify=false", docker(registry, "https/unverified:1"));

        assertThat(JSON.readTree(inspect.stdout()).path("Digest").asText()).isEqualTo(image.manifest().digest().toString());
    }
}
