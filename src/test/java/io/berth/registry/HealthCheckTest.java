package io.berth.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.berth.metadata.MetadataException;
import io.berth.metadata.MetadataSession;
import io.berth.metadata.MetadataStore;
import io.berth.storage.InMemoryBlobStore;
import io.berth.testing.MutableClock;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The health check answers within its deadline whatever its parts do, runs one probe per part at a
 * time, and reuses an answer for a second.
 */
class HealthCheckTest {
    /** Generous against the one-second deadline, far below the 30 s a pool would wait for a connection. */
    private static final Duration PROMPTLY = Duration.ofSeconds(2);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

    @Test
    void aMetadataDatabaseThatFailsMakesTheNodeUnhealthyUntilItAnswersAgain() {
        FlakyMetadata metadata = new FlakyMetadata();
        HealthCheck health = new HealthCheck(metadata, new InMemoryBlobStore(), clock);

        metadata.failing = true;
        HealthCheck.Report down = health.check();
        assertThat(down.healthy()).isFalse();
        assertThat(down.metadata()).isFalse();
        assertThat(down.storage()).isTrue();

        metadata.failing = false;
        clock.advance(HealthCheck.REUSE);
        assertThat(health.check().healthy()).isTrue();
    }

    @Test
    void aDatabaseThatNeverAnswersIsFailingWithinTheDeadlineAndCostsOneProbe() throws Exception {
        HangingMetadata metadata = new HangingMetadata();
        HealthCheck health = new HealthCheck(metadata, new InMemoryBlobStore(), clock);
        try {
            for (int check = 0; check < 3; check++) {
                HealthCheck.Report report = assertTimeoutPreemptively(PROMPTLY, health::check);
                assertThat(report.metadata()).isFalse();
                assertThat(report.storage()).isTrue();
                clock.advance(HealthCheck.REUSE);
            }
            assertThat(metadata.reads.get()).as("checks wait for the stuck probe instead of starting more").isEqualTo(1);
        } finally {
            metadata.answer.countDown();
        }

        awaitHealthy(health);
    }

    @Test
    void aStoreThatCannotWriteInTimeIsFailing() {
        CountDownLatch release = new CountDownLatch(1);
        HealthCheck health = new HealthCheck(() -> { }, release::await, clock, Duration.ofMillis(200), HealthCheck.REUSE);
        try {
            HealthCheck.Report report = assertTimeoutPreemptively(PROMPTLY, health::check);
            assertThat(report.storage()).isFalse();
            assertThat(report.metadata()).isTrue();
        } finally {
            release.countDown();
        }
    }

    @Test
    void anAnswerIsReusedUntilItIsOneIntervalOld() throws Exception {
        AtomicInteger probes = new AtomicInteger();
        HealthCheck health = new HealthCheck(probes::incrementAndGet, () -> { }, clock, HealthCheck.DEADLINE,
                Duration.ofSeconds(1));

        assertThat(health.check().healthy()).isTrue();
        assertThat(health.check().healthy()).isTrue();
        clock.advance(Duration.ofMillis(999));
        assertThat(health.check().healthy()).isTrue();
        assertThat(probes.get()).isEqualTo(1);

        clock.advance(Duration.ofMillis(1));
        assertThat(health.check().healthy()).isTrue();
        assertThat(probes.get()).isEqualTo(2);
    }

    private void awaitHealthy(HealthCheck health) throws InterruptedException {
        for (int attempt = 0; attempt < 50; attempt++) {
            clock.advance(HealthCheck.REUSE);
            if (health.check().healthy()) {
                return;
            }
            Thread.sleep(20);
        }
        assertThat(health.check().healthy()).as("healthy once the database answers").isTrue();
    }

    /** Answers every read with an empty catalogue, or fails as an unreachable database does. */
    private static final class FlakyMetadata implements MetadataStore {
        volatile boolean failing;

        @Override
        public <T> T read(Function<MetadataSession, T> work) {
            if (failing) {
                throw new MetadataException("cannot open a metadata connection", new SQLException("connection refused"));
            }
            @SuppressWarnings("unchecked")
            T empty = (T) java.util.List.of();
            return empty;
        }

        @Override
        public <T> T inTransaction(Function<MetadataSession, T> work) {
            return read(work);
        }

        @Override
        public void close() {
        }
    }

    /** A database that takes connections and does not answer until {@link #answer} is released. */
    private static final class HangingMetadata implements MetadataStore {
        final CountDownLatch answer = new CountDownLatch(1);
        final AtomicInteger reads = new AtomicInteger();

        @Override
        public <T> T read(Function<MetadataSession, T> work) {
            reads.incrementAndGet();
            try {
                answer.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new MetadataException("interrupted", new SQLException(e));
            }
            @SuppressWarnings("unchecked")
            T empty = (T) java.util.List.of();
            return empty;
        }

        @Override
        public <T> T inTransaction(Function<MetadataSession, T> work) {
            return read(work);
        }

        @Override
        public void close() {
        }
    }
}
