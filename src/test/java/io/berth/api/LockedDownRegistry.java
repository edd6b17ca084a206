package io.berth.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.auth.RobotSecrets;
import io.berth.config.AuthConfig;
import io.berth.config.AuthConfig.PolicyRuleConfig;
import io.berth.config.BerthConfig;
import io.berth.config.MirrorConfig;
import io.berth.config.MirrorsConfig;
import io.berth.config.PromotionConfig;
import io.berth.metadata.MetadataStore;
import io.berth.metadata.RobotRecord;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A Berth server in this JVM with the policy of {@code examples/locked-down.yml}: anyone pulls
 * everything but {@code candidate/**}; robot {@code osbs} pulls and pushes candidates; group
 * {@code releng} pulls and promotes them; {@code admin} may do anything. One more rule,
 * {@code private/**} for admin only, gives a repository that even the robot cannot read. Berth's
 * own endpoints have something to guard too: two mirrors (one private to a netblock, neither
 * crawled) and promotion from {@code candidate/*} to {@code *}.
 *
 * <p>On start, admin pushes {@link #PUBLIC_MANIFEST} as {@code library/app:1.0}, the robot pushes
 * {@link #CANDIDATE_MANIFEST} as {@code candidate/app:1.0}, and admin pushes {@link #PRIVATE_MANIFEST}
 * (with {@link #PRIVATE_LAYER}) as {@code private/secret:1.0}. Each test class starts its own, so the robots one class creates and
 * the logins it throttles never reach another.
 */
final class LockedDownRegistry implements AutoCloseable {
    static final String SERVICE = "berth";
    static final String ADMIN_PASSWORD = "admin-example-password";
    static final String RELENG_PASSWORD = "releng-example-password";
    /** Users who only ever fail to log in, each throttled on their own. */
    static final String TOKEN_GUESSER = "intern";
    static final String BASIC_GUESSER = "contractor";

    static final TestBlob CONFIG = TestBlob.of("{\"architecture\":\"amd64\",\"os\":\"linux\"}");
    static final TestBlob PUBLIC_LAYER = TestBlob.random(3000, 1);
    static final TestBlob CANDIDATE_LAYER = TestBlob.random(3000, 2);
    static final TestBlob PRIVATE_LAYER = TestBlob.random(3000, 3);
    static final TestBlob PUBLIC_MANIFEST = ManifestJson.ociImage(CONFIG, PUBLIC_LAYER).build();
    static final TestBlob CANDIDATE_MANIFEST = ManifestJson.ociImage(CONFIG, CANDIDATE_LAYER).build();
    static final TestBlob PRIVATE_MANIFEST = ManifestJson.ociImage(CONFIG, PRIVATE_LAYER).build();

    private final Path htpasswdDirectory;
    private final TestRegistry registry;
    private final RegistryHttp http;
    private final Caller anonymous;
    private final Caller admin;
    private final Caller releng;
    private final Caller osbs;
    private final String osbsSecret;

    private LockedDownRegistry(Path htpasswdDirectory, TestRegistry registry, String osbsSecret) {
        this.osbsSecret = osbsSecret;
        this.htpasswdDirectory = htpasswdDirectory;
        this.registry = registry;
        this.http = registry.http();
        this.anonymous = new Caller(http, Optional.empty());
        this.admin = basic("admin", ADMIN_PASSWORD);
        this.releng = basic("releng", RELENG_PASSWORD);
        this.osbs = basic("robot$osbs", osbsSecret);
    }

    /** Starts the server, creates robot {@code osbs} and pushes the content described above. */
    static LockedDownRegistry start() throws IOException {
        return start(List.of());
    }

    /** As {@link #start()}, also accepting the tokens of {@code trustedIssuers}. */
    static LockedDownRegistry start(List<AuthConfig.TrustedIssuerConfig> trustedIssuers) throws IOException {
        return start(trustedIssuers, java.util.function.UnaryOperator.identity());
    }

    /** As {@link #start()}, with the configuration further changed by {@code customization} (quotas, say). */
    static LockedDownRegistry start(java.util.function.UnaryOperator<io.berth.config.BerthConfig> customization)
            throws IOException {
        return start(List.of(), customization);
    }

    private static LockedDownRegistry start(List<AuthConfig.TrustedIssuerConfig> trustedIssuers,
                                            java.util.function.UnaryOperator<io.berth.config.BerthConfig> customization)
            throws IOException {
        Path htpasswdDirectory = Files.createTempDirectory("berth-auth-");
        Path htpasswd = Htpasswd.write(htpasswdDirectory.resolve("users.htpasswd"), Map.of(
                "releng", RELENG_PASSWORD, "admin", ADMIN_PASSWORD,
                TOKEN_GUESSER, "intern-password", BASIC_GUESSER, "contractor-password"));
        TestRegistry registry = TestRegistry.start(config -> customization.apply(config
                .withAuth(authConfig(htpasswd, trustedIssuers)).withMirrors(twoMirrors())
                .withPromotion(new PromotionConfig(List.of(new PromotionConfig.Namespace("candidate/*", "*")), null))));
        try {
            LockedDownRegistry started = new LockedDownRegistry(htpasswdDirectory, registry, createRobot(registry.dataDir(), "osbs"));
            started.pushContent();
            return started;
        } catch (RuntimeException | AssertionError e) {
            registry.close();
            TestRegistry.deleteRecursively(htpasswdDirectory);
            throw e;
        }
    }

    private void pushContent() {
        for (TestBlob blob : List.of(CONFIG, PUBLIC_LAYER)) {
            admin.pushBlob("library/app", blob);
        }
        admin.pushManifest("library/app", "1.0", PUBLIC_MANIFEST);
        for (TestBlob blob : List.of(CONFIG, CANDIDATE_LAYER)) {
            osbs.pushBlob("candidate/app", blob);
        }
        osbs.pushManifest("candidate/app", "1.0", CANDIDATE_MANIFEST);
        for (TestBlob blob : List.of(CONFIG, PRIVATE_LAYER)) {
            admin.pushBlob("private/secret", blob);
        }
        admin.pushManifest("private/secret", "1.0", PRIVATE_MANIFEST);
    }

    @Override
    public void close() {
        try {
            registry.close();
        } finally {
            TestRegistry.deleteRecursively(htpasswdDirectory);
        }
    }

    /** {@code examples/locked-down.yml}'s auth section, plus {@code private/**} for admin only. */
    static AuthConfig authConfig(Path htpasswd) {
        return authConfig(htpasswd, List.of());
    }

    private static AuthConfig authConfig(Path htpasswd, List<AuthConfig.TrustedIssuerConfig> trustedIssuers) {
        return new AuthConfig(SERVICE, "berth", null, 300, null, htpasswd.toString(), Map.of("releng", List.of("releng")),
                List.of(
                        new PolicyRuleConfig("**", null, null, null, true, true, List.of("pull")),
                        new PolicyRuleConfig("**", List.of("admin"), null, null, null, null, List.of("admin")),
                        new PolicyRuleConfig("**", null, List.of("releng"), null, null, null, List.of("promote")),
                        new PolicyRuleConfig("candidate/**", null, null, List.of("osbs"), null, null, List.of("pull", "push")),
                        new PolicyRuleConfig("candidate/**", null, List.of("releng"), null, null, null, List.of("pull", "promote")),
                        new PolicyRuleConfig("candidate/**", List.of("admin"), null, null, null, null, List.of("admin")),
                        new PolicyRuleConfig("private/**", List.of("admin"), null, null, null, null, List.of("admin"))),
                trustedIssuers);
    }

    /** A public mirror and a private one, never crawled (nothing listens at their URLs). */
    private static MirrorsConfig twoMirrors() {
        return new MirrorsConfig(null, null, 3600, false, 1, 1, 3600, null, null, List.of(
                new MirrorConfig("public-mirror", "http://127.0.0.1:9/public/", "DE", null, null, null, null, null, null, null),
                new MirrorConfig("campus-mirror", "http://127.0.0.1:9/campus/", "DE", null, List.of("10.99.0.0/16"),
                        null, null, true, null, null)));
    }

    /** The registry under the policy. */
    TestRegistry registry() {
        return registry;
    }

    Caller anonymous() {
        return anonymous;
    }

    Caller admin() {
        return admin;
    }

    /** User releng, of group releng. */
    Caller releng() {
        return releng;
    }

    /** The build robot, {@code robot$osbs}. */
    Caller osbs() {
        return osbs;
    }

    /** The build robot's secret, for a form that asks for it. */
    String osbsSecret() {
        return osbsSecret;
    }

    /** A caller sending HTTP Basic credentials. */
    Caller basic(String user, String password) {
        return withAuthorization("Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }

    /** A caller sending {@code token} as a Bearer token. */
    Caller bearer(String token) {
        return withAuthorization("Bearer " + token);
    }

    /** A caller sending {@code authorization} as its {@code Authorization} header, whatever the scheme. */
    Caller withAuthorization(String authorization) {
        return new Caller(http, Optional.of(authorization));
    }

    /** An HTTP client of the server that sends no credentials of its own. */
    RegistryHttp http() {
        return http;
    }

    Path dataDir() {
        return registry.dataDir();
    }

    /** Where the server listens, for tests that speak HTTP over a socket of their own. */
    java.net.URI uri() {
        return registry.uri();
    }

    /** Creates a robot in the running server's database, as {@code berth robot create} does; returns its secret. */
    String createRobot(String name) {
        return createRobot(registry.dataDir(), name);
    }

    private static String createRobot(Path dataDir, String name) {
        String secret = RobotSecrets.newSecret();
        BerthConfig config = BerthConfig.defaults().withDataDir(dataDir.toString());
        try (MetadataStore metadata = BerthServer.openMetadata(config, Clock.systemUTC())) {
            boolean created = metadata.inTransaction(session -> session.robots().createRobot(
                    new RobotRecord(name, RobotSecrets.hash(secret), "test robot", Instant.now(), Optional.empty())));
            assertThat(created).isTrue();
        }
        return secret;
    }

    /** 401 {@code UNAUTHORIZED} with the Bearer challenge for this server, followed by {@code rest}. */
    void assertChallenged(HttpResponse<byte[]> response, String rest) {
        assertThat(response.statusCode()).as(RegistryHttp.text(response)).isEqualTo(401);
        if (!response.request().method().equals("HEAD")) {
            assertThat(RegistryHttp.errorCode(response)).isEqualTo("UNAUTHORIZED");
        }
        assertThat(response.headers().firstValue("WWW-Authenticate"))
                .hasValue("Bearer realm=\"" + registry.uri().resolve("/auth/token") + "\",service=\"" + SERVICE + "\"" + rest);
    }

    /** 403 {@code DENIED}, with no challenge: other credentials of the same caller would not help. */
    static void assertDenied(HttpResponse<byte[]> response) {
        assertThat(response.statusCode()).as(RegistryHttp.text(response)).isEqualTo(403);
        if (!response.request().method().equals("HEAD")) {
            assertThat(RegistryHttp.errorCode(response)).isEqualTo("DENIED");
        }
        assertThat(response.headers().firstValue("WWW-Authenticate")).isEmpty();
    }

    static String tokenPath(String... scopes) {
        return "/auth/token?service=" + SERVICE + Stream.of(scopes)
                .map(scope -> "&scope=" + URLEncoder.encode(scope, StandardCharsets.UTF_8))
                .collect(Collectors.joining());
    }

    /** A token from {@code GET /auth/token} for {@code caller}. */
    static String token(Caller caller, String... scopes) {
        HttpResponse<byte[]> response = caller.get(tokenPath(scopes));
        assertThat(response.statusCode()).as(RegistryHttp.text(response)).isEqualTo(200);
        return RegistryHttp.json(response).path("token").asText();
    }

    /** The actions a token's {@code access} claim grants on {@code repository} (read without verifying). */
    static List<String> grantedActions(String token, String repository) {
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

    /** Requests as one caller: with an {@code Authorization} header, or anonymously without one. */
    record Caller(RegistryHttp http, Optional<String> authorization) {
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

        private HttpResponse<byte[]> send(HttpRequest.Builder builder) {
            return http.send(builder.build());
        }
    }
}
