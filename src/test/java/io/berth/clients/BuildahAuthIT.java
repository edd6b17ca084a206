package io.berth.clients;

import static io.berth.clients.ContainersTool.oci;
import static org.assertj.core.api.Assertions.assertThat;

import io.berth.oci.Digest;
import io.berth.testing.OciImage;
import io.berth.testing.OciLayoutBuilder;
import io.berth.testing.RegistryHttp;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * buildah against Berth running {@code examples/locked-down.yml}, with {@code --creds} per
 * command: the build robot pushes a committed image to {@code candidate/…}, release engineering
 * pulls it back, and release engineering's push outside {@code candidate/**} is denied.
 */
@Tag("clients")
class BuildahAuthIT {
    @TempDir
    static Path berthDirectory;
    private static LockedDownBerth berth;

    @TempDir
    Path temporary;
    private ContainersTool buildah;

    @BeforeAll
    static void startBerth() {
        berth = LockedDownBerth.start(berthDirectory);
    }

    @AfterAll
    static void stopBerth() throws InterruptedException {
        berth.close();
    }

    @BeforeEach
    void createSandbox() {
        buildah = ContainersTool.buildah(ContainersSandbox.create(temporary.resolve("sandbox")));
    }

    @Test
    void buildRobotPushesACommitToCandidateAndRelengPullsIt() throws IOException {
        String name = commitSampleImage("candidate/buildah-app:1");
        Path digestFile = temporary.resolve("pushed-digest");

        buildah.succeed("push", "--tls-verify=false", "--creds", berth.buildRobot().colonSeparated(),
                "--digestfile", digestFile.toString(), name);

        Digest pushed = Digest.parse(Files.readString(digestFile).strip());
        HttpResponse<byte[]> served = berth.get(LockedDownBerth.RELENG, "/v2/candidate/buildah-app/manifests/1");
        assertThat(served.statusCode()).isEqualTo(200);
        assertThat(served.headers().firstValue("Docker-Content-Digest")).hasValue(pushed.toString());
        buildah.succeed("rmi", "--all", "--force");

        ToolRun anonymous = buildah.run("pull", "--quiet", "--tls-verify=false", name);
        String pulledId = buildah.succeed("pull", "--quiet", "--tls-verify=false",
                "--creds", LockedDownBerth.RELENG.colonSeparated(), name).stdout().strip();

        assertThat(anonymous.succeeded()).as(anonymous.transcript()).isFalse();
        assertThat(anonymous.stderr()).as(anonymous.transcript())
                .contains("access to repository:candidate/buildah-app:pull requires authentication");
        assertThat("sha256:" + pulledId).as("buildah's image ID is the config digest")
                .isEqualTo(RegistryHttp.json(served).path("config").path("digest").asText());
    }

    @Test
    void relengPushOutsideCandidateIsDenied() {
        String name = commitSampleImage("fedora/buildah-app:1");

        ToolRun push = buildah.run("push", "--tls-verify=false", "--creds", LockedDownBerth.RELENG.colonSeparated(), name);

        assertThat(push.succeeded()).as(push.transcript()).isFalse();
        assertThat(push.stderr()).as(push.transcript()).contains("denied: requested access to the resource is denied");
        berth.assertLogged("POST", "/v2/fedora/buildah-app/blobs/uploads/", 403);
        assertThat(berth.get(LockedDownBerth.ADMIN, "/v2/fedora/buildah-app/manifests/1").statusCode()).isEqualTo(404);
    }

    /**
     * Makes a working container from the sample image, labels it, and commits it locally as
     * {@code HOST:PORT/repositoryAndTag}.
     *
     * @return the committed image's name
     */
    private String commitSampleImage(String repositoryAndTag) {
        OciLayoutBuilder builder = OciLayoutBuilder.create(temporary.resolve("base"));
        OciImage base = SampleImages.application(builder);
        builder.tag("1", base).write();
        String container = buildah.succeed("from", "--quiet", oci(temporary.resolve("base"), "1")).stdout().strip();
        buildah.succeed("config", "--label", "io.berth.test.built-with=buildah", container);
        String name = berth.hostPort() + "/" + repositoryAndTag;
        buildah.succeed("commit", "--quiet", "--format", "oci", container, name);
        return name;
    }
}
