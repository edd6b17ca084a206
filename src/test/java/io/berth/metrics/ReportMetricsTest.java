package io.berth.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.gc.GcReport;
import io.berth.mirror.Mirror;
import io.berth.mirror.MirrorSnapshot;
import io.berth.mirror.MirrorStatus;
import io.berth.testing.PrometheusText;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Garbage-collection reports and the mirror catalogue's snapshots, as the scrape shows them. */
class ReportMetricsTest {
    private static final Instant NOW = Instant.parse("2026-12-05T12:00:00Z");
    private final BerthMetrics metrics = new BerthMetrics();

    @AfterEach
    void close() {
        metrics.close();
    }

    @Test
    void eachPassAddsWhatItRemovedAndASkippedPassOnlyCountsAsSkipped() {
        metrics.gc().passed(new GcReport("", 1, 2, 3, 4, 4096, 5, 6, 7, 0, Duration.ofMillis(250)), NOW);
        metrics.gc().passed(new GcReport("", 0, 1, 0, 2, 1024, 0, 0, 3, 0, Duration.ofMillis(50)), NOW.plusSeconds(600));
        metrics.gc().passed(new GcReport("read-only maintenance mode", 0, 0, 0, 0, 0, 0, 0, 0, 0, Duration.ZERO),
                NOW.plusSeconds(1200));

        PrometheusText scraped = PrometheusText.parse(metrics.scrape());
        assertThat(scraped.value("berth_gc_pass_seconds_count", Map.of())).contains(2.0);
        assertThat(scraped.value("berth_gc_pass_seconds_sum", Map.of())).contains(0.3);
        assertThat(scraped.value("berth_gc_passes_skipped_total", Map.of())).contains(1.0);
        assertThat(scraped.value("berth_gc_removed_total", Map.of("kind", "blobs"))).contains(6.0);
        assertThat(scraped.value("berth_gc_removed_total", Map.of("kind", "manifests"))).contains(3.0);
        assertThat(scraped.value("berth_gc_reclaimed_bytes_total", Map.of())).contains(5120.0);
        assertThat(scraped.value("berth_gc_reviews_queued", Map.of())).contains(3.0);
        assertThat(scraped.value("berth_gc_last_pass_end_seconds", Map.of()))
                .contains((double) NOW.plusSeconds(1200).getEpochSecond());
    }

    @Test
    void eachMirrorIsReportedByNameFromTheCurrentSnapshotOnly() {
        AtomicReference<MirrorSnapshot> snapshot = new AtomicReference<>(MirrorSnapshot.of(List.of(
                status("fresh", OptionalLong.of(9), false, 0),
                status("failing", OptionalLong.of(6), true, 3)), OptionalLong.of(9), NOW));
        metrics.watchMirrors(snapshot::get, Clock.fixed(NOW.plusSeconds(90), ZoneOffset.UTC));

        PrometheusText scraped = PrometheusText.parse(metrics.scrape());
        assertThat(scraped.value("berth_mirror_usable", Map.of("mirror", "fresh"))).contains(1.0);
        assertThat(scraped.value("berth_mirror_usable", Map.of("mirror", "failing"))).contains(0.0);
        assertThat(scraped.value("berth_mirror_generations_behind", Map.of("mirror", "failing"))).contains(3.0);
        assertThat(scraped.value("berth_mirror_crawl_failures", Map.of("mirror", "failing"))).contains(3.0);
        assertThat(scraped.value("berth_mirror_last_crawl_age_seconds", Map.of("mirror", "fresh"))).contains(90.0);
        assertThat(scraped.value("berth_mirror_published_generation", Map.of())).contains(9.0);

        snapshot.set(MirrorSnapshot.of(List.of(status("fresh", OptionalLong.of(9), false, 0)), OptionalLong.of(9), NOW));
        assertThat(PrometheusText.parse(metrics.scrape()).value("berth_mirror_usable", Map.of("mirror", "failing")))
                .as("a mirror removed from the catalogue").isEmpty();
    }

    @Test
    void crawlsAreCountedByMirrorAndResult() {
        metrics.crawls().crawled(io.berth.mirror.CrawlResult.holding("eu-1", 4));
        metrics.crawls().crawled(io.berth.mirror.CrawlResult.holding("eu-1", 5));
        metrics.crawls().crawled(io.berth.mirror.CrawlResult.failed("eu-1", "connection refused"));

        PrometheusText scraped = PrometheusText.parse(metrics.scrape());
        assertThat(scraped.value("berth_mirror_crawls_total", Map.of("mirror", "eu-1", "result", "success"))).contains(2.0);
        assertThat(scraped.value("berth_mirror_crawls_total", Map.of("mirror", "eu-1", "result", "failure"))).contains(1.0);
    }

    private static MirrorStatus status(String name, OptionalLong synced, boolean stale, int failures) {
        Mirror mirror = new Mirror(name, URI.create("https://" + name + ".example/berth/"), Optional.empty(), Optional.empty(),
                List.of(), Set.of(), 100, false, Set.of(), true, true);
        return new MirrorStatus(mirror, synced, stale, failures, Optional.of(NOW), Optional.empty());
    }
}
