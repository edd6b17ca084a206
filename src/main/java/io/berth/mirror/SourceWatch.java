package io.berth.mirror;

import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Probes the download sources this node sends clients to, off the request path, and feeds the
 * results to {@link SourceHealth}. Every {@link SourceHealth.Settings#tick()} it starts the probes
 * that are due, at most one in flight per source and {@link #MAX_PROBES_IN_FLIGHT} in all; a probe
 * that cannot start now starts at a later tick.
 */
public final class SourceWatch implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SourceWatch.class);
    /** Probes running at once on one node: a bound on its threads and sockets however many mirrors it uses. */
    public static final int MAX_PROBES_IN_FLIGHT = 16;

    private final DownloadSources sources;
    private final SourceHealth health;
    private final SourceProber prober;
    private final Executor probes;
    private final Set<URI> inFlight = ConcurrentHashMap.newKeySet();
    private final Semaphore permits = new Semaphore(MAX_PROBES_IN_FLIGHT);
    private final ScheduledExecutorService schedule = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("berth-source-watch").factory());

    /**
     * @param probes runs each probe; a virtual thread per probe in the server, the calling thread in tests
     */
    public SourceWatch(DownloadSources sources, SourceHealth health, SourceProber prober, Executor probes) {
        this.sources = sources;
        this.health = health;
        this.prober = prober;
        this.probes = probes;
    }

    /** Probes on a virtual thread each, as the server does. */
    public static SourceWatch onVirtualThreads(DownloadSources sources, SourceHealth health, SourceProber prober) {
        return new SourceWatch(sources, health, prober, probe -> Thread.ofVirtual().name("berth-source-probe").start(probe));
    }

    public void start() {
        long tick = health.settings().tick().toMillis();
        schedule.scheduleWithFixedDelay(this::tickQuietly, 0, Math.max(1, tick), TimeUnit.MILLISECONDS);
    }

    /** Starts every probe that is due now. */
    public void tick() {
        for (URI source : health.due(sources.sourcesInUse())) {
            if (!inFlight.add(source)) {
                continue;
            }
            if (!permits.tryAcquire()) {
                inFlight.remove(source);
                return;
            }
            try {
                probes.execute(() -> probe(source));
            } catch (RejectedExecutionException e) {
                inFlight.remove(source);
                permits.release();
            }
        }
    }

    private void probe(URI source) {
        try {
            prober.check(source);
            if (!health.reachable(source)) {
                LOG.info("download source {} answers again", source);
            }
            health.succeeded(source);
        } catch (SourceProber.SourceUnreachable e) {
            boolean wasReachable = health.reachable(source);
            health.failed(source, e.getMessage());
            if (wasReachable && !health.reachable(source)) {
                LOG.warn("download source {} is unreachable, no clients are sent there: {}", source, e.getMessage());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            health.failed(source, "the probe failed: " + e);
        } finally {
            inFlight.remove(source);
            permits.release();
        }
    }

    private void tickQuietly() {
        try {
            tick();
        } catch (RuntimeException e) {
            LOG.error("probing download sources failed", e);
        }
    }

    @Override
    public void close() {
        schedule.shutdownNow();
    }
}
