package io.berth.clients;

import static io.berth.clients.ContainersTool.oci;
import static org.assertj.core.api.Assertions.assertThat;

import io.berth.clients.LockedDownBerth.Credentials;
import io.berth.oci.Digest;
import io.berth.testing.OciImage;
import io.berth.testing.OciLayout;
import io.berth.testing.OciLayoutBuilder;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * podman against Berth running {@code examples/locked-down.yml}: {@code podman login} and
 * {@code logout} with an {@code --authfile}, pushes and pulls under the example's policy, refused
 * anonymous pulls and pushes, wrong passwords, login throttling, and a catalog filtered by what the
 * caller may pull. podman follows the Bearer challenge to {@code /auth/token} with the stored Basic
 * credentials (GET), so every case here also exercises the token endpoint.
 */
@Tag("clients")
class PodmanAuthIT {
    @TempDir
    static Path berthDirectory;
    private static LockedDownBerth berth;

    @TempDir
    Path temporary;
    private ContainersTool podman;
    private ContainersTool skopeo;
    private Path authFile;

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
        ContainersSandbox sandbox = ContainersSandbox.create(temporary.resolve("sandbox"));
        podman = ContainersTool.podman(sandbox);
        skopeo = ContainersTool.skopeo(sandbox);
        authFile = temporary.resolve("podman-auth.json");
    }

    @Test
    void buildRobotLogsInPushesToCandidateAndLogsOut() throws IOException {
        OciImage image = loadSampleImage();
        String name = berth.hostPort() + "/candidate/podman-login:1";
        podman.succeed("tag", image.config().digest().encoded(), name);
        Credentials robot = berth.buildRobot();

        ToolRun login = login(robot).assertSucceeded();

        assertThat(login.stdout()).as(login.transcript()).contains("Login Succeeded");
        assertThat(podman.succeed("login", "--get-login", "--authfile", authFile.toString(), berth.hostPort()).stdout().strip())
                .isEqualTo("robot$osbs");
        Path digestFile = temporary.resolve("pushed-digest");
        podman.succeed("push", "--tls-verify=false", "--authfile", authFile.toString(),
                "--digestfile", digestFile.toString(), name);
        Digest pushed = Digest.parse(Files.readString(digestFile).strip());
        HttpResponse<byte[]> served = berth.get(LockedDownBerth.RELENG, "/v2/candidate/podman-login/manifests/1");
        assertThat(served.statusCode()).isEqualTo(200);
        assertThat(served.headers().firstValue("Docker-Content-Digest")).hasValue(pushed.toString());

        podman.succeed("logout", "--authfile", authFile.toString(), berth.hostPort());

        assertThat(podman.run("login", "--get-login", "--authfile", authFile.toString(), berth.hostPort()).succeeded())
                .as("no login is stored after logout").isFalse();
        ToolRun anonymousPush = podman.run("push", "--tls-verify=false", "--authfile", authFile.toString(), name);
        assertThat(anonymousPush.succeeded()).as(anonymousPush.transcript()).isFalse();
        assertThat(anonymousPush.stderr()).as(anonymousPush.transcript()).contains("denied");
        berth.assertLogged("HEAD", "/v2/candidate/podman-login/blobs/", 401);
    }

    @Test
    void anonymousPullOfACandidateIsRefused() {
        pushAsBuildRobot("candidate/podman-private:1");

        ToolRun pull = podman.run("pull", "--quiet", "--tls-verify=false", berth.hostPort() + "/candidate/podman-private:1");

        assertThat(pull.succeeded()).as(pull.transcript()).isFalse();
        assertThat(pull.stderr()).as(pull.transcript())
                .contains("access to repository:candidate/podman-private:pull requires authentication");
        berth.assertLogged("GET", "/v2/candidate/podman-private/manifests/1", 401);
        assertThat(podman.succeed("images", "--quiet").stdout()).isBlank();
    }

    @Test
    void relengLogsInAndPullsACandidate() {
        OciImage image = pushAsBuildRobot("candidate/podman-pull:1");
        login(LockedDownBerth.RELENG).assertSucceeded();

        String pulledId = podman.succeed("pull", "--quiet", "--tls-verify=false", "--authfile", authFile.toString(),
                berth.hostPort() + "/candidate/podman-pull:1").stdout().strip();

        assertThat(pulledId).isEqualTo(image.config().digest().encoded());
    }

    @Test
    void relengPushOutsideCandidateIsDenied() {
        OciImage image = loadSampleImage();
        String name = berth.hostPort() + "/fedora/x:1";
        podman.succeed("tag", image.config().digest().encoded(), name);
        login(LockedDownBerth.RELENG).assertSucceeded();

        ToolRun push = podman.run("push", "--tls-verify=false", "--authfile", authFile.toString(), name);

        assertThat(push.succeeded()).as(push.transcript()).isFalse();
        assertThat(push.stderr()).as(push.transcript()).contains("denied: requested access to the resource is denied");
        berth.assertLogged("POST", "/v2/fedora/x/blobs/uploads/", 403);
        assertThat(berth.get(LockedDownBerth.ADMIN, "/v2/fedora/x/manifests/1").statusCode()).isEqualTo(404);
    }

    @Test
    void loginWithAWrongPasswordFailsAndStoresNothing() throws IOException {
        ToolRun login = login(LockedDownBerth.RELENG.withPassword("not-the-password"));

        assertThat(login.succeeded()).as(login.transcript()).isFalse();
        assertThat(login.stderr()).as(login.transcript()).contains("invalid username/password");
        berth.assertLogged("GET", "/auth/token?account=releng", 401);
        assertThat(!Files.exists(authFile) || !Files.readString(authFile).contains(berth.hostPort()))
                .as("the auth file holds no entry for Berth").isTrue();
    }

    @Test
    void fiveFailedLoginsOnlySlowTheRightSecretDown() {
        Credentials robot = berth.createRobot("podman-slowed");
        for (int attempt = 1; attempt <= 5; attempt++) {
            ToolRun wrong = login(robot.withPassword("wrong-secret-" + attempt));
            assertThat(wrong.stderr()).as(wrong.transcript()).contains("invalid username/password");
        }

        ToolRun right = login(robot);

        assertThat(right.succeeded()).as(right.transcript()).isTrue();
        berth.assertLogged("GET", "/auth/token?account=robot%24podman-slowed", 200);
    }

    @Test
    void searchListsOnlyTheRepositoriesTheCallerMayPull() {
        pushAsBuildRobot("candidate/podman-search:1");
        copyIntoBerth(LockedDownBerth.ADMIN, "fedora/podman-search:1");
        String term = berth.hostPort() + "/podman-search";

        ToolRun anonymous = podman.succeed("search", "--tls-verify=false", "--format", "{{.Name}}", term);
        login(LockedDownBerth.RELENG).assertSucceeded();
        ToolRun releng = podman.succeed("search", "--tls-verify=false", "--authfile", authFile.toString(),
                "--format", "{{.Name}}", term);

        assertThat(lines(anonymous.stdout())).as(anonymous.transcript())
                .contains(berth.hostPort() + "/fedora/podman-search")
                .doesNotContain(berth.hostPort() + "/candidate/podman-search");
        assertThat(lines(releng.stdout())).as(releng.transcript())
                .contains(berth.hostPort() + "/fedora/podman-search", berth.hostPort() + "/candidate/podman-search");
    }

    private ToolRun login(Credentials credentials) {
        return podman.run("login", "--tls-verify=false", "--authfile", authFile.toString(),
                "--username", credentials.username(), "--password", credentials.password(), berth.hostPort());
    }

    /** Writes the sample image into an OCI layout and loads it into podman's store; its ID is the config digest. */
    private OciImage loadSampleImage() {
        OciLayoutBuilder builder = OciLayoutBuilder.create(temporary.resolve("source"));
        OciImage image = SampleImages.application(builder);
        OciLayout layout = builder.tag("1", image).write();
        podman.succeed("pull", "--quiet", oci(layout.root(), "1"));
        return image;
    }

    private OciImage pushAsBuildRobot(String repositoryAndTag) {
        return copyIntoBerth(berth.buildRobot(), repositoryAndTag);
    }

    /** Copies the sample image into Berth with skopeo, as {@code credentials}. */
    private OciImage copyIntoBerth(Credentials credentials, String repositoryAndTag) {
        OciLayoutBuilder builder = OciLayoutBuilder.create(temporary.resolve("copy-source-" + repositoryAndTag.replaceAll("[/:]", "-")));
        OciImage image = SampleImages.application(builder);
        OciLayout layout = builder.tag("1", image).write();
        skopeo.succeed("copy", "--dest-tls-verify=false", "--dest-creds", credentials.colonSeparated(),
                oci(layout.root(), "1"), berth.docker(repositoryAndTag));
        return image;
    }

    private static List<String> lines(String output) {
        return Arrays.stream(output.split("\n")).map(String::strip).filter(line -> !line.isEmpty()).toList();
    }
}
