package io.berth.auth;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Authorization decisions: which requested scopes a principal gets in a token, and whether a
 * request presenting some credential may proceed.
 */
public final class AccessController {
    private final Policy policy;
    private final Authenticator authenticator;
    private final TokenService tokens;
    private final Clock clock;

    public AccessController(Policy policy, Authenticator authenticator, TokenService tokens, Clock clock) {
        this.policy = policy;
        this.authenticator = authenticator;
        this.tokens = tokens;
        this.clock = clock;
    }

    public Authenticator authenticator() {
        return authenticator;
    }

    public TokenService tokens() {
        return tokens;
    }

    public Policy policy() {
        return policy;
    }

    /** The clock tokens are issued by. */
    public Clock clock() {
        return clock;
    }

    /** Whether {@code issuer} is Berth's own token issuer (rather than a trusted external one). */
    public boolean isOwnIssuer(String issuer) {
        return tokens.issuer().equals(issuer);
    }

    /**
     * The part of each requested scope that the policy grants {@code principal}. Scopes granting
     * nothing are kept with no actions, as the token protocol expects.
     */
    public List<Scope> grant(Principal principal, List<Scope> requested) {
        List<Scope> granted = new ArrayList<>();
        for (Scope scope : requested) {
            if (scope.isRepository()) {
                Set<Action> allowed = EnumSet.noneOf(Action.class);
                allowed.addAll(scope.actions());
                allowed.retainAll(policy.permitted(principal, scope.name()));
                granted.add(Scope.repository(scope.name(), allowed));
            } else if (scope.isCatalog()) {
                granted.add(Scope.catalog());
            }
        }
        return granted;
    }

    /** A signed access token for {@code principal} with what the policy grants of {@code requested}. */
    public IssuedToken issue(Principal principal, List<Scope> requested, boolean withRefreshToken) {
        Instant now = clock.instant();
        List<Scope> granted = grant(principal, requested);
        Optional<String> refresh = withRefreshToken && !(principal instanceof Principal.Anonymous)
                ? Optional.of(tokens.issueRefresh(principal, now)) : Optional.empty();
        return new IssuedToken(tokens.issueAccess(principal, granted, now), now, tokens.lifetime(), refresh, granted);
    }

    /**
     * A token issued by the token endpoint.
     *
     * @param granted the scopes the token grants, as {@link #grant} decided them
     */
    public record IssuedToken(String token, Instant issuedAt, java.time.Duration expiresIn, Optional<String> refreshToken,
                              List<Scope> granted) {
        public IssuedToken {
            granted = List.copyOf(granted);
        }
    }
}
