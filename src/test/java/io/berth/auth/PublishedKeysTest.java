package io.berth.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import io.berth.testing.LogCapture;
import io.berth.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Nodes sharing one metadata database each sign with a key of their own and verify each other's
 * tokens through the public keys they published there; nothing else counts as another node's key.
 */
class PublishedKeysTest {
    private static final Instant NOW = Instant.parse("2025-01-01T12:00:00Z");
    private static final String ISSUER = "berth";
    private static final String AUDIENCE = "registry.example";
    private static final Principal ROBOT = new Principal.Robot("osbs");
    private static final List<Scope> PUSH = List.of(Scope.repository("candidate/app", EnumSet.of(Action.PULL, Action.PUSH)));

    private final MutableClock clock = new MutableClock(NOW);
    /** Published keys by id, with when each was last published. */
    private final Map<String, Map.Entry<String, Instant>> database = new HashMap<>();
    private final AtomicInteger reads = new AtomicInteger();
    private final ECKey firstKey = newKey();
    private final ECKey secondKey = newKey();
    private final TokenService first = node(firstKey);
    private final TokenService second = node(secondKey);

    @Test
    void aTokenOneNodeIssuedVerifiesOnAnotherThatSharesItsDatabase() {
        publish(firstKey);
        publish(secondKey);

        AccessToken verified = second.verify(first.issueAccess(ROBOT, PUSH, NOW));

        assertThat(verified.subject()).isEqualTo("robot$osbs");
        assertThat(verified.grants("candidate/app", Action.PUSH)).isTrue();
        assertThat(first.verify(second.issueAccess(ROBOT, PUSH, NOW)).grants("candidate/app", Action.PUSH)).isTrue();
    }

    @Test
    void aNodePublishedAMomentAgoIsKnownWithinTheReloadInterval() {
        String token = first.issueAccess(ROBOT, PUSH, NOW);
        assertThatExceptionOfType(InvalidTokenException.class).isThrownBy(() -> second.verify(token));

        publish(firstKey);
        clock.advance(PublishedKeys.RELOAD_INTERVAL);

        assertThat(second.verify(token).subject()).isEqualTo("robot$osbs");
    }

    @Test
    void theTokensOfANodeThatStoppedPublishingStopVerifyingWithinLivenessAndKnownFor() {
        publish(firstKey);
        String token = first.issueAccess(ROBOT, PUSH, NOW.plus(Duration.ofMinutes(5)));
        clock.advance(Duration.ofMinutes(5));
        assertThat(second.verify(first.issueAccess(ROBOT, PUSH, clock.instant())).subject()).isEqualTo("robot$osbs");

        clock.advance(PublishedKeys.LIVENESS.plus(PublishedKeys.KNOWN_FOR).minus(Duration.ofMinutes(5)).plusSeconds(1));

        assertThatExceptionOfType(InvalidTokenException.class).isThrownBy(() -> second.verify(token));
    }

    @Test
    void aNodePublishingAgainStaysKnown() {
        publish(firstKey);
        for (int minute = 0; minute < 20; minute++) {
            clock.advance(PublishedKeys.REPUBLISH_INTERVAL);
            publish(firstKey);
            assertThat(second.verify(first.issueAccess(ROBOT, PUSH, clock.instant())).subject()).isEqualTo("robot$osbs");
        }
    }

    @Test
    void madeUpKeyIdsCostAtMostOneReadPerInterval() {
        String token = first.issueAccess(ROBOT, PUSH, NOW);
        for (int i = 0; i < 50; i++) {
            assertThatExceptionOfType(InvalidTokenException.class).isThrownBy(() -> second.verify(token));
        }

        assertThat(reads).hasValue(1);
    }

    @Test
    void anEntryWhoseIdIsNotItsKeysThumbprintIsIgnored() throws JOSEException {
        // A row claiming the first node's key id but holding another key: its tokens must not verify.
        ECKey forger = new ECKeyGenerator(Curve.P_256).keyID(firstKey.getKeyID()).generate();
        database.put(firstKey.getKeyID(), Map.entry(forger.toPublicJWK().toJSONString(), clock.instant()));
        TokenService forging = new TokenService(forger, ISSUER, AUDIENCE, Duration.ofMinutes(5), Map.of(), clock);

        assertThatExceptionOfType(InvalidTokenException.class)
                .isThrownBy(() -> second.verify(forging.issueAccess(ROBOT, PUSH, NOW)))
                .withMessageContaining("signature");
    }

    @Test
    void anotherIssuersTokenIsNeverLookedUpAmongTheNodes() {
        publish(firstKey);
        TokenService elsewhere = new TokenService(firstKey, "another-issuer", AUDIENCE, Duration.ofMinutes(5), Map.of(), clock);

        assertThatExceptionOfType(InvalidTokenException.class)
                .isThrownBy(() -> second.verify(elsewhere.issueAccess(ROBOT, PUSH, NOW)))
                .withMessageContaining("issuer");
        assertThat(reads).hasValue(0);
    }

    @Test
    void aTokenOfAKeyNoNodePublishedIsLoggedOnceAMinuteSayingWhatToDo() {
        String token = first.issueAccess(ROBOT, PUSH, NOW);
        try (LogCapture log = LogCapture.start()) {
            for (int i = 0; i < 3; i++) {
                assertThatExceptionOfType(InvalidTokenException.class).isThrownBy(() -> second.verify(token));
                clock.advance(Duration.ofSeconds(10));
            }

            assertThat(log.lines("WARN", "TokenService")).singleElement().asString()
                    .contains(firstKey.getKeyID(), secondKey.getKeyID(), "auth.signing-key", "docs/scale-out.md");
        }
    }

    private TokenService node(ECKey key) {
        PublishedKeys published = new PublishedKeys(since -> {
            reads.incrementAndGet();
            Map<String, String> running = new HashMap<>();
            database.forEach((id, entry) -> {
                if (!entry.getValue().isBefore(since)) {
                    running.put(id, entry.getKey());
                }
            });
            return running;
        }, clock);
        return new TokenService(key, ISSUER, AUDIENCE, Duration.ofMinutes(5), Map.of(), published, clock);
    }

    private void publish(ECKey key) {
        database.put(key.getKeyID(), Map.entry(key.toPublicJWK().toJSONString(), clock.instant()));
    }

    private static ECKey newKey() {
        try {
            return new ECKeyGenerator(Curve.P_256).keyIDFromThumbprint(true).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
