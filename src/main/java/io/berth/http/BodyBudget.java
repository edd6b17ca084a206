package io.berth.http;

import io.berth.oci.ErrorCode;
import io.berth.oci.RegistryException;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The heap that request bodies being read may take at once. Before a request reads its body it
 * reserves what it may buffer (a manifest its length, a blob chunk the store's transfer buffer, a
 * token form {@link io.berth.oci.Limits#MAX_TOKEN_FORM_BYTES}); when the budget is taken it waits
 * up to {@code wait}, first come first served, and is then refused with 503 {@code UNAVAILABLE}
 * and {@code Retry-After}. This bounds both the bytes and the number of requests buffering a body,
 * whatever clients send: the attack it stops is many connections that each make the server hold a
 * buffer and then stall.
 */
final class BodyBudget {
    /** What a refused request is told to wait before trying again. */
    static final int RETRY_AFTER_SECONDS = 1;
    /** The budget is counted in units of this many bytes, so that it fits a semaphore's permits. */
    private static final int UNIT_BYTES = 1024;

    private final Semaphore units;
    private final int totalUnits;
    private final Duration wait;

    /**
     * @param budgetBytes the bytes all reservations together may hold
     * @param wait        how long a request waits for room before it is refused
     */
    BodyBudget(long budgetBytes, Duration wait) {
        this.totalUnits = (int) Math.min(Integer.MAX_VALUE, Math.max(1, budgetBytes / UNIT_BYTES));
        this.units = new Semaphore(totalUnits, true);
        this.wait = wait;
    }

    /** A budget nothing can exhaust, for registries built without limits (tests of other behaviour). */
    static BodyBudget unbounded() {
        return new BodyBudget(Long.MAX_VALUE, Duration.ZERO);
    }

    /**
     * Reserves {@code bytes} (a reservation larger than the whole budget takes all of it, so that it
     * can still run alone); nothing is reserved for 0.
     *
     * @throws RegistryException 503 {@code UNAVAILABLE} with {@code Retry-After} when no room came within the wait
     */
    Reservation reserve(Exchange exchange, long bytes) throws InterruptedException {
        if (bytes <= 0) {
            return new Reservation(0);
        }
        int wanted = (int) Math.min(totalUnits, (bytes + UNIT_BYTES - 1) / UNIT_BYTES);
        if (!units.tryAcquire(wanted, wait.toMillis(), TimeUnit.MILLISECONDS)) {
            exchange.setHeader("Retry-After", Integer.toString(RETRY_AFTER_SECONDS));
            exchange.setHeader("Connection", "close");
            throw RegistryException.of(ErrorCode.UNAVAILABLE,
                    "too many requests are sending bodies at once; retry in " + RETRY_AFTER_SECONDS + " s");
        }
        return new Reservation(wanted);
    }

    /** Room the budget has left, in bytes (for tests and diagnostics). */
    long availableBytes() {
        return (long) units.availablePermits() * UNIT_BYTES;
    }

    /** Room taken from the budget until {@link #close()}; closing twice releases once. */
    final class Reservation implements AutoCloseable {
        private int held;

        private Reservation(int held) {
            this.held = held;
        }

        @Override
        public void close() {
            if (held > 0) {
                units.release(held);
                held = 0;
            }
        }
    }
}
