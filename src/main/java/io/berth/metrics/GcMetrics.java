package io.berth.metrics;

import io.berth.gc.GcReport;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Garbage collection, from each pass's {@link GcReport}: how long passes take
 * ({@code berth_gc_pass_seconds}, skipped passes counted in {@code berth_gc_passes_skipped_total}),
 * what they removed ({@code berth_gc_removed_total} by {@code kind}: tags, manifests, links, blobs,
 * repositories, generations), the bytes reclaimed, the reviews left queued after the last pass, and
 * when the last pass ended.
 */
public final class GcMetrics {
    private final Timer passes;
    private final Counter skipped;
    private final Counter tags;
    private final Counter manifests;
    private final Counter links;
    private final Counter blobs;
    private final Counter repositories;
    private final Counter generations;
    private final Counter bytesReclaimed;
    private final AtomicLong reviewsQueued = new AtomicLong();
    private final AtomicLong lastPassEndSeconds = new AtomicLong();

    GcMetrics(MeterRegistry registry) {
        this.passes = Timer.builder("berth.gc.pass").description("Garbage-collection passes that ran, by duration")
                .register(registry);
        this.skipped = Counter.builder("berth.gc.passes.skipped")
                .description("Garbage-collection passes skipped (read-only maintenance mode)").register(registry);
        this.tags = removed(registry, "tags");
        this.manifests = removed(registry, "manifests");
        this.links = removed(registry, "links");
        this.blobs = removed(registry, "blobs");
        this.repositories = removed(registry, "repositories");
        this.generations = removed(registry, "generations");
        this.bytesReclaimed = Counter.builder("berth.gc.reclaimed").baseUnit("bytes")
                .description("Bytes of blobs garbage collection removed").register(registry);
        registry.gauge("berth.gc.reviews.queued", java.util.List.of(), reviewsQueued, AtomicLong::get);
        registry.gauge("berth.gc.last.pass.end.seconds", java.util.List.of(), lastPassEndSeconds, AtomicLong::get);
    }

    /** One pass ended at {@code endedAt}. */
    public void passed(GcReport report, java.time.Instant endedAt) {
        lastPassEndSeconds.set(endedAt.getEpochSecond());
        if (!report.skipped().isEmpty()) {
            skipped.increment();
            return;
        }
        passes.record(report.took());
        tags.increment(report.tagsRemoved());
        manifests.increment(report.manifestsRemoved());
        links.increment(report.linksRemoved());
        blobs.increment(report.blobsRemoved());
        repositories.increment(report.repositoriesRemoved());
        generations.increment(report.generationsRemoved());
        bytesReclaimed.increment(report.bytesReclaimed());
        reviewsQueued.set(report.reviewsQueued());
    }

    private static Counter removed(MeterRegistry registry, String kind) {
        return Counter.builder("berth.gc.removed").description("What garbage collection removed, by kind")
                .tag("kind", kind).register(registry);
    }
}
