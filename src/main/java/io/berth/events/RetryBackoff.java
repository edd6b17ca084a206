package io.berth.events;

import java.time.Duration;

/**
 * How long an event waits before its next delivery attempt: {@code initial} after the first failed
 * attempt, doubling after each further one, never more than {@code maximum}.
 */
public record RetryBackoff(Duration initial, Duration maximum) {
    /** 1 s, 2 s, 4 s, … up to 5 minutes. */
    public static final RetryBackoff DEFAULT = new RetryBackoff(Duration.ofSeconds(1), Duration.ofMinutes(5));

    public RetryBackoff {
        if (initial.isNegative() || initial.isZero() || maximum.compareTo(initial) < 0) {
            throw new IllegalArgumentException("a backoff needs 0 < initial <= maximum");
        }
    }

    /** The wait after {@code failedAttempts} (at least 1) failed attempts in a row. */
    public Duration after(int failedAttempts) {
        int doublings = Math.min(Math.max(failedAttempts, 1) - 1, 30);
        long millis = initial.toMillis() << doublings;
        return millis <= 0 || millis > maximum.toMillis() ? maximum : Duration.ofMillis(millis);
    }
}
