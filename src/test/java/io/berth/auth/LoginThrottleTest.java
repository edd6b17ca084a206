package io.berth.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Login throttling: {@link LoginThrottle#MAX_FAILURES} failures of one user name from one address
 * within {@link LoginThrottle#WINDOW} (counted from the first failure) make that pair wait until
 * the window has passed; a success clears the count.
 */
class LoginThrottleTest {
    private static final String ADDRESS = "192.0.2.7";

    private final MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
    private final LoginThrottle throttle = new LoginThrottle(clock);

    @Test
    void fiveFailuresMakeTheCallerWaitForTheRestOfTheWindow() {
        fail("releng", ADDRESS, LoginThrottle.MAX_FAILURES - 1);
        assertThat(throttle.retryAfter("releng", ADDRESS)).isEmpty();

        fail("releng", ADDRESS, 1);

        assertThat(LoginThrottle.MAX_FAILURES).isEqualTo(5);
        assertThat(throttle.retryAfter("releng", ADDRESS)).hasValue(LoginThrottle.WINDOW);
    }

    @Test
    void theWaitShrinksAsTimePassesAndEndsWithTheWindow() {
        fail("releng", ADDRESS, 5);

        clock.advance(Duration.ofSeconds(45));
        assertThat(throttle.retryAfter("releng", ADDRESS)).hasValue(LoginThrottle.WINDOW.minusSeconds(45));

        clock.advance(LoginThrottle.WINDOW.minusSeconds(45));
        assertThat(throttle.retryAfter("releng", ADDRESS)).isEmpty();
    }

    @Test
    void afterTheWindowTheCountStartsAgain() {
        fail("releng", ADDRESS, 5);
        clock.advance(LoginThrottle.WINDOW.plusSeconds(1));

        fail("releng", ADDRESS, 4);

        assertThat(throttle.retryAfter("releng", ADDRESS)).isEmpty();
    }

    @Test
    void failuresFurtherApartThanTheWindowDoNotAddUp() {
        fail("releng", ADDRESS, 4);
        clock.advance(LoginThrottle.WINDOW.plusSeconds(1));

        fail("releng", ADDRESS, 1);

        assertThat(throttle.retryAfter("releng", ADDRESS)).isEmpty();
    }

    @Test
    void theWindowIsCountedFromTheFirstFailure() {
        fail("releng", ADDRESS, 1);
        clock.advance(Duration.ofSeconds(50));

        fail("releng", ADDRESS, 4);

        assertThat(throttle.retryAfter("releng", ADDRESS)).hasValue(Duration.ofSeconds(10));
    }

    @Test
    void aSuccessClearsTheCount() {
        fail("releng", ADDRESS, 4);

        throttle.succeeded("releng", ADDRESS);
        fail("releng", ADDRESS, 4);

        assertThat(throttle.retryAfter("releng", ADDRESS)).isEmpty();
    }

    @Test
    void otherUserNamesAndOtherAddressesAreCountedApart() {
        fail("releng", ADDRESS, 5);

        assertThat(throttle.retryAfter("admin", ADDRESS)).isEmpty();
        assertThat(throttle.retryAfter("releng", "198.51.100.1")).isEmpty();
        assertThat(throttle.retryAfter("releng", ADDRESS)).isPresent();
    }

    private void fail(String username, String address, int times) {
        for (int i = 0; i < times; i++) {
            throttle.failed(username, address);
        }
    }
}
