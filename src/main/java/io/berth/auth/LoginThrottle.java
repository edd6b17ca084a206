package io.berth.auth;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Slows password guessing down without ever locking anyone out. Every login of one user name from
 * one client address first waits {@link #delayAfter(double) a delay} that grows with that pair's
 * recent failures — none before the first failure, {@link #FIRST_DELAY} after it, doubling with
 * each further one up to {@link #MAX_DELAY} — and only then is the password checked. A correct
 * password is therefore always accepted, at most {@link #MAX_DELAY} late. Failures fade: each
 * counts half after {@link #HALF_LIFE}. A success takes the pair's failures away.
 *
 * <p>The wait comes before the check, so a guesser cannot learn a guess was wrong any sooner by
 * giving up early. Unknown user names are counted exactly like known ones (the throttle never
 * asks which names exist), so the delay tells nothing about which accounts exist.
 *
 * <p>Memory is fixed, whatever callers send: failures are counted in a table of
 * {@link #ROWS} × {@link #SLOTS_PER_ROW} decaying counters (a count-min sketch) indexed by a keyed
 * hash of the pair, with a key chosen at random when the throttle starts. Nothing is ever evicted
 * or reset to make room, so a flood of made-up names or addresses cannot take away the failures
 * counted against a real user; it can only add to other pairs' counters where it collides with
 * them in every row — which slows those pairs by at most {@link #MAX_DELAY} and fades with the
 * flood. IPv6 addresses count by their /64 network, the block one subscriber usually holds.
 */
public final class LoginThrottle {
    /** The wait after one recent failure; each further failure doubles it. */
    public static final Duration FIRST_DELAY = Duration.ofMillis(100);
    /** No login ever waits longer than this. */
    public static final Duration MAX_DELAY = Duration.ofSeconds(2);
    /** A failure counts half after this long, a quarter after twice as long, and so on. */
    public static final Duration HALF_LIFE = Duration.ofMinutes(1);
    static final int ROWS = 2;
    static final int SLOTS_PER_ROW = 1 << 15;

    /** Waits; the server's is {@link Thread#sleep(Duration)}, a test's moves its clock. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private final Clock clock;
    private final Sleeper sleeper;
    /** SHA-256 that has read the random key: a hash of the pair that callers cannot predict. */
    private final MessageDigest keyedDigest;
    /** Failures per slot as they stood at {@link #updatedAt}, in epoch milliseconds. */
    private final double[][] failures = new double[ROWS][SLOTS_PER_ROW];
    private final long[][] updatedAt = new long[ROWS][SLOTS_PER_ROW];

    public LoginThrottle(Clock clock) {
        this(clock, Thread::sleep, new SecureRandom());
    }

    /** @param random picks the key of the slots' hash, so that callers cannot aim at a pair's slots */
    public LoginThrottle(Clock clock, Sleeper sleeper, java.util.Random random) {
        this.clock = clock;
        this.sleeper = sleeper;
        byte[] key = new byte[32];
        random.nextBytes(key);
        try {
            this.keyedDigest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
        keyedDigest.update(key);
    }

    /**
     * Waits as long as {@code username}'s recent failures from {@code address} call for, then runs
     * {@code check} and counts its outcome: empty is a failure, anything else a success.
     *
     * @return what {@code check} returned; empty as well when the wait was interrupted (the server
     *         is stopping), without running it
     */
    public <T> Optional<T> attempt(String username, InetAddress address, Supplier<Optional<T>> check) {
        int[] slots = slots(username, address);
        Duration wait = delayAfter(failures(slots));
        if (!wait.isZero()) {
            try {
                sleeper.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
        Optional<T> outcome = check.get();
        if (outcome.isPresent()) {
            forgive(slots);
        } else {
            count(slots);
        }
        return outcome;
    }

    /** How long the next login of {@code username} from {@code address} would wait now. */
    public Duration delayFor(String username, InetAddress address) {
        return delayAfter(failures(slots(username, address)));
    }

    /** The counters this throttle holds, the same however many names and addresses it has seen. */
    public int counters() {
        return ROWS * SLOTS_PER_ROW;
    }

    /**
     * The wait after {@code failures} recent failures: none below one, then {@link #FIRST_DELAY}
     * doubling with each further failure, at most {@link #MAX_DELAY}.
     */
    static Duration delayAfter(double failures) {
        if (failures < 1) {
            return Duration.ZERO;
        }
        double millis = FIRST_DELAY.toMillis() * Math.pow(2, Math.min(failures - 1, 32));
        return Duration.ofMillis((long) Math.min(millis, MAX_DELAY.toMillis()));
    }

    /** The pair's recent failures: the smallest of its counters, each decayed to now. */
    private synchronized double failures(int[] slots) {
        long now = clock.millis();
        double least = Double.MAX_VALUE;
        for (int row = 0; row < ROWS; row++) {
            least = Math.min(least, decayed(row, slots[row], now));
        }
        return least;
    }

    private synchronized void count(int[] slots) {
        long now = clock.millis();
        for (int row = 0; row < ROWS; row++) {
            set(row, slots[row], decayed(row, slots[row], now) + 1, now);
        }
    }

    /**
     * Takes the pair's own failures — no more than the least of its counters, which is all that
     * can be its own — out of each of its counters; what other pairs sharing a counter added stays.
     */
    private synchronized void forgive(int[] slots) {
        long now = clock.millis();
        double own = failures(slots);
        for (int row = 0; row < ROWS; row++) {
            set(row, slots[row], Math.max(0, decayed(row, slots[row], now) - own), now);
        }
    }

    private double decayed(int row, int slot, long now) {
        double count = failures[row][slot];
        if (count == 0) {
            return 0;
        }
        long elapsed = Math.max(0, now - updatedAt[row][slot]);
        return count * Math.pow(0.5, (double) elapsed / HALF_LIFE.toMillis());
    }

    private void set(int row, int slot, double count, long now) {
        failures[row][slot] = count < 0.01 ? 0 : count;
        updatedAt[row][slot] = now;
    }

    /** One slot per row for the pair, from a keyed hash of the user name and the address's network. */
    private int[] slots(String username, InetAddress address) {
        byte[] hash;
        try {
            MessageDigest digest = (MessageDigest) keyedDigest.clone();
            digest.update(network(address));
            digest.update((byte) 0);
            hash = digest.digest(username.getBytes(StandardCharsets.UTF_8));
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the runtime's SHA-256 cannot be cloned", e);
        }
        int[] slots = new int[ROWS];
        for (int row = 0; row < ROWS; row++) {
            int value = ((hash[4 * row] & 0xff) << 24) | ((hash[4 * row + 1] & 0xff) << 16)
                    | ((hash[4 * row + 2] & 0xff) << 8) | (hash[4 * row + 3] & 0xff);
            slots[row] = Math.floorMod(value, SLOTS_PER_ROW);
        }
        return slots;
    }

    /** The address whose failures count together: an IPv4 address, or an IPv6 address's /64 network. */
    private static byte[] network(InetAddress address) {
        byte[] bytes = address.getAddress();
        return address instanceof Inet6Address ? Arrays.copyOf(bytes, 8) : bytes;
    }
}
