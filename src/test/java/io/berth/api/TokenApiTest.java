package io.berth.api;

import static io.berth.api.LockedDownRegistry.BASIC_GUESSER;
import static io.berth.api.LockedDownRegistry.PRIVATE_LAYER;
import static io.berth.api.LockedDownRegistry.RELENG_PASSWORD;
import static io.berth.api.LockedDownRegistry.SERVICE;
import static io.berth.api.LockedDownRegistry.TOKEN_GUESSER;
import static io.berth.api.LockedDownRegistry.grantedActions;
import static io.berth.api.LockedDownRegistry.token;
import static io.berth.api.LockedDownRegistry.tokenPath;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import io.berth.api.LockedDownRegistry.Caller;
import io.berth.auth.Action;
import io.berth.auth.Principal;
import io.berth.auth.Scope;
import io.berth.auth.SigningKeys;
import io.berth.auth.TokenService;
import io.berth.cli.BerthCommand;
import io.berth.testing.RegistryHttp;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The token endpoint of a {@link LockedDownRegistry} over real sockets ({@code specs/docker/token.md},
 * {@code oauth.md}, {@code jwt.md}): access tokens for basic credentials (GET), refresh tokens from
 * the OAuth2 password grant (POST) and what they may be exchanged for, wrong passwords, and the
 * login throttle that guards both the endpoint and basic credentials sent straight to {@code /v2/}.
 * Then the tokens Berth must not trust: expired, signed by another key, unsigned, for another
 * audience or from another issuer, or held by a robot since revoked; each is challenged with
 * {@code error="invalid_token"}, against a control minted the same way with Berth's own key.
 */
class TokenApiTest {
    private static LockedDownRegistry registry;
    private static Caller admin;
    private static Caller releng;
    private static Caller osbs;

    @BeforeAll
    static void start() throws IOException {
        registry = LockedDownRegistry.start();
        admin = registry.admin();
        releng = registry.releng();
        osbs = registry.osbs();
    }

    @AfterAll
    static void stop() {
        registry.close();
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
        assertThat(registry.bearer(token).get("/v2/candidate/app/manifests/1.0").statusCode()).isEqualTo(200);
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
        assertThat(registry.bearer(pushToken).post("/v2/candidate/new/blobs/uploads/").statusCode()).isEqualTo(202);
    }

    @Test
    void aRefreshTokenIsNotAnAccessTokenNorTheOtherWayRound() {
        JsonNode body = RegistryHttp.json(postForm(Map.of("grant_type", "password", "username", "releng",
                "password", RELENG_PASSWORD, "service", SERVICE, "client_id", "berth-tests", "access_type", "offline",
                "scope", "repository:library/app:pull")));
        String refreshToken = body.path("refresh_token").asText();
        String accessToken = body.path("access_token").asText();

        registry.assertChallenged(registry.bearer(refreshToken).get("/v2/library/app/manifests/1.0"), ",error=\"invalid_token\"");
        HttpResponse<byte[]> refreshWithAccess = postForm(Map.of("grant_type", "refresh_token",
                "refresh_token", accessToken, "service", SERVICE, "client_id", "berth-tests"));
        assertThat(refreshWithAccess.statusCode()).isEqualTo(401);
        assertThat(RegistryHttp.errorCode(refreshWithAccess)).isEqualTo("UNAUTHORIZED");
    }

    @Test
    void tokenEndpointRefusesAWrongPasswordWith401() {
        HttpResponse<byte[]> get = registry.basic("releng", "wrong").get(tokenPath("repository:library/app:pull"));
        HttpResponse<byte[]> post = postForm(Map.of("grant_type", "password", "username", "admin", "password", "wrong",
                "service", SERVICE, "client_id", "berth-tests"));
        HttpResponse<byte[]> unknownUser = registry.basic("nobody", "wrong").get(tokenPath("repository:library/app:pull"));

        for (HttpResponse<byte[]> response : List.of(get, post, unknownUser)) {
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(RegistryHttp.errorCode(response)).isEqualTo("UNAUTHORIZED");
            assertThat(RegistryHttp.json(response).has("token")).isFalse();
        }
    }

    @Test
    void afterFiveWrongPasswordsAtTheTokenEndpointTheRightOneIsSlowedButAccepted() {
        for (int attempt = 1; attempt <= 5; attempt++) {
            HttpResponse<byte[]> response = registry.basic(TOKEN_GUESSER, "guess-" + attempt).get(tokenPath());
            assertThat(response.statusCode()).as("attempt %d", attempt).isEqualTo(401);
        }

        long start = System.nanoTime();
        HttpResponse<byte[]> theRightPassword = registry.basic(TOKEN_GUESSER, "intern-password").get(tokenPath());
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(theRightPassword.statusCode()).as(RegistryHttp.text(theRightPassword)).isEqualTo(200);
        assertThat(RegistryHttp.json(theRightPassword).path("token").asText()).isNotEmpty();
        assertThat(took).as("five recent failures cost the next login about 1.6 s").isGreaterThan(Duration.ofSeconds(1));
        assertThat(admin.get(tokenPath()).statusCode()).as("other users are not affected").isEqualTo(200);
    }

