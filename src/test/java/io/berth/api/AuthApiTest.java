package io.berth.api;

import static io.berth.api.LockedDownRegistry.CANDIDATE_LAYER;
import static io.berth.api.LockedDownRegistry.CANDIDATE_MANIFEST;
import static io.berth.api.LockedDownRegistry.CONFIG;
import static io.berth.api.LockedDownRegistry.PRIVATE_LAYER;
import static io.berth.api.LockedDownRegistry.PUBLIC_LAYER;
import static io.berth.api.LockedDownRegistry.PUBLIC_MANIFEST;
import static io.berth.api.LockedDownRegistry.assertDenied;
import static io.berth.api.LockedDownRegistry.grantedActions;
import static io.berth.api.LockedDownRegistry.token;
import static org.assertj.core.api.Assertions.assertThat;

import io.berth.api.LockedDownRegistry.Caller;
import io.berth.auth.RobotSecrets;
import io.berth.config.AuthConfig;
import io.berth.config.ConfigLoader;
import io.berth.oci.Digest;
import io.berth.oci.MediaTypes;
import io.berth.testing.ManifestJson;
import io.berth.testing.RegistryHttp;
import io.berth.testing.TestBlob;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Token authentication at {@code /v2/} over real sockets ({@code specs/docker/token.md},
 * {@code oauth.md}, {@code jwt.md}), with the policy of {@code examples/locked-down.yml} as
 * {@link LockedDownRegistry} serves it: the challenges that send a client to the token endpoint,
 * what anonymous callers, basic credentials and tokens may do, denials by the policy, tokens whose
 * scopes do not fit the request, mounts across repositories, and the catalog filtered by what the
 * caller may pull. The token endpoint and untrustworthy tokens are {@link TokenApiTest}'s; Berth's
 * own endpoints under auth are {@link BerthApiAuthTest}'s.
 *
 * <p>Every refusal is pinned with its status and code: 401 {@code UNAUTHORIZED} with a
 * {@code WWW-Authenticate: Bearer} challenge when other credentials could help (anonymous callers,
 * bad tokens, tokens lacking a scope the caller could get), 403 {@code DENIED} when the caller is
 * known and the policy refuses.
 */
class AuthApiTest {
    private static LockedDownRegistry registry;
    private static Caller anonymous;
    private static Caller admin;
    private static Caller releng;
    private static Caller osbs;

