package io.berth.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * HTTP requests by route name, method and status ({@code berth_http_requests_seconds}, a histogram),
 * the body bytes received and sent, and the blob uploads receiving bytes now.
 *
 * <p>The labels are bounded: the route is a name from the route table, never a path (repository
 * names never become labels); a method outside {@link #METHODS} counts as {@code OTHER}; a status
 * outside 100–599 as 0. A timer is created the first time its combination is seen and found again
 * through two map look-ups by constant strings and an array index, so recording allocates nothing.
 */
public final class RequestMetrics {
    static final Set<String> METHODS = Set.of("GET", "HEAD", "PUT", "POST", "PATCH", "DELETE", "OPTIONS");
    private static final int FIRST_STATUS = 100;
    private static final int STATUSES = 500;
    /** Bucket bounds for request latency: from a cached manifest to a large layer on a slow link. */
    private static final Duration[] LATENCY_BUCKETS = {
            Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
            Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30),
            Duration.ofSeconds(60)};

    private final MeterRegistry registry;
    private final ConcurrentMap<String, ConcurrentMap<String, AtomicReferenceArray<Timer>>> timers = new ConcurrentHashMap<>();
    private final Counter received;
    private final Counter sent;
    private final AtomicInteger uploadsInProgress = new AtomicInteger();

    RequestMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.received = Counter.builder("berth.http.received").baseUnit("bytes")
                .description("Request body bytes read").register(registry);
        this.sent = Counter.builder("berth.http.sent").baseUnit("bytes")
                .description("Response body bytes written").register(registry);
        registry.gauge("berth.uploads.in.progress", java.util.List.of(), uploadsInProgress, AtomicInteger::get);
    }

    /**
     * One finished request.
     *
     * @param route the route's name in the route table, e.g. {@code manifest}
     */
    public void completed(String route, String method, int status, long durationNanos, long bytesReceived, long bytesSent) {
        timer(route, method, status).record(durationNanos, TimeUnit.NANOSECONDS);
        if (bytesReceived > 0) {
            received.increment(bytesReceived);
        }
        if (bytesSent > 0) {
            sent.increment(bytesSent);
        }
    }

    /** A blob upload request started receiving bytes. */
    public void uploadStarted() {
        uploadsInProgress.incrementAndGet();
    }

    /** A blob upload request ended, however it ended. */
    public void uploadEnded() {
        uploadsInProgress.decrementAndGet();
    }

    private Timer timer(String route, String method, int status) {
        String knownMethod = METHODS.contains(method) ? method : "OTHER";
        int index = status >= FIRST_STATUS && status < FIRST_STATUS + STATUSES ? status - FIRST_STATUS : -1;
        AtomicReferenceArray<Timer> byStatus = timers.computeIfAbsent(route, any -> new ConcurrentHashMap<>())
                .computeIfAbsent(knownMethod, any -> new AtomicReferenceArray<>(STATUSES + 1));
        int slot = index < 0 ? STATUSES : index;
        Timer timer = byStatus.get(slot);
        if (timer == null) {
            timer = Timer.builder("berth.http.requests")
                    .description("HTTP requests by route name, method and status")
                    .tags("route", route, "method", knownMethod, "status", Integer.toString(index < 0 ? 0 : status))
                    .serviceLevelObjectives(LATENCY_BUCKETS)
                    .register(registry);
            byStatus.compareAndSet(slot, null, timer);
        }
        return timer;
    }
}
