package io.berth.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import io.berth.auth.Action;
import io.berth.auth.Principal;
import io.berth.auth.RobotSecrets;
import io.berth.config.BerthConfig;
import io.berth.auth.Scope;
import io.berth.auth.SigningKeys;
import io.berth.auth.TokenService;
import io.berth.cli.BerthCommand;
import io.berth.config.AuthConfig;
import io.berth.config.AuthConfig.PolicyRuleConfig;
import io.berth.config.ConfigLoader;
import io.berth.metadata.MetadataStore;
import io.berth.metadata.RobotRecord;
import io.berth.oci.Digest;
import io.berth.oci.MediaTypes;
import io.berth.server.BerthServer;
import io.berth.testing.Htpasswd;
import io.berth.testing.ManifestJson;
import io.berth.testing.RegistryHttp;
import io.berth.testing.TestBlob;
import io.berth.testing.TestRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Token authentication over real sockets ({@code specs/docker/token.md}, {@code oauth.md},
 * {@code jwt.md}), with the policy of {@code examples/locked-down.yml}: anyone pulls everything
 * but {@code candidate/**}; robot {@code osbs} pulls and pushes candidates; group {@code releng}
 * pulls and promotes them; {@code admin} may do anything. One more rule, {@code private/**} for
 * admin only, gives a repository that even the robot cannot read.
 *
 * <p>Every refusal is pinned with its status and code: 401 {@code UNAUTHORIZED} with a
 * {@code WWW-Authenticate: Bearer} challenge when other credentials could help (anonymous callers,
 * bad tokens, tokens lacking a scope the caller could get), 403 {@code DENIED} when the caller is
 * known and the policy refuses.
 */
class AuthApiTest {
    private static final String SERVICE = "berth";
    private static final String ADMIN_PASSWORD = "admin-example-password";
    private static final String RELENG_PASSWORD = "releng-example-password";
    /** Users who only ever fail to log in, each throttled on their own. */
    private static final String TOKEN_GUESSER = "intern";
    private static final String BASIC_GUESSER = "contractor";

    private static Path htpasswdDirectory;
    private static TestRegistry registry;
    private static RegistryHttp http;
    private static Caller admin;
    private static Caller releng;
    private static Caller osbs;
    private static final Caller ANONYMOUS = new Caller(Optional.empty());

    private static final TestBlob CONFIG = TestBlob.of("{\"architecture\":\"amd64\",\"os\":\"linux\"}");
    private static final TestBlob PUBLIC_LAYER = TestBlob.random(3000, 1);
    private static final TestBlob CANDIDATE_LAYER = TestBlob.random(3000, 2);
    private static final TestBlob PRIVATE_LAYER = TestBlob.random(3000, 3);
    private static final TestBlob PUBLIC_MANIFEST = ManifestJson.ociImage(CONFIG, PUBLIC_LAYER).build();
    private static final TestBlob CANDIDATE_MANIFEST = ManifestJson.ociImage(CONFIG, CANDIDATE_LAYER).build();

    @BeforeAll
    static void start() throws IOException {
        htpasswdDirectory = Files.createTempDirectory("berth-auth-");
        Path htpasswd = Htpasswd.write(htpasswdDirectory.resolve("users.htpasswd"), Map.of(
                "releng", RELENG_PASSWORD, "admin", ADMIN_PASSWORD,
                TOKEN_GUESSER, "intern-password", BASIC_GUESSER, "contractor-password"));
        registry = TestRegistry.start(config -> config.withAuth(lockedDown(htpasswd)).withMirrors(twoMirrors())
                .withPromotion(new io.berth.config.PromotionConfig(
                        List.of(new io.berth.config.PromotionConfig.Namespace("candidate/*", "*")), null)));
        http = registry.http();
        admin = Caller.basic("admin", ADMIN_PASSWORD);
        releng = Caller.basic("releng", RELENG_PASSWORD);
        osbs = Caller.basic("robot$osbs", createRobot("osbs"));

        for (TestBlob blob : List.of(CONFIG, PUBLIC_LAYER)) {
            admin.pushBlob("library/app", blob);
        }
        admin.pushManifest("library/app", "1.0", PUBLIC_MANIFEST);
        for (TestBlob blob : List.of(CONFIG, CANDIDATE_LAYER)) {
            osbs.pushBlob("candidate/app", blob);
        }
        osbs.pushManifest("candidate/app", "1.0", CANDIDATE_MANIFEST);
        admin.pushBlob("private/secret", PRIVATE_LAYER);
    }

    @AfterAll
    static void stop() {
        registry.close();
        TestRegistry.deleteRecursively(htpasswdDirectory);
    }

    /** {@code examples/locked-down.yml}'s auth section, plus {@code private/**} for admin only. */
    private static AuthConfig lockedDown(Path htpasswd) {
        return new AuthConfig(SERVICE, "berth", null, 300, null, htpasswd.toString(), Map.of("releng", List.of("releng")),
                List.of(
                        new PolicyRuleConfig("**", null, null, null, true, true, List.of("pull")),
                        new PolicyRuleConfig("**", List.of("admin"), null, null, null, null, List.of("admin")),
                        new PolicyRuleConfig("**", null, List.of("releng"), null, null, null, List.of("promote")),
                        new PolicyRuleConfig("candidate/**", null, null, List.of("osbs"), null, null, List.of("pull", "push")),
                        new PolicyRuleConfig("candidate/**", null, List.of("releng"), null, null, null, List.of("pull", "promote")),
                        new PolicyRuleConfig("candidate/**", List.of("admin"), null, null, null, null, List.of("admin")),
                        new PolicyRuleConfig("private/**", List.of("admin"), null, null, null, null, List.of("admin"))),
                null);
    }

    /** A public mirror and a private one, never crawled (nothing listens at their URLs). */
    private static io.berth.config.MirrorsConfig twoMirrors() {
        return new io.berth.config.MirrorsConfig(null, null, 3600, false, 1, 1, 3600, null, null, List.of(
                new io.berth.config.MirrorConfig("public-mirror", "http://127.0.0.1:9/public/", "DE", null, null, null, null, null, null, null),
                new io.berth.config.MirrorConfig("campus-mirror", "http://127.0.0.1:9/campus/", "DE", null, List.of("10.99.0.0/16"),
                        null, null, true, null, null)));
    }

    @Test
    void theMirrorListShowsPrivateMirrorsToRegistryAdminsOnly() {
        for (Caller caller : List.of(ANONYMOUS, releng, osbs)) {
            HttpResponse<byte[]> response = caller.get("/berth/v1/mirrors");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(RegistryHttp.json(response).path("mirrors")).extracting(node -> node.path("name").asText())
                    .containsExactly("public-mirror");
        }
        assertThat(RegistryHttp.json(admin.get("/berth/v1/mirrors")).path("mirrors"))
                .extracting(node -> node.path("name").asText()).containsExactly("campus-mirror", "public-mirror");
    }

    @Test
    void mirrorChoicesAndCrawlsAreForRegistryAdminsOnly() {
        String choice = "/berth/v1/mirrors/choice?client=10.99.1.1&repository=library/app&digest=" + PUBLIC_LAYER.digest();
        assertChallenged(ANONYMOUS.get(choice), "");
        assertChallenged(ANONYMOUS.post("/berth/v1/mirrors/crawl"), "");
        for (Caller caller : List.of(releng, osbs)) {
            assertThat(caller.get(choice).statusCode()).isEqualTo(403);
            assertThat(RegistryHttp.errorCode(caller.get(choice))).isEqualTo("DENIED");
            assertThat(caller.post("/berth/v1/mirrors/crawl").statusCode()).isEqualTo(403);
        }
        HttpResponse<byte[]> answered = admin.get(choice);
        assertThat(answered.statusCode()).isEqualTo(200);
        assertThat(RegistryHttp.json(answered).path("source").asText())
                .as("the layer was never exported, so Berth serves it").isEqualTo("registry");
        assertThat(admin.post("/berth/v1/mirrors/crawl").statusCode()).isEqualTo(200);
    }

    @Test
    void promotionNeedsThePromotePermissionOnSourceAndTarget() {
        String request = "{\"source\":\"candidate/app:1.0\",\"targets\":[\"app:1.0\"]}";
        assertChallenged(ANONYMOUS.postJson("/berth/v1/promotions", request), ",scope=\"repository:candidate/app:promote repository:app:promote\"");
        HttpResponse<byte[]> robot = osbs.postJson("/berth/v1/promotions", request);
        assertThat(robot.statusCode()).as("the build robot pushes candidates but does not promote them").isEqualTo(403);
        assertThat(RegistryHttp.errorCode(robot)).isEqualTo("DENIED");
        HttpResponse<byte[]> intoPrivate = releng.postJson("/berth/v1/promotions",
                "{\"source\":\"candidate/app:1.0\",\"targets\":[\"private/app:1.0\"]}");
        assertThat(intoPrivate.statusCode()).as("private/** grants releng nothing").isEqualTo(403);

        HttpResponse<byte[]> promoted = releng.postJson("/berth/v1/promotions", request);

        assertThat(promoted.statusCode()).as(RegistryHttp.text(promoted)).isIn(200, 201);
        assertThat(RegistryHttp.json(promoted).path("actor").asText()).isEqualTo("releng");
        assertThat(ANONYMOUS.get("/v2/app/manifests/1.0").statusCode()).as("stable is public").isEqualTo(200);
        assertThat(RegistryHttp.json(ANONYMOUS.get("/berth/v1/promotions?repository=app")).path("promotions"))
                .as("the audit trail of a repository anyone may pull").isNotEmpty();
        assertThat(RegistryHttp.json(ANONYMOUS.get("/berth/v1/promotions?repository=private/app")).path("promotions")).isEmpty();
    }

    @Test
    void withABearerTokenPromotionNeedsThePromoteScopeOnBothRepositories() {
        String request = "{\"source\":\"candidate/app:1.0\",\"targets\":[\"app:2.0\"]}";
        String pullOnly = token(releng, "repository:candidate/app:pull");
        HttpResponse<byte[]> refused = Caller.bearer(pullOnly).postJson("/berth/v1/promotions", request);
        assertChallenged(refused, ",scope=\"repository:candidate/app:promote repository:app:promote\",error=\"insufficient_scope\"");

        String promoteBoth = token(releng, "repository:candidate/app:promote", "repository:app:promote");
        HttpResponse<byte[]> promoted = Caller.bearer(promoteBoth).postJson("/berth/v1/promotions", request);

        assertThat(promoted.statusCode()).as(RegistryHttp.text(promoted)).isIn(200, 201);
        assertThat(RegistryHttp.json(promoted).path("actor").asText()).isEqualTo("releng");
    }

    @Test
    void theTestPolicyIsTheExamplesPolicyPlusThePrivateRule() {
        AuthConfig example = ConfigLoader.load(Path.of("examples/locked-down.yml")).authSettings().orElseThrow();
        AuthConfig tested = lockedDown(Path.of("unused"));

        assertThat(tested.policy()).hasSize(example.policy().size() + 1).containsAll(example.policy());
        assertThat(tested.groups()).isEqualTo(example.groups());
        assertThat(List.of(tested.service(), tested.issuer(), tested.tokenTtlSeconds()))
                .isEqualTo(List.of(example.service(), example.issuer(), example.tokenTtlSeconds()));
    }

    // ---- The base endpoint --------------------------------------------------------------------

    @Test
    void baseEndpointWithoutCredentialsIsChallengedWithoutAScope() {
        assertChallenged(ANONYMOUS.get("/v2/"), "");
    }

    @Test
    void baseEndpointAnswers200ToBasicCredentialsAndToTokens() {
        assertThat(admin.get("/v2/").statusCode()).isEqualTo(200);
        assertThat(Caller.bearer(token(releng)).get("/v2/").statusCode()).isEqualTo(200);
        assertThat(Caller.bearer(token(ANONYMOUS)).get("/v2/").statusCode()).isEqualTo(200);
    }

    @Test
    void wrongBasicCredentialsAtTheApiAreChallenged() {
        assertChallenged(Caller.basic("releng", "not-the-password").get("/v2/"), "");
        assertChallenged(Caller.basic("robot$osbs", RobotSecrets.newSecret()).get("/v2/library/app/manifests/1.0"), "");
        assertChallenged(new Caller(Optional.of("Digest username=\"releng\"")).get("/v2/"), "");
    }

    // ---- Anonymous callers ----------------------------------------------------------------------

    @Test
    void anonymousPullsAPublicRepositoryWithoutAnyToken() {
        HttpResponse<byte[]> manifest = ANONYMOUS.get("/v2/library/app/manifests/1.0");
        HttpResponse<byte[]> layer = ANONYMOUS.get("/v2/library/app/blobs/" + PUBLIC_LAYER.digest());

        assertThat(manifest.statusCode()).isEqualTo(200);
        assertThat(manifest.body()).isEqualTo(PUBLIC_MANIFEST.content());
        assertThat(layer.statusCode()).isEqualTo(200);
        assertThat(layer.body()).isEqualTo(PUBLIC_LAYER.content());
        assertThat(ANONYMOUS.get("/v2/library/app/tags/list").statusCode()).isEqualTo(200);
    }

    @Test
    void anonymousGetsATokenForPublicPullAndPullsWithIt() {
        String token = token(ANONYMOUS, "repository:library/app:pull,push");

        assertThat(grantedActions(token, "library/app")).containsExactly("pull");
        HttpResponse<byte[]> manifest = Caller.bearer(token).get("/v2/library/app/manifests/1.0");
        assertThat(manifest.statusCode()).isEqualTo(200);
        assertThat(manifest.body()).isEqualTo(PUBLIC_MANIFEST.content());
    }

    @Test
    void anonymousPushIsChallengedForThePushScope() {
        assertChallenged(ANONYMOUS.post("/v2/library/new/blobs/uploads/"), ",scope=\"repository:library/new:push\"");
        assertChallenged(ANONYMOUS.put("/v2/library/app/manifests/2.0", MediaTypes.OCI_MANIFEST, PUBLIC_MANIFEST.content()),
                ",scope=\"repository:library/app:push\"");
    }

    @Test
    void anonymousPushWithAnAnonymousTokenIsChallengedForTheMissingScope() {
        String token = token(ANONYMOUS, "repository:library/new:pull,push");

        assertChallenged(Caller.bearer(token).post("/v2/library/new/blobs/uploads/"),
                ",scope=\"repository:library/new:push\",error=\"insufficient_scope\"");
    }

    @Test
    void anonymousCannotSeeCandidatesWithOrWithoutAToken() {
        String token = token(ANONYMOUS, "repository:candidate/app:pull");

        assertThat(grantedActions(token, "candidate/app")).isEmpty();
        assertChallenged(ANONYMOUS.get("/v2/candidate/app/manifests/1.0"), ",scope=\"repository:candidate/app:pull\"");
        assertChallenged(Caller.bearer(token).get("/v2/candidate/app/manifests/1.0"),
                ",scope=\"repository:candidate/app:pull\",error=\"insufficient_scope\"");
        assertChallenged(ANONYMOUS.get("/v2/candidate/app/blobs/" + CANDIDATE_LAYER.digest()),
                ",scope=\"repository:candidate/app:pull\"");
        assertChallenged(ANONYMOUS.get("/v2/candidate/app/tags/list"), ",scope=\"repository:candidate/app:pull\"");
    }

    @Test
    void challengesNameTheActionEachRequestNeeds() {
        Digest manifest = CANDIDATE_MANIFEST.digest();
        assertChallenged(ANONYMOUS.head("/v2/candidate/app/manifests/" + manifest), ",scope=\"repository:candidate/app:pull\"");
        assertChallenged(ANONYMOUS.delete("/v2/library/app/manifests/" + PUBLIC_MANIFEST.digest()),
                ",scope=\"repository:library/app:delete\"");
        assertChallenged(ANONYMOUS.delete("/v2/library/app/blobs/" + PUBLIC_LAYER.digest()),
                ",scope=\"repository:library/app:delete\"");
        assertChallenged(ANONYMOUS.post("/v2/candidate/x/blobs/uploads/?mount=" + CANDIDATE_LAYER.digest() + "&from=candidate/app"),
                ",scope=\"repository:candidate/x:push repository:candidate/app:pull\"");
    }

    // ---- The token endpoint ---------------------------------------------------------------------

    @Test
    void tokenEndpointGetWithBasicCredentialsGrantsWhatThePolicyAllows() {
        HttpResponse<byte[]> response = releng.get(tokenPath("repository:candidate/app:pull,push,promote",
                "repository:library/app:pull,push"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
        JsonNode body = RegistryHttp.json(response);
        String token = body.path("token").asText();
        assertThat(body.path("access_token").asText()).isEqualTo(token);
        assertThat(body.path("expires_in").asLong()).isEqualTo(300);
        assertThat(Instant.parse(body.path("issued_at").asText())).isBetween(Instant.now().minusSeconds(60), Instant.now());
        assertThat(body.has("refresh_token")).isFalse();
        assertThat(grantedActions(token, "candidate/app")).containsExactlyInAnyOrder("pull", "promote");
        assertThat(grantedActions(token, "library/app")).containsExactly("pull");
        assertThat(Caller.bearer(token).get("/v2/candidate/app/manifests/1.0").statusCode()).isEqualTo(200);
    }

    @Test
    void tokenEndpointGetWithOfflineTokenReturnsARefreshToken() {
        JsonNode body = RegistryHttp.json(releng.get(tokenPath("repository:library/app:pull") + "&offline_token=true"));

        assertThat(body.path("refresh_token").asText()).isNotEmpty().isNotEqualTo(body.path("token").asText());
    }

    @Test
    void tokenEndpointPostWithPasswordAndOfflineAccessReturnsARefreshTokenThatGetsNewAccessTokens() {
        HttpResponse<byte[]> login = postForm(Map.of("grant_type", "password", "username", "robot$osbs",
                "password", robotSecretOf(osbs), "service", SERVICE, "client_id", "berth-tests", "access_type", "offline",
                "scope", "repository:candidate/app:pull"));

        assertThat(login.statusCode()).isEqualTo(200);
        JsonNode loggedIn = RegistryHttp.json(login);
        String refreshToken = loggedIn.path("refresh_token").asText();
        assertThat(refreshToken).isNotEmpty();
        assertThat(grantedActions(loggedIn.path("access_token").asText(), "candidate/app")).containsExactly("pull");
        assertThat(loggedIn.path("scope").asText()).as("oauth.md: scope is REQUIRED").isEqualTo("repository:candidate/app:pull");
        assertThat(loggedIn.path("expires_in").asLong()).isEqualTo(300);

        HttpResponse<byte[]> refreshed = postForm(Map.of("grant_type", "refresh_token", "refresh_token", refreshToken,
                "service", SERVICE, "client_id", "berth-tests", "scope", "repository:candidate/new:pull,push"));

        assertThat(refreshed.statusCode()).isEqualTo(200);
        String pushToken = RegistryHttp.json(refreshed).path("access_token").asText();
        assertThat(grantedActions(pushToken, "candidate/new")).containsExactlyInAnyOrder("pull", "push");
        assertThat(RegistryHttp.json(refreshed).path("scope").asText()).isEqualTo("repository:candidate/new:pull,push");
        assertThat(Caller.bearer(pushToken).post("/v2/candidate/new/blobs/uploads/").statusCode()).isEqualTo(202);
    }

    @Test
    void aRefreshTokenIsNotAnAccessTokenNorTheOtherWayRound() {
        JsonNode body = RegistryHttp.json(postForm(Map.of("grant_type", "password", "username", "releng",
                "password", RELENG_PASSWORD, "service", SERVICE, "client_id", "berth-tests", "access_type", "offline",
                "scope", "repository:library/app:pull")));
        String refreshToken = body.path("refresh_token").asText();
        String accessToken = body.path("access_token").asText();

        assertChallenged(Caller.bearer(refreshToken).get("/v2/library/app/manifests/1.0"), ",error=\"invalid_token\"");
        HttpResponse<byte[]> refreshWithAccess = postForm(Map.of("grant_type", "refresh_token",
                "refresh_token", accessToken, "service", SERVICE, "client_id", "berth-tests"));
        assertThat(refreshWithAccess.statusCode()).isEqualTo(401);
        assertThat(RegistryHttp.errorCode(refreshWithAccess)).isEqualTo("UNAUTHORIZED");
    }

    @Test
    void tokenEndpointRefusesAWrongPasswordWith401() {
        HttpResponse<byte[]> get = Caller.basic("releng", "wrong").get(tokenPath("repository:library/app:pull"));
        HttpResponse<byte[]> post = postForm(Map.of("grant_type", "password", "username", "admin", "password", "wrong",
                "service", SERVICE, "client_id", "berth-tests"));
        HttpResponse<byte[]> unknownUser = Caller.basic("nobody", "wrong").get(tokenPath("repository:library/app:pull"));

        for (HttpResponse<byte[]> response : List.of(get, post, unknownUser)) {
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(RegistryHttp.errorCode(response)).isEqualTo("UNAUTHORIZED");
            assertThat(RegistryHttp.json(response).has("token")).isFalse();
        }
    }

    @Test
    void fiveWrongPasswordsAtTheTokenEndpointMakeTheSixthAttemptWait() {
        for (int attempt = 1; attempt <= 5; attempt++) {
            HttpResponse<byte[]> response = Caller.basic(TOKEN_GUESSER, "guess-" + attempt).get(tokenPath());
            assertThat(response.statusCode()).as("attempt %d", attempt).isEqualTo(401);
        }

        HttpResponse<byte[]> sixth = Caller.basic(TOKEN_GUESSER, "guess-6").get(tokenPath());
        HttpResponse<byte[]> evenTheRightPassword = Caller.basic(TOKEN_GUESSER, "intern-password").get(tokenPath());

        for (HttpResponse<byte[]> response : List.of(sixth, evenTheRightPassword)) {
            assertThat(response.statusCode()).isEqualTo(429);
            assertThat(RegistryHttp.errorCode(response)).isEqualTo("TOOMANYREQUESTS");
            assertThat(response.headers().firstValue("Retry-After")).hasValueSatisfying(
                    seconds -> assertThat(Integer.parseInt(seconds)).isBetween(1, 60));
        }
        assertThat(admin.get(tokenPath()).statusCode()).as("other users are not affected").isEqualTo(200);
    }

    @Test
    void fiveWrongPasswordsStraightAgainstTheApiMakeTheSixthAttemptWait() {
        // Basic credentials at /v2/ are a second door for guessing; the same throttle guards it.
        for (int attempt = 1; attempt <= 5; attempt++) {
            assertChallenged(Caller.basic(BASIC_GUESSER, "guess-" + attempt).get("/v2/"), "");
        }

        HttpResponse<byte[]> sixth = Caller.basic(BASIC_GUESSER, "guess-6").get("/v2/");
        HttpResponse<byte[]> evenTheRightPassword = Caller.basic(BASIC_GUESSER, "contractor-password").get("/v2/");
        HttpResponse<byte[]> atTheTokenEndpoint = Caller.basic(BASIC_GUESSER, "contractor-password").get(tokenPath());

        for (HttpResponse<byte[]> response : List.of(sixth, evenTheRightPassword, atTheTokenEndpoint)) {
            assertThat(response.statusCode()).isEqualTo(429);
            assertThat(RegistryHttp.errorCode(response)).isEqualTo("TOOMANYREQUESTS");
            assertThat(response.headers().firstValue("Retry-After")).hasValueSatisfying(
                    seconds -> assertThat(Integer.parseInt(seconds)).isBetween(1, 60));
        }
        assertThat(releng.get("/v2/").statusCode()).as("other users are not affected").isEqualTo(200);
    }

    @Test
    void tokenEndpointRefusesAnotherService() {
        HttpResponse<byte[]> response = admin.get("/auth/token?service=elsewhere&scope=repository:library/app:pull");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(RegistryHttp.json(response).has("token")).isFalse();
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
        assertDenied(Caller.bearer(token).post("/v2/library/app/blobs/uploads/"));
        assertDenied(osbs.post("/v2/library/app/blobs/uploads/"));
        assertDenied(osbs.put("/v2/library/app/manifests/robot", MediaTypes.OCI_MANIFEST, PUBLIC_MANIFEST.content()));
    }

    @Test
    void relengMayPullCandidatesButNotPushAnywhere() {
        String token = token(releng, "repository:candidate/app:pull,push");

        assertThat(grantedActions(token, "candidate/app")).containsExactly("pull");
        assertDenied(Caller.bearer(token).post("/v2/candidate/app/blobs/uploads/"));
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
        assertThat(Caller.bearer(token).delete("/v2/library/doomed/blobs/" + PUBLIC_LAYER.digest()).statusCode())
                .isEqualTo(202);
    }

    // ---- Tokens that do not fit the request ----------------------------------------------------

    @Test
    void aTokenForOneRepositoryDoesNotOpenAnother() {
        String token = token(osbs, "repository:candidate/one:pull,push");

        assertThat(Caller.bearer(token).post("/v2/candidate/one/blobs/uploads/").statusCode()).isEqualTo(202);
        assertChallenged(Caller.bearer(token).post("/v2/candidate/two/blobs/uploads/"),
                ",scope=\"repository:candidate/two:push\",error=\"insufficient_scope\"");
        assertChallenged(Caller.bearer(token).get("/v2/candidate/app/manifests/1.0"),
                ",scope=\"repository:candidate/app:pull\",error=\"insufficient_scope\"");
    }

    @Test
    void aPullTokenCannotPush() {
        String token = token(osbs, "repository:candidate/app:pull");

        assertThat(Caller.bearer(token).get("/v2/candidate/app/manifests/1.0").statusCode()).isEqualTo(200);
        assertChallenged(Caller.bearer(token).post("/v2/candidate/app/blobs/uploads/"),
                ",scope=\"repository:candidate/app:push\",error=\"insufficient_scope\"");
        assertChallenged(Caller.bearer(token).put("/v2/candidate/app/manifests/2.0", MediaTypes.OCI_MANIFEST,
                CANDIDATE_MANIFEST.content()), ",scope=\"repository:candidate/app:push\",error=\"insufficient_scope\"");
    }

    @Test
    void aTokenWithoutTheCatalogScopeIsChallengedForIt() {
        assertChallenged(Caller.bearer(token(releng, "repository:library/app:pull")).get("/v2/_catalog"),
                ",scope=\"registry:catalog:*\",error=\"insufficient_scope\"");
    }

    // ---- Tokens that cannot be trusted ----------------------------------------------------------

    @Test
    void aTokenMintedWithBerthsOwnKeyIsAccepted() {
        // The control for the forgeries below: the same minting, done right, works.
        String token = mint(serverKey(), "berth", SERVICE, Instant.now());

        assertThat(Caller.bearer(token).get("/v2/private/secret/blobs/" + PRIVATE_LAYER.digest()).statusCode()).isEqualTo(200);
    }

    @Test
    void anExpiredTokenIsChallengedAsInvalid() {
        String token = mint(serverKey(), "berth", SERVICE, Instant.now().minus(Duration.ofMinutes(10)));

        assertChallenged(Caller.bearer(token).get("/v2/private/secret/blobs/" + PRIVATE_LAYER.digest()), ",error=\"invalid_token\"");
    }

    @Test
    void aTokenSignedByAnotherKeyIsChallengedAsInvalid() throws JOSEException {
        ECKey otherKey = new ECKeyGenerator(Curve.P_256).keyID(serverKey().getKeyID()).generate();

        String token = mint(otherKey, "berth", SERVICE, Instant.now());

        assertChallenged(Caller.bearer(token).get("/v2/private/secret/blobs/" + PRIVATE_LAYER.digest()), ",error=\"invalid_token\"");
    }

    @Test
    void anUnsignedTokenIsChallengedAsInvalid() {
        Instant now = Instant.now();
        String token = new PlainJWT(new JWTClaimsSet.Builder().issuer("berth").subject("admin").audience(SERVICE)
                .issueTime(Date.from(now)).notBeforeTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300)))
                .claim("access", List.of(Map.of("type", "repository", "name", "private/secret", "actions", List.of("*"))))
                .build()).serialize();

        assertChallenged(Caller.bearer(token).get("/v2/private/secret/blobs/" + PRIVATE_LAYER.digest()), ",error=\"invalid_token\"");
    }

    @Test
    void aTokenForAnotherAudienceOrFromAnotherIssuerIsChallengedAsInvalid() {
        String otherAudience = mint(serverKey(), "berth", "elsewhere", Instant.now());
        String otherIssuer = mint(serverKey(), "impostor", SERVICE, Instant.now());

        for (String token : List.of(otherAudience, otherIssuer)) {
            assertChallenged(Caller.bearer(token).get("/v2/private/secret/blobs/" + PRIVATE_LAYER.digest()),
                    ",error=\"invalid_token\"");
        }
    }

    @Test
    void aRevokedRobotsTokenStopsWorkingAtOnce() {
        String secret = createRobot("doomed");
        Caller robot = Caller.basic("robot$doomed", secret);
        String token = token(robot, "repository:library/app:pull");
        assertThat(Caller.bearer(token).get("/v2/library/app/manifests/1.0").statusCode()).isEqualTo(200);

        int exitCode = new CommandLine(new BerthCommand())
                .execute("robot", "revoke", "doomed", "--data", registry.dataDir().toString());

        assertThat(exitCode).isZero();
        assertChallenged(Caller.bearer(token).get("/v2/library/app/manifests/1.0"), ",error=\"invalid_token\"");
        assertChallenged(robot.get("/v2/library/app/manifests/1.0"), "");
        HttpResponse<byte[]> login = robot.get(tokenPath("repository:library/app:pull"));
        assertThat(login.statusCode()).isEqualTo(401);
        assertThat(RegistryHttp.errorCode(login)).isEqualTo("UNAUTHORIZED");
    }

    // ---- Mounts and blob visibility -------------------------------------------------------------

    @Test
    void mountingFromARepositoryTheCallerCannotReadIsDenied() {
        String mount = "/v2/candidate/thief/blobs/uploads/?mount=" + PRIVATE_LAYER.digest() + "&from=private/secret";
        String token = token(osbs, "repository:candidate/thief:pull,push", "repository:private/secret:pull");

        assertThat(grantedActions(token, "private/secret")).isEmpty();
        assertDenied(Caller.bearer(token).post(mount));
        assertDenied(osbs.post(mount));
        assertThat(admin.head("/v2/candidate/thief/blobs/" + PRIVATE_LAYER.digest()).statusCode()).isEqualTo(404);
    }

    @Test
    void mountingFromARepositoryTheCallerCanReadLinksTheBlob() {
        String token = token(osbs, "repository:candidate/mounted:pull,push", "repository:library/app:pull");

        HttpResponse<byte[]> mounted = Caller.bearer(token).post(
                "/v2/candidate/mounted/blobs/uploads/?mount=" + PUBLIC_LAYER.digest() + "&from=library/app");

        assertThat(mounted.statusCode()).isEqualTo(201);
        assertThat(Caller.bearer(token).get("/v2/candidate/mounted/blobs/" + PUBLIC_LAYER.digest()).body())
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
        assertThat(catalog(ANONYMOUS)).contains("library/app").doesNotContain("candidate/app", "private/secret");
        assertThat(catalog(releng)).contains("library/app", "candidate/app").doesNotContain("private/secret");
        assertThat(catalog(admin)).contains("library/app", "candidate/app", "private/secret");
        assertThat(catalog(Caller.bearer(token(ANONYMOUS, "registry:catalog:*"))))
                .contains("library/app").doesNotContain("candidate/app", "private/secret");
        assertThat(catalog(Caller.bearer(token(releng, "registry:catalog:*"))))
                .contains("library/app", "candidate/app").doesNotContain("private/secret");
    }

    // ---- Helpers ----------------------------------------------------------------------------------

    /** 401 {@code UNAUTHORIZED} with the Bearer challenge for this server, followed by {@code rest}. */
    private static void assertChallenged(HttpResponse<byte[]> response, String rest) {
        assertThat(response.statusCode()).as(RegistryHttp.text(response)).isEqualTo(401);
        if (!response.request().method().equals("HEAD")) {
            assertThat(RegistryHttp.errorCode(response)).isEqualTo("UNAUTHORIZED");
        }
        assertThat(response.headers().firstValue("WWW-Authenticate"))
                .hasValue("Bearer realm=\"" + registry.uri().resolve("/auth/token") + "\",service=\"" + SERVICE + "\"" + rest);
    }

    /** 403 {@code DENIED}, with no challenge: other credentials of the same caller would not help. */
    private static void assertDenied(HttpResponse<byte[]> response) {
        assertThat(response.statusCode()).as(RegistryHttp.text(response)).isEqualTo(403);
        if (!response.request().method().equals("HEAD")) {
            assertThat(RegistryHttp.errorCode(response)).isEqualTo("DENIED");
        }
        assertThat(response.headers().firstValue("WWW-Authenticate")).isEmpty();
    }

    private static String tokenPath(String... scopes) {
        return "/auth/token?service=" + SERVICE + Stream.of(scopes)
                .map(scope -> "&scope=" + URLEncoder.encode(scope, StandardCharsets.UTF_8))
                .collect(Collectors.joining());
    }

    /** A token from {@code GET /auth/token} for {@code caller}. */
    private static String token(Caller caller, String... scopes) {
        HttpResponse<byte[]> response = caller.get(tokenPath(scopes));
        assertThat(response.statusCode()).as(RegistryHttp.text(response)).isEqualTo(200);
        return RegistryHttp.json(response).path("token").asText();
    }

    private static HttpResponse<byte[]> postForm(Map<String, String> fields) {
        String form = fields.entrySet().stream()
                .map(field -> field.getKey() + "=" + URLEncoder.encode(field.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return http.send(http.request("/auth/token").header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build());
    }

    /** The actions a token's {@code access} claim grants on {@code repository} (read without verifying). */
    private static List<String> grantedActions(String token, String repository) {
        String payload = new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8);
        List<String> actions = new ArrayList<>();
        JsonNode claims;
        try {
            claims = new ObjectMapper().readTree(payload);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (JsonNode entry : claims.path("access")) {
            if (entry.path("name").asText().equals(repository)) {
                entry.path("actions").forEach(action -> actions.add(action.asText()));
            }
        }
        return actions;
    }

    private static List<String> catalog(Caller caller) {
        HttpResponse<byte[]> response = caller.get("/v2/_catalog");
        assertThat(response.statusCode()).as(RegistryHttp.text(response)).isEqualTo(200);
        List<String> names = new ArrayList<>();
        RegistryHttp.json(response).path("repositories").forEach(name -> names.add(name.asText()));
        return names;
    }

    /** Creates a robot in the running server's database, as {@code berth robot create} does; returns its secret. */
    private static String createRobot(String name) {
        String secret = RobotSecrets.newSecret();
        try (MetadataStore metadata = BerthServer.openMetadata(BerthConfig.defaults().withDataDir(registry.dataDir().toString()), Clock.systemUTC())) {
            boolean created = metadata.inTransaction(session -> session.robots().createRobot(
                    new RobotRecord(name, RobotSecrets.hash(secret), "test robot", Instant.now(), Optional.empty())));
            assertThat(created).isTrue();
        }
        return secret;
    }

    private static String robotSecretOf(Caller robot) {
        String decoded = new String(Base64.getDecoder().decode(robot.authorization().orElseThrow().substring("Basic ".length())),
                StandardCharsets.UTF_8);
        return decoded.substring(decoded.indexOf(':') + 1);
    }

    /** The key Berth generated in its data directory to sign its tokens. */
    private static ECKey serverKey() {
        Path file = registry.dataDir().resolve("auth/token-signing-key.jwk.json");
        assertThat(file).as("Berth's generated signing key").exists();
        return SigningKeys.loadOrCreate(file);
    }

    /** A token for admin granting everything on private/secret, valid from {@code issuedAt} for five minutes. */
    private static String mint(ECKey key, String issuer, String audience, Instant issuedAt) {
        TokenService minter = new TokenService(key, issuer, audience, Duration.ofMinutes(5), Map.of(), Clock.systemUTC());
        return minter.issueAccess(new Principal.User("admin", Set.of()),
                List.of(Scope.repository("private/secret", EnumSet.allOf(Action.class))), issuedAt);
    }

    /** Requests as one caller: with an {@code Authorization} header, or anonymously without one. */
    private record Caller(Optional<String> authorization) {
        static Caller basic(String user, String password) {
            return new Caller(Optional.of("Basic " + Base64.getEncoder()
                    .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8))));
        }

        static Caller bearer(String token) {
            return new Caller(Optional.of("Bearer " + token));
        }

        HttpResponse<byte[]> get(String path) {
            return send(request(path).GET());
        }

        HttpResponse<byte[]> head(String path) {
            return send(request(path).method("HEAD", HttpRequest.BodyPublishers.noBody()));
        }

        HttpResponse<byte[]> delete(String path) {
            return send(request(path).DELETE());
        }

        HttpResponse<byte[]> postJson(String path, String json) {
            return send(request(path).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json)));
        }

        HttpResponse<byte[]> post(String path) {
            return send(request(path).POST(HttpRequest.BodyPublishers.noBody()));
        }

        HttpResponse<byte[]> put(String path, String contentType, byte[] body) {
            return send(request(path).header("Content-Type", contentType).PUT(HttpRequest.BodyPublishers.ofByteArray(body)));
        }

        void pushBlob(String repository, TestBlob blob) {
            HttpResponse<byte[]> response = send(request("/v2/" + repository + "/blobs/uploads/?digest=" + blob.digest())
                    .header("Content-Type", "application/octet-stream")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(blob.content())));
            assertThat(response.statusCode()).as(RegistryHttp.text(response)).isEqualTo(201);
        }

        void pushManifest(String repository, String tag, TestBlob manifest) {
            HttpResponse<byte[]> response = put("/v2/" + repository + "/manifests/" + tag, MediaTypes.OCI_MANIFEST,
                    manifest.content());
            assertThat(response.statusCode()).as(RegistryHttp.text(response)).isEqualTo(201);
        }

        private HttpRequest.Builder request(String path) {
            HttpRequest.Builder builder = http.request(path);
            authorization.ifPresent(value -> builder.header("Authorization", value));
            return builder;
        }

        private static HttpResponse<byte[]> send(HttpRequest.Builder builder) {
            return http.send(builder.build());
        }
    }
}
