package io.berth.integrity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The rate limit sleeps off exactly what the reader is ahead of the rate, on a fake clock. */
class ByteRateTest {
    private long now;
    private final List<Duration> sleeps = new ArrayList<>();

    private ByteRate rate(long bytesPerSecond) {
        return new ByteRate(OptionalLong.of(bytesPerSecond), () -> now, duration -> {
            sleeps.add(duration);
            now += duration.toNanos();
        });
    }

    @Test
    void aFastReaderIsHeldToTheRate() throws InterruptedException {
        ByteRate rate = rate(1000);

        for (int i = 0; i < 11; i++) {
            rate.acquire(500);
        }

        assertThat(Duration.ofNanos(now)).as("5,000 bytes at 1,000 a second").isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void aReaderSlowerThanTheRateNeverSleeps() throws InterruptedException {
        ByteRate rate = rate(1000);

        for (int i = 0; i < 5; i++) {
            rate.acquire(500);
            now += Duration.ofSeconds(1).toNanos();
        }

        assertThat(sleeps).isEmpty();
    }

    @Test
    void withoutALimitNothingWaits() throws InterruptedException {
        ByteRate unlimited = new ByteRate(OptionalLong.empty(), () -> now, sleeps::add);

        unlimited.acquire(Long.MAX_VALUE / 2);
        unlimited.acquire(Long.MAX_VALUE / 2);

        assertThat(sleeps).isEmpty();
    }

    @Test
    void aRateBelowOneByteASecondIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> rate(0));
    }
}
