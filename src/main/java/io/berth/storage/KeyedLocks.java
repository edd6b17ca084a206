package io.berth.storage;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One mutual-exclusion lock per key, created on first use and forgotten once nobody holds or waits
 * for it. A lock is never dropped while a thread holds it or waits on it, so two threads working on
 * one key always share one lock, however the work ends.
 *
 * @param <K> the key, with value equality
 */
public final class KeyedLocks<K> {
    /** A lock and the number of threads that hold or wait for it, changed only inside {@code compute}. */
    private static final class Entry {
        final ReentrantLock lock = new ReentrantLock();
        int users;
    }

    private final ConcurrentMap<K, Entry> entries = new ConcurrentHashMap<>();

    /** Work done under a lock, which may throw {@code E}. */
    @FunctionalInterface
    public interface Work<T, E extends Exception> {
        T run() throws E;
    }

    /** Runs {@code work} while holding the lock of {@code key}, and returns its result. */
    public <T, E extends Exception> T withLock(K key, Work<T, E> work) throws E {
        return withLock(key, Optional.empty(), work);
    }

    /**
     * Runs {@code work} while holding the lock of {@code key}, waiting at most {@code wait} for it.
     *
     * @throws Busy when another thread held the lock for all of {@code wait}
     */
    public <T, E extends Exception> T withLock(K key, Duration wait, Work<T, E> work) throws E {
        return withLock(key, Optional.of(wait), work);
    }

    private <T, E extends Exception> T withLock(K key, Optional<Duration> wait, Work<T, E> work) throws E {
        Entry entry = entries.compute(key, (unused, existing) -> {
            Entry current = existing == null ? new Entry() : existing;
            current.users++;
            return current;
        });
        try {
            acquire(entry.lock, wait);
            try {
                return work.run();
            } finally {
                entry.lock.unlock();
            }
        } finally {
            entries.computeIfPresent(key, (unused, current) -> --current.users == 0 ? null : current);
        }
    }

    private static void acquire(ReentrantLock lock, Optional<Duration> wait) {
        if (wait.isEmpty()) {
            lock.lock();
            return;
        }
        try {
            if (!lock.tryLock(wait.get().toNanos(), TimeUnit.NANOSECONDS)) {
                throw new Busy();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Busy();
        }
    }

    /** The lock stayed taken for the whole wait. */
    public static final class Busy extends RuntimeException {
        Busy() {
            super("the lock stayed taken", null, false, false);
        }
    }

    /** How many keys have a lock right now (held or waited for). */
    public int size() {
        return entries.size();
    }
}
