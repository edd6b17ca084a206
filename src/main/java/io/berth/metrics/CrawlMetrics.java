package io.berth.metrics;

import io.berth.mirror.CrawlResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Mirror crawls this node ran, by mirror and result ({@code berth_mirror_crawls_total}, {@code result}
 * {@code success} or {@code failure}). Mirror names come from the catalogue, so the labels stay bounded.
 */
public final class CrawlMetrics {
    private final MeterRegistry registry;
    private final ConcurrentMap<String, Counter> successes = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Counter> failures = new ConcurrentHashMap<>();

    CrawlMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void crawled(CrawlResult result) {
        ConcurrentMap<String, Counter> counters = result.succeeded() ? successes : failures;
        counters.computeIfAbsent(result.mirror(), mirror -> Counter.builder("berth.mirror.crawls")
                .description("Mirror crawls by mirror and result")
                .tags("mirror", mirror, "result", result.succeeded() ? "success" : "failure")
                .register(registry)).increment();
    }
}
