package io.berth.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import io.berth.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Fuzzes what Berth parses out of an {@code Authorization} header and a token request: bearer
 * tokens (as sent, and as claims signed by a trusted key, so that the claim parsing behind the
 * signature check is reached), Basic credentials, and {@code scope} parameters. Properties: a bad
 * token fails only with {@link InvalidTokenException} (a 401, never a 500); Basic and scope parsing
 * never throw, and what they accept is what was sent.
 */
class CredentialParsingFuzzTest {
    private static final Instant NOW = Instant.parse("2025-01-01T12:00:00Z");
    private static final String ISSUER = "berth";
    private static final String AUDIENCE = "registry.example";
    private static final TokenService TOKENS = new TokenService(SigningKeysFixture.KEY, ISSUER, AUDIENCE,
            Duration.ofMinutes(5), Map.of(), new MutableClock(NOW));

    @FuzzTest(maxDuration = "2m")
    void bearerTokens(byte @NotNull [] input) {
        verify(new String(input, StandardCharsets.UTF_8));
    }

    /** Any bytes as the claims of a token that Berth's own key signed. */
    @FuzzTest(maxDuration = "2m")
    void signedClaims(byte @NotNull [] claims) throws JOSEException {
        JWSObject token = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.ES256).type(JOSEObjectType.JWT)
                .keyID(SigningKeysFixture.KEY.getKeyID()).build(), new Payload(claims));
        token.sign(new ECDSASigner(SigningKeysFixture.KEY));
        verify(token.serialize()).ifPresent(access -> {
            assertThat(access.issuer()).isEqualTo(ISSUER);
            assertThat(access.expires()).isAfterOrEqualTo(NOW.minus(Duration.ofMinutes(1)));
        });
    }

    @FuzzTest(maxDuration = "2m")
    void basicCredentials(byte @NotNull [] input) {
        String header = new String(input, StandardCharsets.UTF_8);
        Authenticator.decodeBasic(header).ifPresent(pair -> {
            assertThat(pair).hasSize(2);
            assertThat(pair[0]).doesNotContain(":");
        });
    }

    @FuzzTest(maxDuration = "2m")
    void scopes(byte @NotNull [] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        for (Scope scope : Scope.parseAll(List.of(text))) {
            assertThat(scope.type()).isNotEmpty().doesNotContain(":");
            assertThat(scope.name()).isNotEmpty();
            assertThat(text).contains(scope.type() + ":" + scope.name() + ":");
        }
    }

    private static Optional<AccessToken> verify(String token) {
        try {
            return Optional.of(TOKENS.verify(token));
        } catch (InvalidTokenException refused) {
            return Optional.empty();
        }
    }
}
