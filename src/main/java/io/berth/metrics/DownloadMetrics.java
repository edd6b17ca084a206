package io.berth.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Blob downloads ({@code GET /v2/<name>/blobs/<digest>}) by where the bytes came from
 * ({@code berth_blob_downloads_total}): {@code source} is {@code mirror} (with the mirror's name in
 * {@code mirror}), {@code cdn}, {@code object-store} (a presigned redirect) or {@code registry}
 * (Berth sent the bytes itself); {@code mirror} is empty for all but mirrors. Mirror names come from
 * the catalogue an operator keeps, so the label stays bounded.
 */
public final class DownloadMetrics {
    private final MeterRegistry registry;
    private final ConcurrentMap<String, Counter> mirrors = new ConcurrentHashMap<>();
    private final Counter cdn;
    private final Counter objectStore;
    private final Counter registryServed;

    DownloadMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.cdn = counter("cdn", "");
        this.objectStore = counter("object-store", "");
        this.registryServed = counter("registry", "");
    }

    public void fromMirror(String mirror) {
        mirrors.computeIfAbsent(mirror, name -> counter("mirror", name)).increment();
    }

    public void fromCdn() {
        cdn.increment();
    }

    public void fromObjectStore() {
        objectStore.increment();
    }

    public void fromRegistry() {
        registryServed.increment();
    }

    private Counter counter(String source, String mirror) {
        return Counter.builder("berth.blob.downloads")
                .description("Blob downloads by the source the bytes came from")
                .tags("source", source, "mirror", mirror)
                .register(registry);
    }
}
