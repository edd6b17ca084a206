package io.berth.mirror;

import io.berth.events.EventData;
import io.berth.events.EventOrigin;
import io.berth.events.EventRecorder;
import io.berth.metadata.GenerationBlob;
import io.berth.metadata.MetadataSession;
import io.berth.metadata.MetadataStore;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Crawls the enabled mirrors, all at once on virtual threads, each within a time limit, and records
 * what it finds: a mirror whose sync index names a generation the registry has, and that holds the
 * sampled blobs of it, is fresh at that generation; any failure marks it stale, and
 * {@link #DISABLE_AFTER_FAILURES} in a row disable it until an operator enables it again. After each
 * crawl, and between crawls, the {@link DownloadSources} get a new snapshot of the catalogue; blob
 * requests never wait for a crawl.
 */
public final class MirrorCrawler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MirrorCrawler.class);
    /** Failed crawls in a row after which a mirror is disabled (as MirrorManager does). */
    public static final int DISABLE_AFTER_FAILURES = 4;

    private final MirrorCatalogue catalogue;
    private final MetadataStore metadata;
    private final DownloadSources sources;
    /** Made at the first crawl that has a mirror to visit: a registry without mirrors never opens an HTTP client. */
    private volatile MirrorProbe probe;
    private final Duration timeout;
    private final int spotChecks;
    private final Clock clock;
    private final java.util.function.Consumer<CrawlResult> results;
    private final EventRecorder events;
    private final ReentrantLock crawling = new ReentrantLock();
    /** This node's name on the periodic-crawl lease. */
    private final String node = java.util.UUID.randomUUID().toString();
    private volatile Duration crawlInterval = Duration.ofMinutes(10);
    private final ScheduledExecutorService schedule = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("berth-mirror-crawler").factory());

    /**
     * @param timeout    the longest one request to a mirror may take; a whole mirror's crawl gets a few of these
     * @param spotChecks how many blobs to check on each mirror per crawl
     */
    public MirrorCrawler(MirrorCatalogue catalogue, MetadataStore metadata, DownloadSources sources, Duration timeout,
                         int spotChecks, Clock clock) {
        this(catalogue, metadata, sources, timeout, spotChecks, clock, result -> { }, EventRecorder.NONE);
    }

    /**
     * A crawler as above that tells {@code results} each mirror's crawl result once it is recorded
     * (for monitoring; it must neither block nor throw), and records a {@code mirror.state} event
     * through {@code events} when a crawl makes a mirror healthy, stale or disabled.
     */
    public MirrorCrawler(MirrorCatalogue catalogue, MetadataStore metadata, DownloadSources sources, Duration timeout,
                         int spotChecks, Clock clock, java.util.function.Consumer<CrawlResult> results, EventRecorder events) {
        this.results = results;
        this.events = events;
        this.catalogue = catalogue;
        this.metadata = metadata;
        this.sources = sources;
        this.timeout = timeout;
        this.spotChecks = spotChecks;
        this.clock = clock;
    }

    /**
     * Refreshes the snapshot now, then crawls every {@code crawlInterval} (the first time at once when
     * {@code crawlAtOnce}) and refreshes every {@code refreshInterval}.
     */
    public void start(Duration crawlInterval, boolean crawlAtOnce, Duration refreshInterval) {
        this.crawlInterval = crawlInterval;
        refresh();
        schedule.scheduleWithFixedDelay(this::crawlQuietly, crawlAtOnce ? 0 : crawlInterval.toMillis(),
                crawlInterval.toMillis(), TimeUnit.MILLISECONDS);
        schedule.scheduleWithFixedDelay(this::refreshQuietly, refreshInterval.toMillis(), refreshInterval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** Reads the catalogue into the download sources. */
    public void refresh() {
        sources.replace(catalogue.snapshot());
    }

    /** Crawls every enabled mirror now (waiting for a crawl already running), records the results and refreshes. */
    public List<CrawlResult> crawlAll() throws InterruptedException {
        crawling.lockInterruptibly();
        try {
            List<Mirror> mirrors = catalogue.statuses().stream().map(MirrorStatus::mirror).filter(Mirror::enabled).toList();
            OptionalLong latest = metadata.read(session -> session.mirrors().latestMirrorGeneration());
            if (latest.isEmpty()) {
                // Nothing was ever exported: no mirror can be judged yet, and none is held at fault.
                refresh();
                return mirrors.stream()
                        .map(mirror -> CrawlResult.failed(mirror.name(), "no mirror generation exists yet (run berth mirror export)"))
                        .toList();
            }
            List<CrawlResult> results = new ArrayList<>();
            try (ExecutorService crawls = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<CrawlResult>> pending = new ArrayList<>();
                for (Mirror mirror : mirrors) {
                    pending.add(crawls.submit(() -> crawl(mirror, latest)));
                }
                Duration limit = timeout.multipliedBy(spotChecks + 2);
                for (int i = 0; i < mirrors.size(); i++) {
                    results.add(outcome(mirrors.get(i), pending.get(i), limit));
                }
            }
            for (CrawlResult result : results) {
                record(result);
            }
            refresh();
            return results;
        } finally {
            crawling.unlock();
        }
    }

    private CrawlResult outcome(Mirror mirror, Future<CrawlResult> pending, Duration limit) throws InterruptedException {
        try {
            return pending.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            pending.cancel(true);
            return CrawlResult.failed(mirror.name(), "the crawl took longer than " + limit.toSeconds() + " s");
        } catch (ExecutionException e) {
            return CrawlResult.failed(mirror.name(), "the crawl failed: " + e.getCause());
        }
    }

    private CrawlResult crawl(Mirror mirror, OptionalLong latest) throws InterruptedException {
        try {
            MirrorProbe probe = probe();
            long generation = probe.generation(mirror);
            if (latest.isEmpty() || generation > latest.getAsLong()) {
                return CrawlResult.failed(mirror.name(), "the mirror claims generation " + generation
                        + " but the newest is " + (latest.isEmpty() ? "none" : latest.getAsLong()));
            }
            List<GenerationBlob> samples = new ArrayList<>(metadata.read(session ->
                    session.mirrors().sampleGenerationBlobs(generation, generation, 1)));
            samples.addAll(metadata.read(session -> session.mirrors().sampleGenerationBlobs(1, generation, Math.max(0, spotChecks - 1))));
            probe.checkBlobs(mirror, samples);
            return CrawlResult.holding(mirror.name(), generation);
        } catch (MirrorProbe.MirrorFault e) {
            return CrawlResult.failed(mirror.name(), e.getMessage());
        }
    }

    private MirrorProbe probe() {
        MirrorProbe current = probe;
        if (current == null) {
            synchronized (this) {
                if (probe == null) {
                    probe = new MirrorProbe(HttpClient.newBuilder().connectTimeout(timeout)
                            .followRedirects(HttpClient.Redirect.NORMAL)
                            .executor(Executors.newVirtualThreadPerTaskExecutor()).build(), timeout);
                }
                current = probe;
            }
        }
        return current;
    }

    private void record(CrawlResult result) {
        metadata.inTransaction(session -> {
            Optional<String> before = events.enabled() ? stateOf(session, result.mirror()) : Optional.empty();
            if (result.succeeded()) {
                session.mirrors().recordCrawlSuccess(result.mirror(), result.generation().getAsLong(), clock.instant());
            } else {
                session.mirrors().recordCrawlFailure(result.mirror(), result.error().orElseThrow(), clock.instant(),
                        DISABLE_AFTER_FAILURES);
            }
            Optional<String> after = events.enabled() ? stateOf(session, result.mirror()) : Optional.empty();
            if (before.isPresent() && after.isPresent() && !before.equals(after)) {
                events.record(session, EventOrigin.UNKNOWN, new EventData.MirrorStateChanged(result.mirror(), before.get(),
                        after.get(), result.error()));
            }
            return null;
        });
        if (result.succeeded()) {
            LOG.info("mirror {} holds generation {}", result.mirror(), result.generation().getAsLong());
        } else {
            LOG.warn("mirror {} is stale: {}", result.mirror(), result.error().orElseThrow());
        }
        results.accept(result);
    }

    /** What a mirror is, as a {@code mirror.state} event names it: {@code disabled}, {@code stale} or {@code healthy}. */
    private static Optional<String> stateOf(MetadataSession session, String mirror) {
        return session.mirrors().listMirrors().stream()
                .filter(stored -> stored.mirror().name().equals(mirror))
                .findFirst()
                .map(stored -> !stored.mirror().enabled() ? "disabled" : stored.crawl().stale() ? "stale" : "healthy");
    }

    /**
     * The periodic crawl: only the node holding the crawl lease crawls, so nodes sharing a database
     * visit each mirror once per interval between them (and count its failures once).
     */
    private void crawlQuietly() {
        try {
            java.time.Instant now = clock.instant();
            boolean leased = metadata.inTransaction(session ->
                    session.mirrors().takeCrawlLease(node, now, now.plus(crawlInterval.multipliedBy(9).dividedBy(10))));
            if (!leased) {
                refresh();
                return;
            }
            crawlAll();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("mirror crawl failed", e);
        }
    }

    private void refreshQuietly() {
        try {
            refresh();
        } catch (RuntimeException e) {
            LOG.error("cannot read the mirror catalogue; keeping the last snapshot", e);
        }
    }

    @Override
    public void close() {
        schedule.shutdownNow();
    }
}
