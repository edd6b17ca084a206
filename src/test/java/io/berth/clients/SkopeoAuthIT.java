package io.berth.clients;

import static io.berth.clients.ContainersTool.oci;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.clients.LockedDownBerth.Credentials;
import io.berth.testing.OciImage;
import io.berth.testing.OciLayout;
import io.berth.testing.OciLayoutBuilder;
import io.berth.testing.RegistryHttp;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * skopeo against Berth running {@code examples/locked-down.yml}, with credentials given per
 * command ({@code --creds}, {@code --src-creds}, {@code --dest-creds}), not stored: the build
 * robot pushes candidates, release engineering copies them out, anonymous callers read public
 * repositories only, admin promotes by a cross-repository copy and deletes, and a revoked robot
 * stops working at once, its logins and its refresh tokens alike. An identity token in the auth
 * file makes skopeo use the OAuth2 form ({@code POST /auth/token}, grant {@code refresh_token}).
 */
@Tag("clients")
class SkopeoAuthIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path berthDirectory;
    private static LockedDownBerth berth;

    @TempDir
    Path temporary;
    private ContainersTool skopeo;

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
        skopeo = ContainersTool.skopeo(ContainersSandbox.create(temporary.resolve("sandbox")));
    }

    @Test
    void buildRobotCopiesALayoutIntoCandidateAndRelengCopiesItBackOut() {
        Sample source = sample();
        Path copyDirectory = temporary.resolve("copy");

        skopeo.succeed("copy", "--dest-tls-verify=false", "--dest-creds", berth.buildRobot().colonSeparated(),
                source.reference(), berth.docker("candidate/skopeo-app:1"));
        skopeo.succeed("copy", "--src-tls-verify=false", "--src-creds", LockedDownBerth.RELENG.colonSeparated(),
                berth.docker("candidate/skopeo-app:1"), oci(copyDirectory, "1"));

        OciLayout copy = OciLayout.open(copyDirectory);
        assertThat(copy.requireTagged("1")).isEqualTo(source.layout().requireTagged("1"));
        assertThat(copy.blobs().keySet()).containsExactlyInAnyOrderElementsOf(source.image().blobs());
        berth.assertLogged("PUT", "/v2/candidate/skopeo-app/manifests/1", 201);
    }

    @Test
    void buildRobotPushOutsideCandidateIsDenied() {
        Sample source = sample();

        ToolRun copy = skopeo.run("copy", "--dest-tls-verify=false", "--dest-creds", berth.buildRobot().colonSeparated(),
                source.reference(), berth.docker("fedora/skopeo-app:1"));

        assertThat(copy.succeeded()).as(copy.transcript()).isFalse();
        assertThat(copy.stderr()).as(copy.transcript()).contains("denied: requested access to the resource is denied");
        berth.assertLogged("POST", "/v2/fedora/skopeo-app/blobs/uploads/", 403);
        assertThat(berth.get(LockedDownBerth.ADMIN, "/v2/fedora/skopeo-app/tags/list").statusCode()).isEqualTo(404);
    }

    @Test
    void anonymousInspectOfAPublicRepositoryNeedsNoCredentials() throws IOException {
        Sample source = sample();
        skopeo.succeed("copy", "--dest-tls-verify=false", "--dest-creds", LockedDownBerth.ADMIN.colonSeparated(),
                source.reference(), berth.docker("fedora/skopeo-public:1"));

        ToolRun inspect = skopeo.succeed("inspect", "--tls-verify=false", "--no-creds", berth.docker("fedora/skopeo-public:1"));
        ToolRun tags = skopeo.succeed("list-tags", "--tls-verify=false", "--no-creds", berth.docker("fedora/skopeo-public"));

        JsonNode report = JSON.readTree(inspect.stdout());
        assertThat(report.path("Digest").asText()).isEqualTo(source.digest());
        assertThat(report.path("Labels").path(SampleImages.TITLE_LABEL).asText()).isEqualTo(SampleImages.TITLE);
        assertThat(JSON.readTree(tags.stdout()).path("Tags").get(0).asText()).isEqualTo("1");
    }

    @Test
    void anonymousInspectOfACandidateIsRefused() {
        Sample source = sample();
        skopeo.succeed("copy", "--dest-tls-verify=false", "--dest-creds", berth.buildRobot().colonSeparated(),
                source.reference(), berth.docker("candidate/skopeo-private:1"));

        ToolRun inspect = skopeo.run("inspect", "--tls-verify=false", "--no-creds", berth.docker("candidate/skopeo-private:1"));
        ToolRun tags = skopeo.run("list-tags", "--tls-verify=false", "--no-creds", berth.docker("candidate/skopeo-private"));

        assertThat(inspect.succeeded()).as(inspect.transcript()).isFalse();
        assertThat(inspect.stderr()).as(inspect.transcript())
                .contains("access to repository:candidate/skopeo-private:pull requires authentication");
        assertThat(tags.succeeded()).as(tags.transcript()).isFalse();
        berth.assertLogged("GET", "/v2/candidate/skopeo-private/manifests/1", 401);
        berth.assertLogged("GET", "/v2/candidate/skopeo-private/tags/list", 401);
        assertThat(skopeo.succeed("inspect", "--tls-verify=false", "--creds", LockedDownBerth.RELENG.colonSeparated(),
                berth.docker("candidate/skopeo-private:1")).stdout()).contains(source.digest());
    }

    @Test
    void aWrongPasswordIsRefusedEvenWhereAnonymousCallersMayPull() {
        Sample source = sample();
        skopeo.succeed("copy", "--dest-tls-verify=false", "--dest-creds", LockedDownBerth.ADMIN.colonSeparated(),
                source.reference(), berth.docker("fedora/skopeo-wrong:1"));

        ToolRun inspect = skopeo.run("inspect", "--tls-verify=false",
                "--creds", LockedDownBerth.RELENG.withPassword("not-the-password").colonSeparated(),
                berth.docker("fedora/skopeo-wrong:1"));

        assertThat(inspect.succeeded()).as(inspect.transcript()).isFalse();
        assertThat(inspect.stderr()).as(inspect.transcript()).contains("invalid username/password");
        berth.assertLogged("GET", "/auth/token?account=releng", 401);
    }

    @Test
    void adminPromotesACandidateByCopyingItAcrossRepositoriesWithMounts() throws IOException {
        Sample source = sample();
        skopeo.succeed("copy", "--dest-tls-verify=false", "--dest-creds", berth.buildRobot().colonSeparated(),
                source.reference(), berth.docker("candidate/skopeo-promote:1"));

        skopeo.succeed("copy", "--src-tls-verify=false", "--dest-tls-verify=false",
                "--src-creds", LockedDownBerth.ADMIN.colonSeparated(), "--dest-creds", LockedDownBerth.ADMIN.colonSeparated(),
                berth.docker("candidate/skopeo-promote:1"), berth.docker("fedora/skopeo-promote:1"));

        berth.assertLogged("POST", "/v2/fedora/skopeo-promote/blobs/uploads/?from=candidate%2Fskopeo-promote&mount=", 201);
        HttpResponse<byte[]> promoted = berth.getAnonymously("/v2/fedora/skopeo-promote/manifests/1");
        assertThat(promoted.statusCode()).isEqualTo(200);
        assertThat(promoted.headers().firstValue("Docker-Content-Digest")).hasValue(source.digest());
        for (String layer : RegistryHttp.json(promoted).path("layers").findValuesAsText("digest")) {
            assertThat(berth.getAnonymously("/v2/fedora/skopeo-promote/blobs/" + layer).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void onlyAdminMayDelete() {
        Sample source = sample();
        skopeo.succeed("copy", "--dest-tls-verify=false", "--dest-creds", berth.buildRobot().colonSeparated(),
                source.reference(), berth.docker("candidate/skopeo-delete:1"));
        String digest = source.digest();

        ToolRun byRobot = skopeo.run("delete", "--tls-verify=false", "--creds", berth.buildRobot().colonSeparated(),
                berth.docker("candidate/skopeo-delete@" + digest));
        ToolRun byReleng = skopeo.run("delete", "--tls-verify=false", "--creds", LockedDownBerth.RELENG.colonSeparated(),
                berth.docker("candidate/skopeo-delete@" + digest));

        assertThat(byRobot.succeeded()).as(byRobot.transcript()).isFalse();
        assertThat(byRobot.stderr()).as(byRobot.transcript()).contains("denied");
        assertThat(byReleng.succeeded()).as(byReleng.transcript()).isFalse();
        berth.assertLogged("DELETE", "/v2/candidate/skopeo-delete/manifests/" + digest, 403);
        assertThat(berth.get(LockedDownBerth.RELENG, "/v2/candidate/skopeo-delete/manifests/1").statusCode()).isEqualTo(200);

        skopeo.succeed("delete", "--tls-verify=false", "--creds", LockedDownBerth.ADMIN.colonSeparated(),
                berth.docker("candidate/skopeo-delete@" + digest));

        berth.assertLogged("DELETE", "/v2/candidate/skopeo-delete/manifests/" + digest, 202);
        assertThat(berth.get(LockedDownBerth.RELENG, "/v2/candidate/skopeo-delete/manifests/1").statusCode()).isEqualTo(404);
    }

    @Test
    void aRevokedRobotIsRefusedAtOnce() {
        Sample source = sample();
        skopeo.succeed("copy", "--dest-tls-verify=false", "--dest-creds", LockedDownBerth.ADMIN.colonSeparated(),
                source.reference(), berth.docker("fedora/skopeo-revoke:1"));
        Credentials robot = berth.createRobot("skopeo-retired");
        skopeo.succeed("inspect", "--tls-verify=false", "--creds", robot.colonSeparated(), berth.docker("fedora/skopeo-revoke:1"));

        berth.revokeRobot("skopeo-retired");

        ToolRun inspect = skopeo.run("inspect", "--tls-verify=false", "--creds", robot.colonSeparated(),
                berth.docker("fedora/skopeo-revoke:1"));
        assertThat(inspect.succeeded()).as(inspect.transcript()).isFalse();
        assertThat(inspect.stderr()).as(inspect.transcript()).contains("invalid username/password");
    }

    @Test
    void anIdentityTokenInTheAuthFileIsExchangedWithAnOAuth2Post() throws IOException {
        Sample source = sample();
        skopeo.succeed("copy", "--dest-tls-verify=false", "--dest-creds", berth.buildRobot().colonSeparated(),
                source.reference(), berth.docker("candidate/skopeo-oauth:1"));
        Path authFile = identityTokenAuthFile(LockedDownBerth.RELENG.username(), berth.refreshToken(LockedDownBerth.RELENG));

        ToolRun inspect = skopeo.succeed("inspect", "--tls-verify=false", "--authfile", authFile.toString(),
                berth.docker("candidate/skopeo-oauth:1"));

        assertThat(JSON.readTree(inspect.stdout()).path("Digest").asText()).isEqualTo(source.digest());
        berth.assertLogged("POST", "/auth/token", 200);
    }

    @Test
    void aRevokedRobotsIdentityTokenIsRefused() throws IOException {
        Sample source = sample();
        skopeo.succeed("copy", "--dest-tls-verify=false", "--dest-creds", LockedDownBerth.ADMIN.colonSeparated(),
                source.reference(), berth.docker("fedora/skopeo-refresh:1"));
        Credentials robot = berth.createRobot("skopeo-refresh");
        Path authFile = identityTokenAuthFile(robot.username(), berth.refreshToken(robot));
        skopeo.succeed("inspect", "--tls-verify=false", "--authfile", authFile.toString(), berth.docker("fedora/skopeo-refresh:1"));

        berth.revokeRobot("skopeo-refresh");

        ToolRun inspect = skopeo.run("inspect", "--tls-verify=false", "--authfile", authFile.toString(),
                berth.docker("fedora/skopeo-refresh:1"));
        assertThat(inspect.succeeded()).as(inspect.transcript()).isFalse();
        assertThat(inspect.stderr()).as(inspect.transcript()).contains("the token's subject no longer exists");
        berth.assertLogged("POST", "/auth/token", 401);
    }

    /**
     * An auth file whose entry for Berth holds an identity token ({@code identitytoken}, as Docker's
     * {@code config.json} stores one and containers/image reads it): the client then gets access
     * tokens with the OAuth2 {@code refresh_token} grant instead of sending the password.
     */
    private Path identityTokenAuthFile(String username, String refreshToken) throws IOException {
        String user = Base64.getEncoder().encodeToString((username + ":").getBytes(StandardCharsets.UTF_8));
        Path file = temporary.resolve("identity-token-auth.json");
        JSON.writeValue(file.toFile(), Map.of("auths", Map.of(berth.hostPort(),
                Map.of("auth", user, "identitytoken", refreshToken))));
        return file;
    }

    /** The sample image, written as tag 1 of a fresh OCI layout. */
    private Sample sample() {
        OciLayoutBuilder builder = OciLayoutBuilder.create(temporary.resolve("source"));
        OciImage image = SampleImages.application(builder);
        return new Sample(image, builder.tag("1", image).write());
    }

    /** An image and the layout holding it as tag 1. */
    private record Sample(OciImage image, OciLayout layout) {
        /** The {@code oci:} reference skopeo copies from. */
        String reference() {
            return oci(layout.root(), "1");
        }

        String digest() {
            return image.manifest().digest().toString();
        }
    }
}
