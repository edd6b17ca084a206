package io.berth.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What a token grants ({@code specs/docker/token.md}, "Requesting a Token"): the intersection of
 * each requested scope with what the policy permits, a scope granting nothing kept with no actions
 * ("it must not be considered an error"), and refresh tokens only for someone who logged in.
 */
class AccessControllerTest {
    private static final Instant NOW = Instant.parse("2025-01-01T12:00:00Z");

    private final MutableClock clock = new MutableClock(NOW);
    private final TokenService tokens = new TokenService(SigningKeysFixture.KEY, "berth", "berth", Duration.ofMinutes(5),
            Map.of(), clock);
    private final AccessController access = new AccessController(LockedDownPolicy.policy(),
            new Authenticator(Optional.empty(), Map.of(), new InMemoryRobots(), clock), tokens, clock);

    @Test
    void grantsTheIntersectionOfRequestAndPolicy() {
        List<Scope> granted = access.grant(LockedDownPolicy.RELENG, List.of(
                Scope.repository("candidate/app", EnumSet.of(Action.PULL, Action.PUSH)),
                Scope.repository("library/app", EnumSet.allOf(Action.class))));

        assertThat(granted).containsExactly(
                Scope.repository("candidate/app", EnumSet.of(Action.PULL)),
                Scope.repository("library/app", EnumSet.of(Action.PULL)));
    }

    @Test
    void aScopeThePolicyRefusesIsKeptWithNoActions() {
        List<Scope> granted = access.grant(LockedDownPolicy.ANONYMOUS,
                List.of(Scope.repository("candidate/app", EnumSet.of(Action.PULL))));

        assertThat(granted).containsExactly(Scope.repository("candidate/app", EnumSet.noneOf(Action.class)));
    }

    @Test
    void adminAskingForEverythingGetsEverything() {
        List<Scope> granted = access.grant(LockedDownPolicy.ADMIN,
                List.of(Scope.parse("repository:candidate/app:*").orElseThrow()));

        assertThat(granted).containsExactly(Scope.repository("candidate/app", EnumSet.allOf(Action.class)));
    }

    @Test
    void theCatalogScopeIsGrantedAndOtherRegistryScopesAreDropped() {
        List<Scope> granted = access.grant(LockedDownPolicy.ANONYMOUS,
                List.of(Scope.catalog(), Scope.parse("registry:other:*").orElseThrow()));

        assertThat(granted).containsExactly(Scope.catalog());
    }

    @Test
    void anIssuedTokenCarriesTheGrantAndItsLifetime() {
        AccessController.IssuedToken issued = access.issue(LockedDownPolicy.OSBS,
                List.of(Scope.repository("candidate/app", EnumSet.of(Action.PULL, Action.PUSH, Action.DELETE))), false);

        assertThat(issued.issuedAt()).isEqualTo(NOW);
        assertThat(issued.expiresIn()).isEqualTo(Duration.ofMinutes(5));
        assertThat(issued.refreshToken()).isEmpty();
        assertThat(issued.granted()).containsExactly(Scope.repository("candidate/app", EnumSet.of(Action.PULL, Action.PUSH)));
        assertThat(tokens.verify(issued.token()).access()).isEqualTo(issued.granted());
    }

    @Test
    void refreshTokensAreIssuedToUsersAndRobotsButNeverToAnonymous() {
        assertThat(access.issue(LockedDownPolicy.RELENG, List.of(), true).refreshToken())
                .hasValueSatisfying(token -> assertThat(tokens.verify(token).refresh()).isTrue());
        assertThat(access.issue(LockedDownPolicy.OSBS, List.of(), true).refreshToken()).isPresent();
        assertThat(access.issue(LockedDownPolicy.ANONYMOUS, List.of(), true).refreshToken()).isEmpty();
    }
}
