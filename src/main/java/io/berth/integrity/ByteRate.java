package io.berth.integrity;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.function.LongSupplier;

/**
 * Keeps reading at or below a number of bytes per second, on average since the first byte: before
 * each read the caller {@linkplain #acquire acquires} the bytes, and is put to sleep while it is
 * ahead of the rate. So a check can run beside a serving registry without taking its disk or its
 * object store's bandwidth. Time comes from an injected ticker and sleeper, so tests need no clock.
 */
public final class ByteRate {
    private final OptionalLong bytesPerSecond;
    private final LongSupplier nanoTime;
    private final Sleeper sleeper;
    private long startNanos;
    private long acquired;

    /** Sleeps for a while; {@link Thread#sleep(Duration)} in production. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    public ByteRate(OptionalLong bytesPerSecond, LongSupplier nanoTime, Sleeper sleeper) {
        if (bytesPerSecond.isPresent() && bytesPerSecond.getAsLong() < 1) {
            throw new IllegalArgumentException("a rate limit must be at least 1 byte per second");
        }
        this.bytesPerSecond = bytesPerSecond;
        this.nanoTime = nanoTime;
        this.sleeper = sleeper;
    }

    /** No limit. */
    public static ByteRate unlimited() {
        return new ByteRate(OptionalLong.empty(), System::nanoTime, Thread::sleep);
    }

    /** At most {@code bytesPerSecond} on average, in real time. */
    public static ByteRate of(long bytesPerSecond) {
        return new ByteRate(OptionalLong.of(bytesPerSecond), System::nanoTime, Thread::sleep);
    }

    /** Returns once {@code bytes} more may be read without going over the rate. */
    public void acquire(long bytes) throws InterruptedException {
        if (bytesPerSecond.isEmpty()) {
            return;
        }
        long now = nanoTime.getAsLong();
        if (acquired == 0) {
            startNanos = now;
        }
        // The bytes read so far may have taken this long at the rate; sleep off what we are ahead.
        long dueNanos = (long) ((double) acquired * 1_000_000_000L / bytesPerSecond.getAsLong());
        long aheadNanos = dueNanos - (now - startNanos);
        if (aheadNanos > 0) {
            sleeper.sleep(Duration.ofNanos(aheadNanos));
        }
        acquired += bytes;
    }
}
