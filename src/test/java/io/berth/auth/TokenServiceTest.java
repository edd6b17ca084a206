package io.berth.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.berth.testing.MutableClock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.Set;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tokens of Docker's token protocol ({@code specs/docker/jwt.md}, "Verifying the token"): Berth's
 * own come back exactly as issued; a token is trusted only when signed (never {@code alg: none},
 * never a shared-secret algorithm) by a key of a trusted issuer, for this audience, and within its
 * validity period (30 seconds of clock skew allowed); refresh tokens are told apart.
 */
class TokenServiceTest {
    private static final Instant NOW = Instant.parse("2025-01-01T12:00:00Z");
    private static final Duration LIFETIME = Duration.ofMinutes(5);
    private static final String ISSUER = "berth";
    private static final String AUDIENCE = "registry.example";
    private static final Principal RELENG = new Principal.User("releng", Set.of("releng"));

    @TempDir
    Path directory;

    private final MutableClock clock = new MutableClock(NOW);
    private final ECKey key = newEcKey();
    private final TokenService tokens = new TokenService(key, ISSUER, AUDIENCE, LIFETIME, Map.of(), clock);

    @Test
    void anIssuedAccessTokenVerifiesToWhatWasIssued() {
        List<Scope> scopes = List.of(Scope.repository("candidate/app", EnumSet.of(Action.PULL, Action.PROMOTE)),
                Scope.repository("library/app", EnumSet.noneOf(Action.class)), Scope.catalog());

        AccessToken token = tokens.verify(tokens.issueAccess(RELENG, scopes, NOW));

        assertThat(token).isEqualTo(new AccessToken(ISSUER, "releng", scopes, NOW.plus(LIFETIME), false, Optional.empty()));
        assertThat(token.grants("candidate/app", Action.PROMOTE)).isTrue();
        assertThat(token.grants("candidate/app", Action.PUSH)).isFalse();
        assertThat(token.grants("library/app", Action.PULL)).isFalse();
        assertThat(token.grants("candidate/other", Action.PULL)).isFalse();
        assertThat(token.grantsCatalog()).isTrue();
    }

    @Test
    void aRobotsTokenNamesTheCredentialsItWasIssuedFor() throws Exception {
        Instant since = Instant.parse("2025-01-01T00:00:00.123Z");
        Principal.Robot robot = new Principal.Robot("osbs", Optional.of(since));

        String access = tokens.issueAccess(robot, List.of(), NOW);
        String refresh = tokens.issueRefresh(robot, NOW);

        assertThat(SignedJWT.parse(access).getJWTClaimsSet().getLongClaim("berth_credentials")).isEqualTo(since.toEpochMilli());
        assertThat(tokens.verify(access).robotCredentials()).hasValue(since);
        assertThat(tokens.verify(refresh).robotCredentials()).hasValue(since);
        assertThat(tokens.verify(tokens.issueAccess(RELENG, List.of(), NOW)).robotCredentials()).isEmpty();
    }

    @Test
    void theTokenCarriesTheClaimsOfTheSpec() throws Exception {
        String serialized = tokens.issueAccess(new Principal.Robot("osbs"),
                List.of(Scope.repository("candidate/app", EnumSet.of(Action.PUSH))), NOW);

        SignedJWT jwt = SignedJWT.parse(serialized);
        JWTClaimsSet claims = jwt.getJWTClaimsSet();
        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
        assertThat(jwt.getHeader().getKeyID()).isEqualTo(key.getKeyID());
        assertThat(claims.getIssuer()).isEqualTo(ISSUER);
        assertThat(claims.getSubject()).isEqualTo("robot$osbs");
        assertThat(claims.getAudience()).containsExactly(AUDIENCE);
        assertThat(claims.getIssueTime().toInstant()).isEqualTo(NOW);
        assertThat(claims.getNotBeforeTime().toInstant()).isEqualTo(NOW);
        assertThat(claims.getExpirationTime().toInstant()).isEqualTo(NOW.plus(LIFETIME));
        assertThat(claims.getJWTID()).isNotBlank();
        assertThat(claims.getClaim("access")).isEqualTo(
                List.of(Map.of("type", "repository", "name", "candidate/app", "actions", List.of("push"))));
    }

    @Test
    void anAnonymousTokenHasAnEmptySubject() {
        AccessToken token = tokens.verify(tokens.issueAccess(new Principal.Anonymous(), List.of(), NOW));

        assertThat(token.subject()).isEmpty();
        assertThat(token.access()).isEmpty();
    }

    @Test
    void aRefreshTokenIsToldApartAndGrantsNothing() {
        AccessToken refresh = tokens.verify(tokens.issueRefresh(RELENG, NOW));
        AccessToken access = tokens.verify(tokens.issueAccess(RELENG, List.of(), NOW));

        assertThat(refresh.refresh()).isTrue();
        assertThat(refresh.subject()).isEqualTo("releng");
        assertThat(refresh.access()).isEmpty();
        assertThat(refresh.expires()).isAfter(NOW.plus(Duration.ofDays(1)));
        assertThat(access.refresh()).isFalse();
    }

