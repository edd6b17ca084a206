package io.berth.auth;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks user names and passwords: {@code robot$NAME} with a robot secret, anything else against
 * the htpasswd file. Successful bcrypt checks are remembered briefly (by a hash of the password),
 * so that clients sending Basic credentials with every request do not pay for bcrypt each time.
 */
public final class Authenticator {
    private static final Duration REMEMBER = Duration.ofMinutes(1);
    private static final int REMEMBERED_MAX = 10_000;

    private final Optional<HtpasswdUsers> users;
    private final Map<String, Set<String>> groupsByUser;
    private final RobotAccounts robots;
    private final Clock clock;
    private final Map<String, Instant> recentlyVerified = new ConcurrentHashMap<>();

    public Authenticator(Optional<HtpasswdUsers> users, Map<String, List<String>> groups, RobotAccounts robots, Clock clock) {
        this.users = users;
        this.groupsByUser = invert(groups);
        this.robots = robots;
        this.clock = clock;
    }

    private static Map<String, Set<String>> invert(Map<String, List<String>> groups) {
        Map<String, Set<String>> byUser = new java.util.HashMap<>();
        groups.forEach((group, members) -> members.forEach(
                member -> byUser.computeIfAbsent(member, key -> new HashSet<>()).add(group)));
        return Map.copyOf(byUser);
    }

    /** The principal these credentials prove, or empty when they prove nothing. */
    public Optional<Principal> authenticate(String username, String password) {
        if (username.startsWith(Principal.Robot.USERNAME_PREFIX)) {
            String name = username.substring(Principal.Robot.USERNAME_PREFIX.length());
            return robots.robot(name)
                    .filter(robot -> RobotSecrets.matches(password, robot.secretHash()))
                    .map(robot -> new Principal.Robot(name, Optional.of(robot.credentialsSince())));
        }
        if (users.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> storedHash = users.get().hashOf(username);
        if (storedHash.isEmpty()) {
            // As slow as a known user's wrong password, so the answer's timing hides who exists.
            users.get().verify(username, password);
            return Optional.empty();
        }
        // Keyed by the stored hash too: a password changed in the file is never served from memory.
        String key = username + "\u0000" + storedHash.get() + "\u0000" + RobotSecrets.hash(password);
        Instant now = clock.instant();
        Instant verifiedAt = recentlyVerified.get(key);
        if (verifiedAt == null || verifiedAt.plus(REMEMBER).isBefore(now)) {
            if (!users.get().verify(username, password)) {
                recentlyVerified.remove(key);
                return Optional.empty();
            }
            if (recentlyVerified.size() > REMEMBERED_MAX) {
                recentlyVerified.clear();
            }
            recentlyVerified.put(key, now);
        }
        return Optional.of(user(username));
    }

    /**
     * The principal one of Berth's own tokens speaks for, as it stands now: a revoked robot or a
     * removed user is no longer anyone, and neither is a robot whose secret was rotated, or whose
     * name was given to a new robot, after the token was issued: a robot's token names the secret
     * it was issued for (when that secret was issued, to the millisecond), and only the robot's
     * current secret counts. A robot's token that names none speaks for nobody.
     */
    public Optional<Principal> principalFor(AccessToken token) {
        String subject = token.subject();
        if (subject == null || subject.isEmpty()) {
            return Optional.of(new Principal.Anonymous());
        }
        if (subject.startsWith(Principal.Robot.USERNAME_PREFIX)) {
            String name = subject.substring(Principal.Robot.USERNAME_PREFIX.length());
            return robots.robot(name)
                    .filter(robot -> token.robotCredentials().map(Instant::toEpochMilli)
                            .equals(Optional.of(robot.credentialsSince().toEpochMilli())))
                    .map(robot -> new Principal.Robot(name, Optional.of(robot.credentialsSince())));
        }
        return users.filter(file -> file.exists(subject)).map(file -> user(subject));
    }

    private Principal user(String name) {
        return new Principal.User(name, groupsByUser.getOrDefault(name, Set.of()));
    }

    /** Decodes an HTTP Basic credential ({@code base64(user:password)}). */
    public static Optional<String[]> decodeBasic(String encoded) {
        try {
            String decoded = new String(java.util.Base64.getDecoder().decode(encoded.trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon < 0 ? Optional.empty() : Optional.of(new String[]{decoded.substring(0, colon), decoded.substring(colon + 1)});
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
