package io.berth.auth;

import java.time.Instant;
import java.util.List;

/**
 * A verified bearer token: who it speaks for and what it grants.
 *
 * @param issuer  the {@code iss} it was signed under
 * @param subject the {@code sub}: a user name, {@code robot$NAME}, or empty for anonymous
 * @param access  the scopes it grants
 * @param expires when it stops being valid
 * @param refresh whether it is a refresh token (good only for getting access tokens)
 * @param robotCredentials for a robot's token, when the secret it was issued for was issued
 *                         (Berth's {@code berth_credentials} claim, to the millisecond)
 */
public record AccessToken(String issuer, String subject, List<Scope> access, Instant expires, boolean refresh,
                          java.util.Optional<Instant> robotCredentials) {
    public AccessToken {
        access = List.copyOf(access);
        java.util.Objects.requireNonNull(robotCredentials);
    }

    /** A token that names no robot credentials. */
    public AccessToken(String issuer, String subject, List<Scope> access, Instant expires, boolean refresh) {
        this(issuer, subject, access, expires, refresh, java.util.Optional.empty());
    }

    /** Whether the token grants {@code action} on repository {@code name}. */
    public boolean grants(String name, Action action) {
        for (Scope scope : access) {
            if (scope.isRepository() && scope.name().equals(name) && Action.expand(scope.actions()).contains(action)) {
                return true;
            }
        }
        return false;
    }

    public boolean grantsCatalog() {
        return access.stream().anyMatch(Scope::isCatalog);
    }
}
