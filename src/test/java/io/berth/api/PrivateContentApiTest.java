package io.berth.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.config.BerthConfig;
import io.berth.config.MirrorsConfig;
import io.berth.mirror.ExportProgress;
import io.berth.mirror.SyncIndex;
import io.berth.oci.Digest;
import io.berth.oci.MediaTypes;
import io.berth.server.MirrorTools;
import io.berth.testing.Htpasswd;
import io.berth.testing.ManifestJson;
import io.berth.testing.RegistryHttp;
import io.berth.testing.StaticFileMirror;
import io.berth.testing.TestBlob;
import io.berth.testing.TestRegistry;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Content anonymous callers may not pull never reaches a shared cache, a mirror or the CDN, even
 * when it has been exported: its blobs and manifests are answered {@code Cache-Control: private}
 * and served by Berth. Public content keeps its year-long {@code public, immutable} caching and its
 * redirects. The policy is {@code examples/locked-down.yml}'s: {@code candidate/**} is not public.
 */
class PrivateContentApiTest {
    private static final String ADMIN_PASSWORD = "admin-example-password";
    private static final String RELENG_PASSWORD = "releng-example-password";

    @TempDir
    Path temporary;

    private Path htpasswd;
    /** Stands in for the CDN: this node probes the sources it sends clients to. */
    private StaticFileMirror cdnServer;
    private String cdn;
    private TestRegistry registry;
    private RegistryHttp admin;
    private RegistryHttp releng;
    private RegistryHttp anonymous;

    @BeforeEach
    void start() {
        htpasswd = Htpasswd.write(temporary.resolve("users.htpasswd"),
                Map.of("admin", ADMIN_PASSWORD, "releng", RELENG_PASSWORD));
        cdnServer = StaticFileMirror.serve(temporary);
        cdn = cdnServer.uri() + "tree/";
        MirrorsConfig cdnOnly = new MirrorsConfig(cdn, null, 3600, false, 5, 1, 3600, null, null, List.of());
        registry = TestRegistry.start(config -> config.withAuth(LockedDownRegistry.authConfig(htpasswd)).withMirrors(cdnOnly));
        anonymous = registry.http();
        admin = anonymous.withHeader("Authorization", basic("admin", ADMIN_PASSWORD));
        releng = anonymous.withHeader("Authorization", basic("releng", RELENG_PASSWORD));
    }

    @AfterEach
    void stop() {
        registry.close();
        cdnServer.close();
    }

    @Test
    void aCandidateBlobIsPrivateAndServedByBerthEvenWhenExported() throws Exception {
        TestBlob layer = TestBlob.random(5000, 7);
        Digest digest = admin.pushBlob("candidate/app", layer.content());
        export();

        HttpResponse<byte[]> response = releng.get("/v2/candidate/app/blobs/" + digest);

        assertThat(response.statusCode()).as("served by Berth, not sent to the CDN").isEqualTo(200);
        assertThat(response.headers().firstValue("Location")).isEmpty();
        assertThat(response.body()).isEqualTo(layer.content());
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("private, max-age=31536000, immutable");
        assertThat(releng.head("/v2/candidate/app/blobs/" + digest).headers().firstValue("Cache-Control"))
                .hasValue("private, max-age=31536000, immutable");
        JsonNode choice = RegistryHttp.json(admin.get("/berth/v1/mirrors/choice?client=10.1.2.3&repository=candidate/app&digest=" + digest));
        assertThat(choice.path("exported").asBoolean()).isFalse();
        assertThat(choice.path("source").asText()).as("the admin view explains the same decision").isEqualTo("registry");
    }

    @Test
    void theSameBytesThroughAPublicRepositoryArePublicAndGoToTheCdn() throws Exception {
        TestBlob layer = TestBlob.random(5000, 8);
        Digest digest = admin.pushBlob("candidate/app", layer.content());
        admin.pushBlob("library/app", layer.content());
        export();

        HttpResponse<byte[]> candidate = releng.get("/v2/candidate/app/blobs/" + digest);
        HttpResponse<byte[]> published = anonymous.get("/v2/library/app/blobs/" + digest);

        assertThat(candidate.statusCode()).isEqualTo(200);
        assertThat(candidate.headers().firstValue("Cache-Control")).hasValue("private, max-age=31536000, immutable");
        assertThat(published.statusCode()).isEqualTo(302);
        assertThat(published.headers().firstValue("Location")).hasValueSatisfying(location -> assertThat(location).startsWith(cdn));
        assertThat(anonymous.head("/v2/library/app/blobs/" + digest).headers().firstValue("Cache-Control"))
                .hasValue("public, max-age=31536000, immutable");
        JsonNode choice = RegistryHttp.json(admin.get("/berth/v1/mirrors/choice?client=10.1.2.3&repository=library/app&digest=" + digest));
        assertThat(choice.path("exported").asBoolean()).isTrue();
        assertThat(choice.path("source").asText()).isEqualTo("cdn");
    }

    @Test
    void aCandidateManifestIsPrivateAndAPublicOneSaysNothingOfIt() {
        TestBlob config = TestBlob.of("{\"architecture\":\"amd64\",\"os\":\"linux\"}");
        TestBlob layer = TestBlob.random(3000, 9);
        TestBlob manifest = ManifestJson.ociImage(config, layer).build();
        for (String repository : List.of("candidate/app", "library/app")) {
            admin.pushBlob(repository, config.content());
            admin.pushBlob(repository, layer.content());
            admin.pushManifest(repository, "1.0", MediaTypes.OCI_MANIFEST, manifest.content());
        }

        HttpResponse<byte[]> candidate = releng.get("/v2/candidate/app/manifests/1.0");
        HttpResponse<byte[]> published = anonymous.get("/v2/library/app/manifests/1.0");

        assertThat(candidate.statusCode()).isEqualTo(200);
        assertThat(candidate.headers().firstValue("Cache-Control")).hasValue("private");
        assertThat(published.statusCode()).isEqualTo(200);
        assertThat(published.headers().firstValue("Cache-Control")).isEmpty();
    }

    @Test
    void theExportUnderThePolicyLeavesOutBlobsOnlyCandidatesLink() throws Exception {
        TestBlob candidate = TestBlob.random(5000, 10);
        TestBlob released = TestBlob.random(5000, 11);
        admin.pushBlob("candidate/app", candidate.content());
        admin.pushBlob("library/app", released.content());

        Path tree = Files.createDirectories(temporary.resolve("policy-tree"));
        BerthConfig server = new BerthConfig("127.0.0.1:0", registry.dataDir().toString(), false, 5)
                .withAuth(LockedDownRegistry.authConfig(htpasswd));
        MirrorTools.export(server, tree, ExportProgress.silent());

        assertThat(tree.resolve(SyncIndex.blobPath(released.digest()))).hasBinaryContent(released.content());
        assertThat(tree.resolve(SyncIndex.blobPath(candidate.digest()))).doesNotExist();
    }

    /**
     * Exports every blob, as an export scope of {@code **} would, so the tree holds candidate blobs
     * too, and lets the CDN serve the tree.
     */
    private void export() throws Exception {
        Path tree = Files.createDirectories(temporary.resolve("tree"));
        MirrorTools.export(new BerthConfig("127.0.0.1:0", registry.dataDir().toString(), false, 5), tree, ExportProgress.silent());
        assertThat(admin.post("/berth/v1/mirrors/crawl").statusCode()).as("the catalogue learns the published generation").isEqualTo(200);
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
