package io.berth.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.testing.MutableClock;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The login throttle slows a (user name, address) pair down after failures — 100 ms after one,
 * doubling, at most 2 s — and never refuses a correct password. Failures fade with a one-minute
 * half-life; a success forgives them. Its memory is a fixed table that floods of made-up names and
 * addresses cannot evict a real user's failures from. Time is a fake clock that the throttle's
 * sleeper moves forward, so every wait is measured exactly.
 */
class LoginThrottleTest {
    private static final InetAddress ADDRESS = address("192.0.2.7");
    private static final Optional<String> ACCEPTED = Optional.of("releng");

    private final MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
    private final List<Duration> waits = new ArrayList<>();
    /**
     * Whether waiting moves the clock. Off, a test's attempts stand for callers arriving at one
     * instant, and every count is exact; on, the failures fade while their logins wait.
     */
    private boolean waitingTakesTime;
    private final LoginThrottle throttle = new LoginThrottle(clock, duration -> {
        waits.add(duration);
        if (waitingTakesTime) {
            clock.advance(duration);
        }
    }, new Random(7));

    @Test
    void theCorrectPasswordIsAcceptedRightAfterFiftyFailuresFromTheSameAddress() {
        waitingTakesTime = true;
        fail("releng", ADDRESS, 50);
        waits.clear();

        Optional<String> login = throttle.attempt("releng", ADDRESS, () -> ACCEPTED);

        assertThat(login).isEqualTo(ACCEPTED);
        assertThat(waits).as("slowed down, never refused").containsExactly(LoginThrottle.MAX_DELAY);
    }

    @Test
    void eachFailureDoublesTheNextWaitUpToTwoSeconds() {
        assertThat(throttle.delayFor("releng", ADDRESS)).as("no failure, no wait").isZero();

        fail("releng", ADDRESS, 8);

        assertThat(waits).as("the first attempt does not wait at all").containsExactly(Duration.ofMillis(100), Duration.ofMillis(200),
                Duration.ofMillis(400), Duration.ofMillis(800), Duration.ofMillis(1600), Duration.ofMillis(2000),
                Duration.ofMillis(2000));
        assertThat(LoginThrottle.MAX_DELAY).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void failuresFadeWithAHalfLifeOfOneMinute() {
        fail("releng", ADDRESS, 4);
        clock.advance(Duration.ofHours(1));
        assertThat(throttle.delayFor("releng", ADDRESS)).as("an hour later, forgotten").isZero();

        fail("releng", ADDRESS, 3);
        Duration rightAfter = throttle.delayFor("releng", ADDRESS);
        clock.advance(LoginThrottle.HALF_LIFE);

        assertThat(rightAfter).isBetween(Duration.ofMillis(395), Duration.ofMillis(400));
        assertThat(throttle.delayFor("releng", ADDRESS)).as("three failures count as one and a half")
                .isBetween(Duration.ofMillis(135), Duration.ofMillis(145));
    }

    @Test
    void aSuccessForgivesThePairsFailures() {
        fail("releng", ADDRESS, 4);

        throttle.attempt("releng", ADDRESS, () -> ACCEPTED);

        assertThat(throttle.delayFor("releng", ADDRESS)).isZero();
    }

    @Test
    void otherUserNamesAndOtherAddressesAreCountedApart() {
        fail("releng", ADDRESS, 10);

        assertThat(throttle.delayFor("admin", ADDRESS)).isZero();
        assertThat(throttle.delayFor("releng", address("198.51.100.1"))).isZero();
        assertThat(throttle.delayFor("releng", ADDRESS)).isEqualTo(LoginThrottle.MAX_DELAY);
    }

    @Test
    void anIpv6SubscriberCountsAsOneAddressWhicheverOfItsAddressesItUses() {
        fail("releng", address("2001:db8:1:2::1"), 3);

        assertThat(throttle.delayFor("releng", address("2001:db8:1:2:ffff::9"))).isEqualTo(Duration.ofMillis(400));
        assertThat(throttle.delayFor("releng", address("2001:db8:1:3::1"))).as("another /64").isZero();
    }

    @Test
    void aFloodOfMadeUpNamesAndAddressesNeitherResetsNorEvictsARealUsersDelay() {
        fail("releng", ADDRESS, 50);
        int counters = throttle.counters();
        Random random = new Random(11);

        for (int i = 0; i < 100_000; i++) {
            byte[] bytes = new byte[4];
            random.nextBytes(bytes);
            throttle.attempt("made-up-" + i, address(bytes), Optional::empty);
        }

        assertThat(throttle.delayFor("releng", ADDRESS)).isEqualTo(LoginThrottle.MAX_DELAY);
        assertThat(throttle.counters()).as("memory is the same fixed table").isEqualTo(counters);
        assertThat((long) throttle.counters() * (Double.BYTES + Long.BYTES)).as("bytes of counters")
                .isLessThanOrEqualTo(1 << 20);
    }

    @Test
    void anUnknownNameIsCountedLikeAKnownOneSoTheDelayTellsNothingAboutWhoExists() {
        // The throttle never asks which names exist: "nobody" is slowed exactly as "releng" is.
        fail("releng", ADDRESS, 4);
        fail("nobody", ADDRESS, 4);

        assertThat(throttle.delayFor("nobody", ADDRESS)).isEqualTo(throttle.delayFor("releng", ADDRESS));
    }

    private void fail(String username, InetAddress address, int times) {
        for (int i = 0; i < times; i++) {
            assertThat(throttle.attempt(username, address, Optional::empty)).isEmpty();
        }
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static InetAddress address(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