    @Test
    void anUnsignedTokenIsRefused() {
        String unsigned = new PlainJWT(claims(ISSUER, AUDIENCE, NOW, NOW.plus(LIFETIME))).serialize();

        assertRefused(() -> tokens.verify(unsigned));
    }

    @Test
    void anUnsignedTokenWithTheSignatureOfASignedOneIsRefused() {
        String[] signed = tokens.issueAccess(RELENG, List.of(), NOW).split("\\.");
        String none = Base64URL.encode("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)).toString();

        assertRefused(() -> tokens.verify(none + "." + signed[1] + "." + signed[2]));
        assertRefused(() -> tokens.verify(none + "." + signed[1] + "."));
    }

    @Test
    void aTokenSignedWithASharedSecretIsRefused() throws Exception {
        // The algorithm-confusion attack: HMAC keyed with the verifier's public key.
        byte[] secret = key.toECPublicKey().getEncoded();
        String token = sign(JWSAlgorithm.HS256, new MACSigner(java.util.Arrays.copyOf(secret, 64)), key.getKeyID(),
                claims(ISSUER, AUDIENCE, NOW, NOW.plus(LIFETIME)));

        assertRefused(() -> tokens.verify(token));
    }

    @Test
    void aTokenSignedByAnotherKeyIsRefusedEvenUnderOurKeyId() throws JOSEException {
        String token = sign(JWSAlgorithm.ES256, new ECDSASigner(newEcKey()), key.getKeyID(),
                claims(ISSUER, AUDIENCE, NOW, NOW.plus(LIFETIME)));

        assertRefused(() -> tokens.verify(token));
    }

    @Test
    void aTokenWhoseClaimsWereChangedIsRefused() {
        String[] parts = tokens.issueAccess(RELENG, List.of(Scope.repository("library/app", EnumSet.of(Action.PULL))), NOW)
                .split("\\.");
        String payload = new Base64URL(parts[1]).decodeToString();
        String widened = Base64URL.encode(payload.replace("\"pull\"", "\"push\"").getBytes(StandardCharsets.UTF_8)).toString();
        assertThat(widened).isNotEqualTo(parts[1]);

        assertRefused(() -> tokens.verify(parts[0] + "." + widened + "." + parts[2]));
    }

    @Test
    void anExpiredTokenIsRefusedOnceTheClockSkewHasPassed() {
        String token = tokens.issueAccess(RELENG, List.of(), NOW);

        clock.set(NOW.plus(LIFETIME).plusSeconds(29));
        assertThat(tokens.verify(token).subject()).isEqualTo("releng");

        clock.set(NOW.plus(LIFETIME).plusSeconds(31));
        assertRefused(() -> tokens.verify(token));
    }

    @Test
    void aTokenNotValidYetIsRefusedBeyondTheClockSkew() {
        assertThat(tokens.verify(tokens.issueAccess(RELENG, List.of(), NOW.plusSeconds(29))).subject()).isEqualTo("releng");

        String early = tokens.issueAccess(RELENG, List.of(), NOW.plusSeconds(31));

        assertRefused(() -> tokens.verify(early));
    }

    @Test
    void aTokenWithoutExpiryIsRefused() throws JOSEException {
        JWTClaimsSet noExpiry = new JWTClaimsSet.Builder(claims(ISSUER, AUDIENCE, NOW, NOW)).expirationTime(null).build();

        String token = sign(JWSAlgorithm.ES256, new ECDSASigner(key), key.getKeyID(), noExpiry);

        assertRefused(() -> tokens.verify(token));
    }

    @Test
    void aTokenForAnotherAudienceIsRefused() {
        TokenService otherService = new TokenService(key, ISSUER, "elsewhere.example", LIFETIME, Map.of(), clock);

        String token = otherService.issueAccess(RELENG, List.of(), NOW);

        assertRefused(() -> tokens.verify(token));
    }

    @Test
    void aTokenOfAnotherIssuerIsRefusedEvenWithOurKey() throws JOSEException {
        TokenService otherIssuer = new TokenService(key, "impostor", AUDIENCE, LIFETIME, Map.of(), clock);
        String withoutIssuer = sign(JWSAlgorithm.ES256, new ECDSASigner(key), key.getKeyID(),
                new JWTClaimsSet.Builder(claims(ISSUER, AUDIENCE, NOW, NOW.plus(LIFETIME))).issuer(null).build());

        assertRefused(() -> tokens.verify(otherIssuer.issueAccess(RELENG, List.of(), NOW)));
        assertRefused(() -> tokens.verify(withoutIssuer));
    }

    @Test
    void somethingThatIsNotATokenIsRefused() {
        assertRefused(() -> tokens.verify(""));
        assertRefused(() -> tokens.verify("not.a.token"));
        assertRefused(() -> tokens.verify("releng:password"));
    }

    @Test
    void aTrustedIssuersEs256TokenFromItsJwksIsAccepted() throws Exception {
        ECKey external = new ECKeyGenerator(Curve.P_256).keyID("sso-ec").generate();
        TokenService trusting = trusting("sso", external);
        JWTClaimsSet claims = new JWTClaimsSet.Builder(claims("sso", AUDIENCE, NOW, NOW.plus(LIFETIME)))
                .claim("access", List.of(Map.of("type", "repository", "name", "library/app", "actions", List.of("pull"))))
                .build();

        AccessToken token = trusting.verify(sign(JWSAlgorithm.ES256, new ECDSASigner(external), "sso-ec", claims));

        assertThat(token.issuer()).isEqualTo("sso");
        assertThat(token.subject()).isEqualTo("releng");
        assertThat(token.access()).containsExactly(Scope.repository("library/app", EnumSet.of(Action.PULL)));
    }

    @Test
    void aTrustedIssuersRs256TokenIsAccepted() throws Exception {
        RSAKey external = new RSAKeyGenerator(2048).keyID("sso-rsa").generate();
        TokenService trusting = trusting("sso", external);
        JWTClaimsSet claims = new JWTClaimsSet.Builder(claims("sso", AUDIENCE, NOW, NOW.plus(LIFETIME)))
                .claim("access", List.of(Map.of("type", "repository", "name", "library/app", "actions", List.of("*"))))
                .build();

        AccessToken token = trusting.verify(sign(JWSAlgorithm.RS256, new RSASSASigner(external), "sso-rsa", claims));

        assertThat(token.issuer()).isEqualTo("sso");
        assertThat(token.access()).containsExactly(Scope.repository("library/app", EnumSet.allOf(Action.class)));
    }

    @Test
    void ourOwnTokensStayValidBesideTrustedIssuers() throws Exception {
        TokenService trusting = trusting("sso", new ECKeyGenerator(Curve.P_256).generate());

        assertThat(trusting.verify(trusting.issueAccess(RELENG, List.of(), NOW)).issuer()).isEqualTo(ISSUER);
    }

    @Test
    void eachIssuerIsTrustedOnlyWithItsOwnKeys() throws Exception {
        ECKey external = new ECKeyGenerator(Curve.P_256).keyID("sso-ec").generate();
        TokenService trusting = trusting("sso", external);

        String ssoClaimsOurKey = sign(JWSAlgorithm.ES256, new ECDSASigner(key), key.getKeyID(),
                claims("sso", AUDIENCE, NOW, NOW.plus(LIFETIME)));
        String ourClaimsSsoKey = sign(JWSAlgorithm.ES256, new ECDSASigner(external), "sso-ec",
                claims(ISSUER, AUDIENCE, NOW, NOW.plus(LIFETIME)));

        assertRefused(() -> trusting.verify(ssoClaimsOurKey));
        assertRefused(() -> trusting.verify(ourClaimsSsoKey));
    }

    @Test
    void aTrustedIssuersTokenForAnotherAudienceOrExpiredIsRefused() throws Exception {
        ECKey external = new ECKeyGenerator(Curve.P_256).keyID("sso-ec").generate();
        TokenService trusting = trusting("sso", external);

        String otherAudience = sign(JWSAlgorithm.ES256, new ECDSASigner(external), "sso-ec",
                claims("sso", "elsewhere.example", NOW, NOW.plus(LIFETIME)));
        String expired = sign(JWSAlgorithm.ES256, new ECDSASigner(external), "sso-ec",
                claims("sso", AUDIENCE, NOW.minus(Duration.ofHours(1)), NOW.minus(Duration.ofMinutes(55))));

        assertRefused(() -> trusting.verify(otherAudience));
        assertRefused(() -> trusting.verify(expired));
    }

    /** A token service that also trusts {@code issuer}'s key, read from a JWKS file as configured. */
    private TokenService trusting(String issuer, JWK external) throws IOException {
        Path jwks = Files.writeString(directory.resolve(issuer + ".jwks.json"),
                new JWKSet(external.toPublicJWK()).toString());
        return new TokenService(key, ISSUER, AUDIENCE, LIFETIME, Map.of(issuer, SigningKeys.trustedKeys(jwks, true)), clock);
    }

    private static JWTClaimsSet claims(String issuer, String audience, Instant issuedAt, Instant expires) {
        return new JWTClaimsSet.Builder()
                .issuer(issuer)
                .subject("releng")
                .audience(audience)
                .issueTime(Date.from(issuedAt))
                .notBeforeTime(Date.from(issuedAt))
                .expirationTime(Date.from(expires))
                .jwtID("test-token")
                .claim("access", List.of(Map.of("type", "repository", "name", "library/app", "actions", List.of("pull"))))
                .build();
    }

    private static String sign(JWSAlgorithm algorithm, JWSSigner signer, String keyId, JWTClaimsSet claims)
            throws JOSEException {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(algorithm).type(JOSEObjectType.JWT).keyID(keyId).build(), claims);
        jwt.sign(signer);
        return jwt.serialize();
    }

    private static ECKey newEcKey() {
        try {
            return new ECKeyGenerator(Curve.P_256).keyIDFromThumbprint(true).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void assertRefused(ThrowingCallable verification) {
        assertThatExceptionOfType(InvalidTokenException.class).isThrownBy(verification);
    }
}
