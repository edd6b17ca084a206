package io.berth.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows down password guessing at the token endpoint: after {@link #MAX_FAILURES} failed logins
 * for one user name from one address within {@link #WINDOW}, further attempts are refused until
 * the window has passed. A successful login clears the count.
 */
public final class LoginThrottle {
    public static final int MAX_FAILURES = 5;
    public static final Duration WINDOW = Duration.ofMinutes(1);
    private static final int TRACKED_MAX = 100_000;

    private record Failures(int count, Instant firstAt) {
    }

    private final Map<String, Failures> failures = new ConcurrentHashMap<>();
    private final Clock clock;

    public LoginThrottle(Clock clock) {
        this.clock = clock;
    }

    /** How long {@code username} from {@code address} must wait, or empty when it may try now. */
    public Optional<Duration> retryAfter(String username, String address) {
        Failures current = failures.get(key(username, address));
        if (current == null || current.count() < MAX_FAILURES) {
            return Optional.empty();
        }
        Duration left = Duration.between(clock.instant(), current.firstAt().plus(WINDOW));
        if (left.isNegative() || left.isZero()) {
            failures.remove(key(username, address));
            return Optional.empty();
        }
        return Optional.of(left);
    }

    public void failed(String username, String address) {
        if (failures.size() > TRACKED_MAX) {
            failures.clear();
        }
        Instant now = clock.instant();
        failures.merge(key(username, address), new Failures(1, now), (old, one) ->
                old.firstAt().plus(WINDOW).isBefore(now) ? one : new Failures(old.count() + 1, old.firstAt()));
    }

    public void succeeded(String username, String address) {
        failures.remove(key(username, address));
    }

    private static String key(String username, String address) {
        return username + "\u0000" + address;
    }
}
