package io.berth.server;

import io.berth.config.MetricsConfig;
import io.berth.http.HttpObserver;
import io.berth.http.MetricsHandler;
import io.berth.metadata.MetadataStore;
import io.berth.metadata.SqlMetadataStore;
import io.berth.metrics.BerthMetrics;
import io.berth.mirror.DownloadSources;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;

/**
 * Turns the {@code metrics} section into the meters and what feeds them: the HTTP layer's observer,
 * the mirror catalogue's snapshot, the metadata connections, garbage-collection reports.
 */
final class MetricsSetup {
    private final MetricsConfig settings;
    private final BerthMetrics metrics;

    private MetricsSetup(MetricsConfig settings, BerthMetrics metrics) {
        this.settings = settings;
        this.metrics = metrics;
    }

    static MetricsSetup create(MetricsConfig settings, MetadataStore metadata) {
        BerthMetrics metrics = new BerthMetrics();
        if (metadata instanceof SqlMetadataStore store) {
            metrics.watchConnections(store::connectionUse);
        }
        return new MetricsSetup(settings, metrics);
    }

    BerthMetrics metrics() {
        return metrics;
    }

    /** Reports each mirror's freshness from the snapshot the download sources hold. */
    void watchMirrors(DownloadSources sources, Clock clock) {
        metrics.watchMirrors(sources::snapshot, clock);
    }

    HttpObserver observer() {
        return new MetricsObserver(metrics);
    }

    MetricsHandler.MetricsPage page() {
        return new MetricsHandler.MetricsPage(metrics::scrape, BerthMetrics.CONTENT_TYPE);
    }

    /** The page for the main port, when it serves one. */
    Optional<MetricsHandler.MetricsPage> mainPortPage() {
        return settings.mainPort() ? Optional.of(page()) : Optional.empty();
    }

    Set<String> readers() {
        return Set.copyOf(settings.readers());
    }

    /** Starts the management port, when one is configured. */
    Optional<ManagementPort> startManagementPort() throws Exception {
        if (settings.managementAddress().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(ManagementPort.start(settings.managementAddress().get(), page()));
    }
}