    @BeforeAll
    static void start() throws IOException {
        registry = LockedDownRegistry.start();
        anonymous = registry.anonymous();
        admin = registry.admin();
        releng = registry.releng();
        osbs = registry.osbs();
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    @Test
    void theTestPolicyIsTheExamplesPolicyPlusThePrivateRule() {
        AuthConfig example = ConfigLoader.load(Path.of("examples/locked-down.yml")).authSettings().orElseThrow();
        AuthConfig tested = LockedDownRegistry.authConfig(Path.of("unused"));

        assertThat(tested.policy()).hasSize(example.policy().size() + 1).containsAll(example.policy());
        assertThat(tested.groups()).isEqualTo(example.groups());
        assertThat(List.of(tested.service(), tested.issuer(), tested.tokenTtlSeconds()))
                .isEqualTo(List.of(example.service(), example.issuer(), example.tokenTtlSeconds()));
    }

    // ---- The base endpoint --------------------------------------------------------------------

    @Test
    void baseEndpointWithoutCredentialsIsChallengedWithoutAScope() {
        registry.assertChallenged(anonymous.get("/v2/"), "");
    }

    @Test
    void baseEndpointAnswers200ToBasicCredentialsAndToTokens() {
        assertThat(admin.get("/v2/").statusCode()).isEqualTo(200);
        assertThat(registry.bearer(token(releng)).get("/v2/").statusCode()).isEqualTo(200);
        assertThat(registry.bearer(token(anonymous)).get("/v2/").statusCode()).isEqualTo(200);
    }

    @Test
    void wrongBasicCredentialsAtTheApiAreChallenged() {
        registry.assertChallenged(registry.basic("releng", "not-the-password").get("/v2/"), "");
        registry.assertChallenged(registry.basic("robot$osbs", RobotSecrets.newSecret()).get("/v2/library/app/manifests/1.0"), "");
        registry.assertChallenged(registry.withAuthorization("Digest username=\"releng\"").get("/v2/"), "");
    }

    // ---- Anonymous callers ----------------------------------------------------------------------

    @Test
    void anonymousPullsAPublicRepositoryWithoutAnyToken() {
        HttpResponse<byte[]> manifest = anonymous.get("/v2/library/app/manifests/1.0");
        HttpResponse<byte[]> layer = anonymous.get("/v2/library/app/blobs/" + PUBLIC_LAYER.digest());

        assertThat(manifest.statusCode()).isEqualTo(200);
        assertThat(manifest.body()).isEqualTo(PUBLIC_MANIFEST.content());
        assertThat(layer.statusCode()).isEqualTo(200);
        assertThat(layer.body()).isEqualTo(PUBLIC_LAYER.content());
        assertThat(anonymous.get("/v2/library/app/tags/list").statusCode()).isEqualTo(200);
    }

    @Test
    void anonymousGetsATokenForPublicPullAndPullsWithIt() {
        String token = token(anonymous, "repository:library/app:pull,push");

        assertThat(grantedActions(token, "library/app")).containsExactly("pull");
        HttpResponse<byte[]> manifest = registry.bearer(token).get("/v2/library/app/manifests/1.0");
        assertThat(manifest.statusCode()).isEqualTo(200);
        assertThat(manifest.body()).isEqualTo(PUBLIC_MANIFEST.content());
    }

    @Test
    void anonymousPushIsChallengedForThePushScope() {
        registry.assertChallenged(anonymous.post("/v2/library/new/blobs/uploads/"), ",scope=\"repository:library/new:push\"");
        registry.assertChallenged(anonymous.put("/v2/library/app/manifests/2.0", MediaTypes.OCI_MANIFEST, PUBLIC_MANIFEST.content()),
                ",scope=\"repository:library/app:push\"");
    }

    @Test
    void anonymousPushWithAnAnonymousTokenIsChallengedForTheMissingScope() {
        String token = token(anonymous, "repository:library/new:pull,push");

        registry.assertChallenged(registry.bearer(token).post("/v2/library/new/blobs/uploads/"),
                ",scope=\"repository:library/new:push\",error=\"insufficient_scope\"");
    }

    @Test
    void anonymousCannotSeeCandidatesWithOrWithoutAToken() {
        String token = token(anonymous, "repository:candidate/app:pull");

        assertThat(grantedActions(token, "candidate/app")).isEmpty();
        registry.assertChallenged(anonymous.get("/v2/candidate/app/manifests/1.0"), ",scope=\"repository:candidate/app:pull\"");
        registry.assertChallenged(registry.bearer(token).get("/v2/candidate/app/manifests/1.0"),
                ",scope=\"repository:candidate/app:pull\",error=\"insufficient_scope\"");
        registry.assertChallenged(anonymous.get("/v2/candidate/app/blobs/" + CANDIDATE_LAYER.digest()),
                ",scope=\"repository:candidate/app:pull\"");
        registry.assertChallenged(anonymous.get("/v2/candidate/app/tags/list"), ",scope=\"repository:candidate/app:pull\"");
    }

    @Test
    void challengesNameTheActionEachRequestNeeds() {
        Digest manifest = CANDIDATE_MANIFEST.digest();
        registry.assertChallenged(anonymous.head("/v2/candidate/app/manifests/" + manifest),
                ",scope=\"repository:candidate/app:pull\"");
        registry.assertChallenged(anonymous.delete("/v2/library/app/manifests/" + PUBLIC_MANIFEST.digest()),
                ",scope=\"repository:library/app:delete\"");
        registry.assertChallenged(anonymous.delete("/v2/library/app/blobs/" + PUBLIC_LAYER.digest()),
                ",scope=\"repository:library/app:delete\"");
        registry.assertChallenged(
                anonymous.post("/v2/candidate/x/blobs/uploads/?mount=" + CANDIDATE_LAYER.digest() + "&from=candidate/app"),
                ",scope=\"repository:candidate/x:push repository:candidate/app:pull\"");
    }

    // ---- Basic credentials straight to the API --------------------------------------------------

    @Test
    void basicCredentialsWorkStraightAgainstTheApi() {
        assertThat(releng.get("/v2/candidate/app/manifests/1.0").body()).isEqualTo(CANDIDATE_MANIFEST.content());
        assertThat(osbs.get("/v2/library/app/blobs/" + PUBLIC_LAYER.digest()).statusCode()).isEqualTo(200);
        assertThat(osbs.post("/v2/candidate/basic/blobs/uploads/").statusCode()).isEqualTo(202);
    }

    // ---- Denials by the policy ------------------------------------------------------------------

    @Test
    void theRobotMayNotPushOutsideCandidates() {
        String token = token(osbs, "repository:library/app:pull,push");

        assertThat(grantedActions(token, "library/app")).containsExactly("pull");
        assertDenied(registry.bearer(token).post("/v2/library/app/blobs/uploads/"));
        assertDenied(osbs.post("/v2/library/app/blobs/uploads/"));
        assertDenied(osbs.put("/v2/library/app/manifests/robot", MediaTypes.OCI_MANIFEST, PUBLIC_MANIFEST.content()));
    }

    @Test
    void relengMayPullCandidatesButNotPushAnywhere() {
        String token = token(releng, "repository:candidate/app:pull,push");

        assertThat(grantedActions(token, "candidate/app")).containsExactly("pull");
        assertDenied(registry.bearer(token).post("/v2/candidate/app/blobs/uploads/"));
        assertDenied(releng.post("/v2/candidate/app/blobs/uploads/"));
        assertDenied(releng.post("/v2/library/app/blobs/uploads/"));
    }

    @Test
    void onlyAdminMayDelete() {
        TestBlob manifest = ManifestJson.ociImage(CONFIG, PUBLIC_LAYER).annotation("purpose", "deleted by admin").build();
        for (TestBlob blob : List.of(CONFIG, PUBLIC_LAYER)) {
            admin.pushBlob("library/doomed", blob);
        }
        admin.pushManifest("library/doomed", "1.0", manifest);
        String path = "/v2/library/doomed/manifests/" + manifest.digest();

        assertDenied(releng.delete(path));
        assertDenied(osbs.delete("/v2/candidate/app/manifests/" + CANDIDATE_MANIFEST.digest()));
        assertThat(admin.delete(path).statusCode()).isEqualTo(202);
        assertThat(admin.get(path).statusCode()).isEqualTo(404);

        String token = token(admin, "repository:library/doomed:delete");
        assertThat(registry.bearer(token).delete("/v2/library/doomed/blobs/" + PUBLIC_LAYER.digest()).statusCode())
                .isEqualTo(202);
    }

    // ---- Tokens that do not fit the request ----------------------------------------------------

    @Test
    void aTokenForOneRepositoryDoesNotOpenAnother() {
        String token = token(osbs, "repository:candidate/one:pull,push");

        assertThat(registry.bearer(token).post("/v2/candidate/one/blobs/uploads/").statusCode()).isEqualTo(202);
        registry.assertChallenged(registry.bearer(token).post("/v2/candidate/two/blobs/uploads/"),
                ",scope=\"repository:candidate/two:push\",error=\"insufficient_scope\"");
        registry.assertChallenged(registry.bearer(token).get("/v2/candidate/app/manifests/1.0"),
                ",scope=\"repository:candidate/app:pull\",error=\"insufficient_scope\"");
    }

    @Test
    void aPullTokenCannotPush() {
        String token = token(osbs, "repository:candidate/app:pull");

        assertThat(registry.bearer(token).get("/v2/candidate/app/manifests/1.0").statusCode()).isEqualTo(200);
        registry.assertChallenged(registry.bearer(token).post("/v2/candidate/app/blobs/uploads/"),
                ",scope=\"repository:candidate/app:push\",error=\"insufficient_scope\"");
        registry.assertChallenged(registry.bearer(token).put("/v2/candidate/app/manifests/2.0", MediaTypes.OCI_MANIFEST,
                CANDIDATE_MANIFEST.content()), ",scope=\"repository:candidate/app:push\",error=\"insufficient_scope\"");
    }

    @Test
    void aTokenWithoutTheCatalogScopeIsChallengedForIt() {
        registry.assertChallenged(registry.bearer(token(releng, "repository:library/app:pull")).get("/v2/_catalog"),
                ",scope=\"registry:catalog:*\",error=\"insufficient_scope\"");
    }

    // ---- Mounts and blob visibility -------------------------------------------------------------

    @Test
    void mountingFromARepositoryTheCallerCannotReadIsDenied() {
        String mount = "/v2/candidate/thief/blobs/uploads/?mount=" + PRIVATE_LAYER.digest() + "&from=private/secret";
        String token = token(osbs, "repository:candidate/thief:pull,push", "repository:private/secret:pull");

        assertThat(grantedActions(token, "private/secret")).isEmpty();
        assertDenied(registry.bearer(token).post(mount));
        assertDenied(osbs.post(mount));
        assertThat(admin.head("/v2/candidate/thief/blobs/" + PRIVATE_LAYER.digest()).statusCode()).isEqualTo(404);
    }

    @Test
    void mountingFromARepositoryTheCallerCanReadLinksTheBlob() {
        String token = token(osbs, "repository:candidate/mounted:pull,push", "repository:library/app:pull");

        HttpResponse<byte[]> mounted = registry.bearer(token).post(
                "/v2/candidate/mounted/blobs/uploads/?mount=" + PUBLIC_LAYER.digest() + "&from=library/app");

        assertThat(mounted.statusCode()).isEqualTo(201);
        assertThat(registry.bearer(token).get("/v2/candidate/mounted/blobs/" + PUBLIC_LAYER.digest()).body())
                .isEqualTo(PUBLIC_LAYER.content());
    }

    @Test
    void aMountWithoutFromDoesNotRevealABlobOfAnotherRepository() {
        HttpResponse<byte[]> response = osbs.post("/v2/candidate/guess/blobs/uploads/?mount=" + PRIVATE_LAYER.digest());

        assertThat(response.statusCode()).as("an upload session, not a mount").isEqualTo(202);
        assertThat(admin.head("/v2/candidate/guess/blobs/" + PRIVATE_LAYER.digest()).statusCode()).isEqualTo(404);
    }

    @Test
    void aBlobIsReadableOnlyThroughARepositoryThatLinksItEvenForAdmin() {
        HttpResponse<byte[]> response = admin.get("/v2/library/app/blobs/" + PRIVATE_LAYER.digest());

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(RegistryHttp.errorCode(response)).isEqualTo("BLOB_UNKNOWN");
        assertThat(admin.get("/v2/private/secret/blobs/" + PRIVATE_LAYER.digest()).statusCode()).isEqualTo(200);
    }

    // ---- The catalog ------------------------------------------------------------------------------

    @Test
    void theCatalogListsOnlyWhatTheCallerMayPull() {
        assertThat(catalog(anonymous)).contains("library/app").doesNotContain("candidate/app", "private/secret");
        assertThat(catalog(releng)).contains("library/app", "candidate/app").doesNotContain("private/secret");
        assertThat(catalog(admin)).contains("library/app", "candidate/app", "private/secret");
        assertThat(catalog(registry.bearer(token(anonymous, "registry:catalog:*"))))
                .contains("library/app").doesNotContain("candidate/app", "private/secret");
        assertThat(catalog(registry.bearer(token(releng, "registry:catalog:*"))))
                .contains("library/app", "candidate/app").doesNotContain("private/secret");
    }

    // ---- Helpers ----------------------------------------------------------------------------------

    private static List<String> catalog(Caller caller) {
        HttpResponse<byte[]> response = caller.get("/v2/_catalog");
        assertThat(response.statusCode()).as(RegistryHttp.text(response)).isEqualTo(200);
        List<String> names = new ArrayList<>();
        RegistryHttp.json(response).path("repositories").forEach(name -> names.add(name.asText()));
        return names;
    }
}
