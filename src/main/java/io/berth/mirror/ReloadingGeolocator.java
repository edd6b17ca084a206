package io.berth.mirror;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MaxMind databases that follow their files: at most every {@link #CHECK_INTERVAL}, a lookup
 * notices that a file was replaced (as {@code geoipupdate} does, weekly) and the databases are
 * opened again. A replacement that cannot be opened is logged and the last good databases stay.
 * The databases being replaced are not closed under lookups that may still use them; their memory
 * maps go with the garbage collector.
 */
public final class ReloadingGeolocator implements Geolocator {
    private static final Logger LOG = LoggerFactory.getLogger(ReloadingGeolocator.class);
    static final Duration CHECK_INTERVAL = Duration.ofMinutes(1);

    private record Loaded(MaxMindGeolocator databases, List<Optional<FileTime>> modified) {
    }

    private final Optional<Path> countryDatabase;
    private final Optional<Path> asnDatabase;
    private final Clock clock;
    private final AtomicReference<Loaded> loaded;
    private volatile Instant nextCheck;

    /**
     * Opens the databases now; a file that cannot be opened at start is an error.
     *
     * @throws IllegalArgumentException as {@link MaxMindGeolocator#open} does
     */
    public ReloadingGeolocator(Optional<Path> countryDatabase, Optional<Path> asnDatabase, Clock clock) {
        this.countryDatabase = countryDatabase;
        this.asnDatabase = asnDatabase;
        this.clock = clock;
        this.loaded = new AtomicReference<>(load());
        this.nextCheck = clock.instant().plus(CHECK_INTERVAL);
    }

    @Override
    public ClientLocation locate(InetAddress address) {
        Instant now = clock.instant();
        if (now.isAfter(nextCheck)) {
            nextCheck = now.plus(CHECK_INTERVAL);
            reloadIfReplaced();
        }
        return loaded.get().databases().locate(address);
    }

    /** Opens the databases again when a file's modification time changed since they were opened. */
    void reloadIfReplaced() {
        Loaded current = loaded.get();
        if (current.modified().equals(modificationTimes())) {
            return;
        }
        try {
            loaded.set(load());
            LOG.info("GeoIP databases reloaded ({})", describe());
        } catch (IllegalArgumentException e) {
            LOG.warn("GeoIP databases changed but cannot be opened; keeping the previous ones: {}", e.getMessage());
            loaded.set(new Loaded(current.databases(), modificationTimes()));
        }
    }

    private Loaded load() {
        List<Optional<FileTime>> modified = modificationTimes();
        return new Loaded(MaxMindGeolocator.open(countryDatabase, asnDatabase), modified);
    }

    private List<Optional<FileTime>> modificationTimes() {
        return List.of(modified(countryDatabase), modified(asnDatabase));
    }

    private static Optional<FileTime> modified(Optional<Path> file) {
        try {
            return file.isPresent() ? Optional.of(Files.getLastModifiedTime(file.get())) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private String describe() {
        return countryDatabase.map(Path::toString).orElse("no country database") + ", "
                + asnDatabase.map(Path::toString).orElse("no ASN database");
    }

    @Override
    public void close() {
        loaded.get().databases().close();
    }
}
