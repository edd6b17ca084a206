package io.berth.metrics;

import io.berth.mirror.MirrorSnapshot;
import io.berth.mirror.MirrorStatus;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Each mirror's freshness and crawl results, read from the catalogue's current {@link MirrorSnapshot}
 * at each scrape, labelled by the mirror's name: whether clients may be sent to it, how many
 * generations it lags behind the newest published one, its consecutive failed crawls and the age of
 * its last crawl. A mirror removed from the catalogue disappears from the next scrape.
 */
final class MirrorMetrics {
    private final Supplier<MirrorSnapshot> snapshots;
    private final Clock clock;
    private final MultiGauge usable;
    private final MultiGauge generationsBehind;
    private final MultiGauge failures;
    private final MultiGauge crawlAge;

    private MirrorMetrics(MeterRegistry registry, Supplier<MirrorSnapshot> snapshots, Clock clock) {
        this.snapshots = snapshots;
        this.clock = clock;
        this.usable = MultiGauge.builder("berth.mirror.usable")
                .description("1 when clients may be sent to the mirror: enabled, freshly crawled, holding a generation")
                .register(registry);
        this.generationsBehind = MultiGauge.builder("berth.mirror.generations.behind")
                .description("Mirror generations the mirror lags behind the newest published one").register(registry);
        this.failures = MultiGauge.builder("berth.mirror.crawl.failures")
                .description("Consecutive failed crawls of the mirror since its last good one").register(registry);
        this.crawlAge = MultiGauge.builder("berth.mirror.last.crawl.age").baseUnit("seconds")
                .description("Time since the mirror's last crawl, good or failed").register(registry);
        registry.gauge("berth.mirror.published.generation", List.of(), this,
                metrics -> metrics.snapshots.get().publishedGeneration().orElse(0));
    }

    static MirrorMetrics register(MeterRegistry registry, Supplier<MirrorSnapshot> snapshots, Clock clock) {
        return new MirrorMetrics(registry, snapshots, clock);
    }

    /** Replaces every row with the current snapshot's. */
    void refresh() {
        MirrorSnapshot snapshot = snapshots.get();
        long published = snapshot.publishedGeneration().orElse(0);
        List<MultiGauge.Row<?>> usableRows = new ArrayList<>();
        List<MultiGauge.Row<?>> behindRows = new ArrayList<>();
        List<MultiGauge.Row<?>> failureRows = new ArrayList<>();
        List<MultiGauge.Row<?>> ageRows = new ArrayList<>();
        for (MirrorStatus status : snapshot.statuses()) {
            Tags mirror = Tags.of("mirror", status.mirror().name());
            usableRows.add(MultiGauge.Row.of(mirror, status.usable() ? 1 : 0));
            behindRows.add(MultiGauge.Row.of(mirror, Math.max(0, published - status.syncedGeneration().orElse(0))));
            failureRows.add(MultiGauge.Row.of(mirror, status.consecutiveFailures()));
            status.lastCrawlAt().ifPresent(at ->
                    ageRows.add(MultiGauge.Row.of(mirror, Duration.between(at, clock.instant()).toMillis() / 1000.0)));
        }
        usable.register(usableRows, true);
        generationsBehind.register(behindRows, true);
        failures.register(failureRows, true);
        crawlAge.register(ageRows, true);
    }
}
