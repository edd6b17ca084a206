package io.berth.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** One lock per key, never dropped while anyone holds or waits for it, forgotten once nobody does. */
class KeyedLocksTest {
    private final KeyedLocks<String> locks = new KeyedLocks<>();

    @Test
    void workOnOneKeyNeverOverlapsHoweverItEnds() throws Exception {
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        try (ExecutorService threads = Executors.newFixedThreadPool(16)) {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                boolean fails = i % 3 == 0;
                done.add(threads.submit(() -> {
                    try {
                        return locks.withLock("session", () -> {
                            mostAtOnce.accumulateAndGet(inside.incrementAndGet(), Math::max);
                            Thread.onSpinWait();
                            inside.decrementAndGet();
                            if (fails) {
                                throw new IllegalStateException("refused, as a request naming another repository is");
                            }
                            return null;
                        });
                    } catch (IllegalStateException expected) {
                        return null;
                    }
                }));
            }
            for (Future<?> future : done) {
                future.get();
            }
        }

        assertThat(mostAtOnce).hasValue(1);
        assertThat(locks.size()).isZero();
    }

    @Test
    void aLockIsKeptWhileAThreadWaitsForIt() throws Exception {
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (ExecutorService threads = Executors.newFixedThreadPool(2)) {
            Future<?> holder = threads.submit(() -> locks.withLock("key", () -> {
                holding.countDown();
                release.await();
                return null;
            }));
            holding.await();
            Future<?> waiter = threads.submit(() -> locks.withLock("key", () -> "done"));
            Thread.sleep(100);
            assertThat(waiter).as("waits while the key is held").isNotDone();
            assertThatIllegalStateException().isThrownBy(() -> locks.withLock("key-2", () -> {
                throw new IllegalStateException("another key is independent");
            }));
            assertThat(locks.size()).isEqualTo(1);
            release.countDown();
            holder.get();
            assertThat(waiter.get()).isEqualTo("done");
        }
        assertThat(locks.size()).isZero();
    }

    @Test
    void aBoundedWaitGivesUpWithBusyAndForgetsTheWaiter() throws Exception {
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (ExecutorService threads = Executors.newFixedThreadPool(1)) {
            Future<?> holder = threads.submit(() -> locks.withLock("key", () -> {
                holding.countDown();
                release.await();
                return null;
            }));
            holding.await();

            org.assertj.core.api.Assertions.assertThatExceptionOfType(KeyedLocks.Busy.class)
                    .isThrownBy(() -> locks.withLock("key", java.time.Duration.ofMillis(100), () -> "never"));

            assertThat(locks.size()).isEqualTo(1);
            release.countDown();
            holder.get();
        }
        assertThat(locks.withLock("key", java.time.Duration.ofMillis(100), () -> "free")).isEqualTo("free");
        assertThat(locks.size()).isZero();
    }
}
