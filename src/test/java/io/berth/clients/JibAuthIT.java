package io.berth.clients;

import static io.berth.clients.ContainersTool.oci;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.clients.LockedDownBerth.Credentials;
import io.berth.oci.Digest;
import io.berth.testing.OciImage;
import io.berth.testing.OciLayout;
import io.berth.testing.OciLayoutBuilder;
import io.berth.testing.RegistryHttp;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Jib (the Maven plugin, run by a real Maven in a subprocess) against Berth running
 * {@code examples/locked-down.yml}, with credentials given as {@code -Djib.to.auth.*} and
 * {@code -Djib.from.auth.*}: the build robot pushes an application image to {@code candidate/…}
 * onto a public base or onto a candidate base read with release engineering's credentials; Jib
 * mounts the base layers across repositories under its push token. Without credentials for a
 * candidate base, with a wrong secret, or pushing outside {@code candidate/**}, the build fails.
 *
 * <p>Berth is plain HTTP here. Jib then needs {@code -DsendCredentialsOverHttp=true} besides
 * {@code jib.allowInsecureRegistries}: without it Jib keeps the credentials to itself and fails with
 * {@code RegistryCredentialsNotSentException} at the first 401.
 */
@Tag("clients")
class JibAuthIT {

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
    void buildRobotPushesToCandidateOntoAPublicBase() {
        OciImage base = pushBase(LockedDownBerth.ADMIN, "fedora/jib-base:1");

        ToolRun build = jibBuild("fedora/jib-base:1", Optional.empty(), "candidate/jib-app:1", berth.buildRobot())
                .assertSucceeded();

        HttpResponse<byte[]> served = berth.get(LockedDownBerth.RELENG, "/v2/candidate/jib-app/manifests/1");
        assertThat(served.statusCode()).as(build.transcript()).isEqualTo(200);
        assertLayeredOn(base, RegistryHttp.json(served));
        berth.assertLogged("POST", "/v2/candidate/jib-app/blobs/uploads/?mount=" + base.layers().getLast().digest()
                + "&from=fedora/jib-base", 201);
        berth.assertLogged("PUT", "/v2/candidate/jib-app/manifests/1", 201);
    }

    @Test
    void buildRobotPushesToCandidateOntoACandidateBaseReadWithRelengsCredentials() {
        OciImage base = pushBase(berth.buildRobot(), "candidate/jib-base:1");

        ToolRun build = jibBuild("candidate/jib-base:1", Optional.of(LockedDownBerth.RELENG), "candidate/jib-layered:1",
                berth.buildRobot()).assertSucceeded();

        HttpResponse<byte[]> served = berth.get(LockedDownBerth.RELENG, "/v2/candidate/jib-layered/manifests/1");
        assertThat(served.statusCode()).as(build.transcript()).isEqualTo(200);
        assertLayeredOn(base, RegistryHttp.json(served));
        berth.assertLogged("GET", "/v2/candidate/jib-base/manifests/1", 200);
        berth.assertLogged("POST", "/v2/candidate/jib-layered/blobs/uploads/?mount=" + base.layers().getLast().digest()
                + "&from=candidate/jib-base", 201);
    }

    @Test
    void aCandidateBaseWithoutCredentialsFailsTheBuild() {
        pushBase(berth.buildRobot(), "candidate/jib-private-base:1");

        ToolRun build = jibBuild("candidate/jib-private-base:1", Optional.empty(), "candidate/jib-orphan:1",
                berth.buildRobot());

        assertThat(build.succeeded()).as(build.transcript()).isFalse();
        assertThat(build.stdout()).as(build.transcript())
                .contains("/candidate/jib-private-base: 401 Unauthorized")
                .contains("access to repository:candidate/jib-private-base:pull requires authentication");
        berth.assertLogged("GET", "/v2/candidate/jib-private-base/manifests/1", 401);
        assertThat(berth.get(LockedDownBerth.ADMIN, "/v2/candidate/jib-orphan/manifests/1").statusCode()).isEqualTo(404);
    }

    @Test
    void buildRobotPushOutsideCandidateFailsTheBuild() {
        pushBase(LockedDownBerth.ADMIN, "fedora/jib-base-for-denied:1");

        ToolRun build = jibBuild("fedora/jib-base-for-denied:1", Optional.empty(), "fedora/jib-app:1", berth.buildRobot());

        assertThat(build.succeeded()).as(build.transcript()).isFalse();
        assertThat(build.stdout()).as(build.transcript())
                .contains("/fedora/jib-app: 403 Forbidden")
                .contains("\"code\":\"DENIED\"");
        berth.assertLogged("POST", "/v2/fedora/jib-app/blobs/uploads/", 403);
        assertThat(berth.get(LockedDownBerth.ADMIN, "/v2/fedora/jib-app/manifests/1").statusCode()).isEqualTo(404);
    }

    @Test
    void aWrongPasswordFailsTheBuild() {
        pushBase(LockedDownBerth.ADMIN, "fedora/jib-base-for-wrong-password:1");

        ToolRun build = jibBuild("fedora/jib-base-for-wrong-password:1", Optional.empty(), "candidate/jib-wrong-password:1",
                berth.buildRobot().withPassword("not-the-secret"));

        assertThat(build.succeeded()).as(build.transcript()).isFalse();
        assertThat(build.stdout()).as(build.transcript())
                .contains("/candidate/jib-wrong-password: 401 Unauthorized")
                .contains("invalid user name or password");
        berth.assertLogged("GET", "/auth/token?service=berth&scope=repository:candidate/jib-wrong-password:pull,push", 401);
        assertThat(berth.get(LockedDownBerth.ADMIN, "/v2/candidate/jib-wrong-password/manifests/1").statusCode()).isEqualTo(404);
    }

    /** Pushes the sample image to {@code repositoryAndTag} with skopeo, as {@code pusher}. */
    private OciImage pushBase(Credentials pusher, String repositoryAndTag) {
        OciLayoutBuilder builder = OciLayoutBuilder.create(temporary.resolve("base"));
        OciImage base = SampleImages.application(builder);
        OciLayout layout = builder.tag("1", base).write();
        skopeo.succeed("copy", "--dest-tls-verify=false", "--dest-creds", pusher.colonSeparated(),
                oci(layout.root(), "1"), berth.docker(repositoryAndTag));
        return base;
    }

    /**
     * Runs {@code mvn compile jib:build} on a copy of the {@code jib-app} project, from {@code from}
     * (read with {@code fromCredentials}, anonymously when empty) to {@code to} (pushed with
     * {@code toCredentials}).
     */
    private ToolRun jibBuild(String from, Optional<Credentials> fromCredentials, String to, Credentials toCredentials) {
        List<String> properties = new ArrayList<>(List.of("-DsendCredentialsOverHttp=true",
                "-Djib.to.auth.username=" + toCredentials.username(),
                "-Djib.to.auth.password=" + toCredentials.password()));
        fromCredentials.ifPresent(credentials -> properties.addAll(List.of(
                "-Djib.from.auth.username=" + credentials.username(),
                "-Djib.from.auth.password=" + credentials.password())));
        return new JibProject(temporary).build(berth.hostPort(), from, to, properties);
    }

    /** The base's layers come first and unchanged; Jib's own layers follow. */
    private static void assertLayeredOn(OciImage base, JsonNode manifest) {
        List<String> layers = manifest.path("layers").findValuesAsText("digest");
        assertThat(layers)
                .startsWith(base.layerDigests().stream().map(Digest::toString).toArray(String[]::new))
                .hasSizeGreaterThan(base.layers().size());
    }
}
