package io.berth.api;

import static io.berth.api.LockedDownRegistry.PRIVATE_LAYER;
import static io.berth.api.LockedDownRegistry.SERVICE;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.berth.api.LockedDownRegistry.Caller;
import io.berth.config.AuthConfig;
import io.berth.testing.RegistryHttp;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Tokens of a trusted external issuer on a {@link LockedDownRegistry}: such a token is judged by its
 * {@code access} claim alone. Its {@code sub} may be the name of a local user — here {@code admin},
 * who may do anything, and {@code releng} — and it still gets nothing of theirs: not in the catalog,
 * not in the promotion audit trail, not on a pull. What its claim grants, it gets; the audit trail
 * names it {@code SUBJECT@ISSUER}.
 */
class ExternalIssuerApiTest {
    private static final String ISSUER = "https://sso.example.org";
    private static final String PROMOTION = "{\"source\":\"candidate/app:1.0\",\"targets\":[\"app:1.0\"]}";

    private static Path keys;
    private static ECKey signingKey;
    private static LockedDownRegistry registry;

    @BeforeAll
    static void start() throws IOException, JOSEException {
        keys = Files.createTempDirectory("berth-sso-");
        signingKey = new ECKeyGenerator(Curve.P_256).keyID("sso-1").generate();
        Path jwks = Files.writeString(keys.resolve("sso.jwks.json"), new JWKSet(signingKey.toPublicJWK()).toString());
        registry = LockedDownRegistry.start(List.of(new AuthConfig.TrustedIssuerConfig(ISSUER, jwks.toString(), null)));
        HttpResponse<byte[]> promoted = registry.releng().postJson("/berth/v1/promotions", PROMOTION);
        assertThat(promoted.statusCode()).as(RegistryHttp.text(promoted)).isIn(200, 201);
    }

    @AfterAll
    static void stop() throws IOException {
        registry.close();
        try (var files = Files.list(keys)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        Files.delete(keys);
    }

    @Test
    void aTokenWhoseSubIsALocalAdminListsInTheCatalogOnlyWhatItsClaimGrants() {
        Caller external = external("admin", scope("registry", "catalog", "*"), scope("repository", "library/app", "pull"));

        HttpResponse<byte[]> catalog = external.get("/v2/_catalog");

        assertThat(catalog.statusCode()).as(RegistryHttp.text(catalog)).isEqualTo(200);
        assertThat(RegistryHttp.json(catalog).path("repositories")).extracting(node -> node.asText())
                .containsExactly("library/app");
        assertThat(RegistryHttp.json(registry.admin().get("/v2/_catalog")).path("repositories"))
                .as("what the local admin sees").extracting(node -> node.asText())
                .contains("candidate/app", "private/secret");
    }

    @Test
    void aTokenWhoseSubIsALocalAdminPullsOnlyWhatItsClaimGrants() {
        String privateBlob = "/v2/private/secret/blobs/" + PRIVATE_LAYER.digest();
        Caller publicOnly = external("admin", scope("repository", "library/app", "pull"));
        Caller privateToo = external("someone-else", scope("repository", "private/secret", "pull"));

        HttpResponse<byte[]> refused = publicOnly.get(privateBlob);

        assertThat(refused.statusCode()).as("the policy's rules for admin do not apply").isEqualTo(403);
        assertThat(RegistryHttp.errorCode(refused)).isEqualTo("DENIED");
        assertThat(privateToo.get(privateBlob).statusCode()).as("the claim alone grants").isEqualTo(200);
    }

    @Test
    void theAuditTrailShowsATokenOnlyPromotionsOfRepositoriesItsClaimLetsItPull() {
        Caller asReleng = external("releng");
        Caller pullsBoth = external("nobody-local", scope("repository", "candidate/app", "pull"),
                scope("repository", "app", "pull"));

        HttpResponse<byte[]> hidden = asReleng.get("/berth/v1/promotions");
        HttpResponse<byte[]> shown = pullsBoth.get("/berth/v1/promotions");

        assertThat(hidden.statusCode()).isEqualTo(200);
        assertThat(RegistryHttp.json(hidden).path("promotions")).as("releng's own view is not the token's").isEmpty();
        assertThat(RegistryHttp.json(shown).path("promotions")).extracting(node -> node.path("target").asText())
                .contains("app");
    }

    @Test
    void aPromotionWithAnExternalTokenIsAuditedUnderItsIssuer() {
        Caller promoter = external("releng", scope("repository", "candidate/app", "promote"),
                scope("repository", "app", "promote"));

        HttpResponse<byte[]> promoted = promoter.postJson("/berth/v1/promotions", PROMOTION);

        assertThat(promoted.statusCode()).as(RegistryHttp.text(promoted)).isIn(200, 201);
        assertThat(RegistryHttp.json(promoted).path("actor").asText()).isEqualTo("releng@" + ISSUER);
    }

    @Test
    void aPromoteOnlyTokenGetsTheOutcomeButNotWhatTheRepositoriesHold() {
        Caller promoteOnly = external("bodhi", scope("repository", "candidate/app", "promote"),
                scope("repository", "app", "promote"));
        Caller pullsToo = external("bodhi", scope("repository", "candidate/app", "promote", "pull"),
                scope("repository", "app", "promote", "pull"));

        var withheld = RegistryHttp.json(promoteOnly.postJson("/berth/v1/promotions", PROMOTION));
        var full = RegistryHttp.json(pullsToo.postJson("/berth/v1/promotions", PROMOTION));

        assertThat(withheld.path("outcome").asText()).isEqualTo("unchanged");
        assertThat(withheld.path("withheld").asBoolean()).isTrue();
        assertThat(withheld.path("digest").isNull()).isTrue();
        assertThat(withheld.path("previous").isEmpty()).isTrue();
        assertThat(withheld.path("gates")).allSatisfy(gate -> assertThat(gate.has("reason")).isFalse());
        assertThat(full.has("withheld")).isFalse();
        assertThat(full.path("digest").asText()).startsWith("sha256:");
        assertThat(full.path("previous").path("1.0").asText()).isEqualTo(full.path("digest").asText());
    }

    private static Map<String, Object> scope(String type, String name, String... actions) {
        return Map.of("type", type, "name", name, "actions", List.of(actions));
    }

    /** A caller with a token of the external issuer for {@code subject}, granting {@code access}. */
    @SafeVarargs
    private static Caller external(String subject, Map<String, Object>... access) {
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(ISSUER).subject(subject).audience(SERVICE)
                .issueTime(Date.from(now)).notBeforeTime(Date.from(now)).expirationTime(Date.from(now.plus(Duration.ofMinutes(5))))
                .jwtID(UUID.randomUUID().toString()).claim("access", new ArrayList<>(List.of(access))).build();
        SignedJWT token = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).type(JOSEObjectType.JWT)
                .keyID(signingKey.getKeyID()).build(), claims);
        try {
            token.sign(new ECDSASigner(signingKey));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return registry.bearer(token.serialize());
    }
}