    @Test
    void afterFiveWrongPasswordsStraightAgainstTheApiTheRightOneIsSlowedButAccepted() {
        // Basic credentials at /v2/ are a second door for guessing; the same throttle guards it.
        for (int attempt = 1; attempt <= 5; attempt++) {
            registry.assertChallenged(registry.basic(BASIC_GUESSER, "guess-" + attempt).get("/v2/"), "");
        }

        long start = System.nanoTime();
        HttpResponse<byte[]> theRightPassword = registry.basic(BASIC_GUESSER, "contractor-password").get("/v2/");
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(theRightPassword.statusCode()).as(RegistryHttp.text(theRightPassword)).isEqualTo(200);
        assertThat(took).as("five recent failures cost the next login about 1.6 s").isGreaterThan(Duration.ofSeconds(1));
        long again = System.nanoTime();
        assertThat(registry.basic(BASIC_GUESSER, "contractor-password").get(tokenPath()).statusCode()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - again)).as("the success forgave the failures")
                .isLessThan(Duration.ofSeconds(1));
    }

    @Test
    void tokenEndpointRefusesAnotherService() {
        HttpResponse<byte[]> response = admin.get("/auth/token?service=elsewhere&scope=repository:library/app:pull");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(RegistryHttp.json(response).has("token")).isFalse();
    }

    // ---- Tokens that cannot be trusted ----------------------------------------------------------

    @Test
    void aTokenMintedWithBerthsOwnKeyIsAccepted() {
        // The control for the forgeries below: the same minting, done right, works.
        String token = mint(serverKey(), "berth", SERVICE, Instant.now());

        assertThat(registry.bearer(token).get("/v2/private/secret/blobs/" + PRIVATE_LAYER.digest()).statusCode()).isEqualTo(200);
    }

    @Test
    void anExpiredTokenIsChallengedAsInvalid() {
        String token = mint(serverKey(), "berth", SERVICE, Instant.now().minus(Duration.ofMinutes(10)));

        registry.assertChallenged(registry.bearer(token).get("/v2/private/secret/blobs/" + PRIVATE_LAYER.digest()),
                ",error=\"invalid_token\"");
    }

    @Test
    void aTokenSignedByAnotherKeyIsChallengedAsInvalid() throws JOSEException {
        ECKey otherKey = new ECKeyGenerator(Curve.P_256).keyID(serverKey().getKeyID()).generate();

        String token = mint(otherKey, "berth", SERVICE, Instant.now());

        registry.assertChallenged(registry.bearer(token).get("/v2/private/secret/blobs/" + PRIVATE_LAYER.digest()),
                ",error=\"invalid_token\"");
    }

    @Test
    void anUnsignedTokenIsChallengedAsInvalid() {
        Instant now = Instant.now();
        String token = new PlainJWT(new JWTClaimsSet.Builder().issuer("berth").subject("admin").audience(SERVICE)
                .issueTime(Date.from(now)).notBeforeTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300)))
                .claim("access", List.of(Map.of("type", "repository", "name", "private/secret", "actions", List.of("*"))))
                .build()).serialize();

        registry.assertChallenged(registry.bearer(token).get("/v2/private/secret/blobs/" + PRIVATE_LAYER.digest()),
                ",error=\"invalid_token\"");
    }

    @Test
    void aTokenForAnotherAudienceOrFromAnotherIssuerIsChallengedAsInvalid() {
        String otherAudience = mint(serverKey(), "berth", "elsewhere", Instant.now());
        String otherIssuer = mint(serverKey(), "impostor", SERVICE, Instant.now());

        for (String token : List.of(otherAudience, otherIssuer)) {
            registry.assertChallenged(registry.bearer(token).get("/v2/private/secret/blobs/" + PRIVATE_LAYER.digest()),
                    ",error=\"invalid_token\"");
        }
    }

    @Test
    void aRevokedRobotsTokenStopsWorkingAtOnce() {
        String secret = registry.createRobot("doomed");
        Caller robot = registry.basic("robot$doomed", secret);
        String token = token(robot, "repository:library/app:pull");
        assertThat(registry.bearer(token).get("/v2/library/app/manifests/1.0").statusCode()).isEqualTo(200);

        int exitCode = BerthCommand.commandLine()
                .execute("robot", "revoke", "doomed", "--data", registry.dataDir().toString());

        assertThat(exitCode).isZero();
        registry.assertChallenged(registry.bearer(token).get("/v2/library/app/manifests/1.0"), ",error=\"invalid_token\"");
        registry.assertChallenged(robot.get("/v2/library/app/manifests/1.0"), "");
        HttpResponse<byte[]> login = robot.get(tokenPath("repository:library/app:pull"));
        assertThat(login.statusCode()).isEqualTo(401);
        assertThat(RegistryHttp.errorCode(login)).isEqualTo("UNAUTHORIZED");
    }

    // ---- Helpers ----------------------------------------------------------------------------------

    private static HttpResponse<byte[]> postForm(Map<String, String> fields) {
        String form = fields.entrySet().stream()
                .map(field -> field.getKey() + "=" + URLEncoder.encode(field.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        RegistryHttp http = registry.http();
        return http.send(http.request("/auth/token").header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build());
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
}
