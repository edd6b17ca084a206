package io.berth.metrics;

import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * Every meter of one Berth process, in one registry: the request, download, promotion, garbage
 * collection, mirror and connection-pool figures, the JVM's (memory, GC, threads, class loading) and
 * the process's uptime. {@link #scrape()} renders them in the Prometheus text format.
 */
public final class BerthMetrics implements AutoCloseable {
    /** The Prometheus text exposition format, version 0.0.4. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics jvmGc = new JvmGcMetrics();
    private final RequestMetrics requests = new RequestMetrics(registry);
    private final DownloadMetrics downloads = new DownloadMetrics(registry);
    private final PromotionMetrics promotions = new PromotionMetrics(registry);
    private final GcMetrics gc = new GcMetrics(registry);
    private final CrawlMetrics crawls = new CrawlMetrics(registry);
    private final java.util.List<MirrorMetrics> mirrors = new java.util.concurrent.CopyOnWriteArrayList<>();

    public BerthMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        jvmGc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    public RequestMetrics requests() {
        return requests;
    }

    public DownloadMetrics downloads() {
        return downloads;
    }

    public PromotionMetrics promotions() {
        return promotions;
    }

    public GcMetrics gc() {
        return gc;
    }

    public CrawlMetrics crawls() {
        return crawls;
    }

    /** Reports each mirror's freshness, read from the snapshot {@code snapshots} gives at each scrape. */
    public void watchMirrors(java.util.function.Supplier<io.berth.mirror.MirrorSnapshot> snapshots, java.time.Clock clock) {
        mirrors.add(MirrorMetrics.register(registry, snapshots, clock));
    }

    /** Reports the metadata connections in use and waited for, as {@code use} tells at each scrape. */
    public void watchConnections(java.util.function.Supplier<io.berth.metadata.ConnectionUse> use) {
        ConnectionMetrics.register(registry, use);
    }

    /** Every meter, in the Prometheus text format ({@link #CONTENT_TYPE}). */
    public String scrape() {
        mirrors.forEach(MirrorMetrics::refresh);
        return registry.scrape();
    }

    @Override
    public void close() {
        jvmGc.close();
        registry.close();
    }
}
