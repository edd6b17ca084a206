package io.berth.ui;

import io.berth.registry.ContentListing;
import io.berth.registry.ContentListing.NamespaceStorage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The storage per namespace the overview shows, measured off the request path: a page shows the
 * last measurement and, when it is older than {@link #MAX_AGE} (or there is none yet), starts one new
 * measurement on a virtual thread; at most one runs at a time. Measuring reads every repository
 * name and one sum per namespace, which grows with the registry, so no page waits for it.
 */
public final class StorageSummary {
    static final Duration MAX_AGE = Duration.ofMinutes(10);
    private static final Logger LOG = LoggerFactory.getLogger(StorageSummary.class);

    private final ContentListing listing;
    private final Clock clock;
    private final AtomicReference<Optional<Measured>> latest = new AtomicReference<>(Optional.empty());
    private final AtomicBoolean measuring = new AtomicBoolean();

    public StorageSummary(ContentListing listing, Clock clock) {
        this.listing = listing;
        this.clock = clock;
    }

    /** One measurement: every namespace, when it was taken, how long it took. */
    public record Measured(List<NamespaceStorage> namespaces, Instant at, Duration took) {
        public Measured {
            namespaces = List.copyOf(namespaces);
        }

        public long totalBytes() {
            return namespaces.stream().mapToLong(NamespaceStorage::bytes).sum();
        }
    }

    /** The latest measurement, starting a new one in the background when it is missing or old. */
    public Optional<Measured> latest() {
        Optional<Measured> current = latest.get();
        if ((current.isEmpty() || current.get().at().plus(MAX_AGE).isBefore(clock.instant())) && measuring.compareAndSet(false, true)) {
            Thread.ofVirtual().name("berth-storage-summary").start(this::measure);
        }
        return current;
    }

    /** Whether a measurement is running now. */
    public boolean measuring() {
        return measuring.get();
    }

    private void measure() {
        try {
            Instant started = clock.instant();
            List<NamespaceStorage> namespaces = listing.storageByNamespace();
            latest.set(Optional.of(new Measured(namespaces, started, Duration.between(started, clock.instant()))));
        } catch (RuntimeException e) {
            LOG.warn("cannot measure the storage per namespace: {}", e.toString());
        } finally {
            measuring.set(false);
        }
    }
}
