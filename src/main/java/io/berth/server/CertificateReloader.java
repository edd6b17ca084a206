package io.berth.server;

import io.berth.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Swaps a renewed certificate into the running server without a restart. It looks at the
 * certificate and key files every interval, on one daemon thread, and when either has changed
 * (modification time, size, or a new file moved into place) it reads the pair again and reloads
 * the TLS context with it: new connections get the new certificate, open ones keep theirs.
 *
 * <p>A pair that cannot be read, or whose key does not belong to its certificate (for example a
 * certificate written before its key), is logged and the current pair kept; it is read again
 * once the files change again.
 *
 * <p>A pair whose chain has expired or is not valid yet is served, as configured, but logged as a
 * warning, at start and at each reload: clients will refuse it, and an operator must notice.
 */
final class CertificateReloader implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CertificateReloader.class);

    /** What one look at the files did. */
    enum Outcome {
        /** Neither file changed since the last look. */
        UNCHANGED,
        /** The files changed and the new pair is now served. */
        RELOADED,
        /** The files changed but the new pair is unusable; the previous one is still served. */
        REJECTED
    }

    private final Path certificateFile;
    private final Path keyFile;
    private final Duration interval;
    private final SslContextFactory.Server ssl;
    private final Clock clock;
    private final ScheduledExecutorService scheduler = BackgroundThreads.scheduler("berth-tls-reload");
    private PemKeyStore served;
    private Optional<FileStamp> lastSeen;

    private CertificateReloader(Path certificateFile, Path keyFile, Duration interval, SslContextFactory.Server ssl,
                                Clock clock, PemKeyStore served, Optional<FileStamp> lastSeen) {
        this.clock = clock;
        this.certificateFile = certificateFile;
        this.keyFile = keyFile;
        this.interval = interval;
        this.ssl = ssl;
        this.served = served;
        this.lastSeen = lastSeen;
    }

    /**
     * Reads the pair that {@code ssl} will serve and builds the reloader that keeps it current;
     * nothing is watched until {@link #start}.
     *
     * @param interval   how often {@link #start} looks at the files
     * @param newContext builds the TLS context around the first pair read
     * @throws ConfigException when the files cannot be read or do not belong together
     */
    static CertificateReloader open(Path certificateFile, Path keyFile, Duration interval,
                                    Function<PemKeyStore, SslContextFactory.Server> newContext) {
        return open(certificateFile, keyFile, interval, newContext, Clock.systemUTC());
    }

    /** As {@link #open(Path, Path, Duration, Function)}, judging validity periods by {@code clock}. */
    static CertificateReloader open(Path certificateFile, Path keyFile, Duration interval,
                                    Function<PemKeyStore, SslContextFactory.Server> newContext, Clock clock) {
        // Stamped before reading, so a change made while the files are read is seen at the first look.
        Optional<FileStamp> stamp = FileStamp.of(certificateFile, keyFile);
        PemKeyStore credentials = PemKeyStore.read(certificateFile, keyFile);
        return new CertificateReloader(certificateFile, keyFile, interval, newContext.apply(credentials), clock,
                credentials, stamp);
    }

    /** The TLS context whose certificate this reloader replaces. */
    SslContextFactory.Server sslContextFactory() {
        return ssl;
    }

    /** The pair served now. */
    synchronized PemKeyStore served() {
        return served;
    }

    /** Looks at the files every interval, first one interval from now, until {@link #close}. */
    void start() {
        long millis = interval.toMillis();
        scheduler.scheduleWithFixedDelay(this::lookSafely, millis, millis, TimeUnit.MILLISECONDS);
        PemKeyStore first = served();
        String every = interval.toMillis() % 1000 == 0 ? interval.toSeconds() + " s" : interval.toMillis() + " ms";
        first.validityProblem(clock.instant()).ifPresentOrElse(
                problem -> LOG.warn("TLS certificate {} from {} is served, but clients will refuse it: {};"
                        + " it and the key {} are checked for changes every {}", first.summary(), certificateFile, problem,
                        keyFile, every),
                () -> LOG.info("TLS certificate {} from {}; it and the key {} are checked for changes every {}",
                        first.summary(), certificateFile, keyFile, every));
    }

    /** Reloads the pair when either file changed since the last look; see {@link Outcome}. */
    synchronized Outcome reloadIfChanged() {
        Optional<FileStamp> stamp = FileStamp.of(certificateFile, keyFile);
        if (stamp.equals(lastSeen)) {
            return Outcome.UNCHANGED;
        }
        lastSeen = stamp;
        PemKeyStore candidate;
        try {
            candidate = PemKeyStore.read(certificateFile, keyFile);
        } catch (ConfigException e) {
            LOG.warn("TLS certificate not reloaded, still serving {}: {}", served.summary(), e.getMessage());
            return Outcome.REJECTED;
        }
        try {
            ssl.reload(context -> context.setKeyStore(candidate.keyStore()));
        } catch (Exception e) {
            LOG.warn("TLS certificate {} could not be loaded, going back to {}", candidate.summary(), served.summary(), e);
            restore();
            return Outcome.REJECTED;
        }
        served = candidate;
        candidate.validityProblem(clock.instant()).ifPresentOrElse(
                problem -> LOG.warn("TLS certificate reloaded: now serving {}, which clients will refuse: {}",
                        candidate.summary(), problem),
                () -> LOG.info("TLS certificate reloaded: now serving {}", candidate.summary()));
        return Outcome.RELOADED;
    }

    /** Stops looking; the pair served now stays. */
    @Override
    public void close() {
        BackgroundThreads.stop(scheduler);
    }

    private void lookSafely() {
        try {
            reloadIfChanged();
        } catch (RuntimeException e) {
            // An exception would cancel every later look; log it and look again next time.
            LOG.warn("TLS certificate reload check failed", e);
        }
    }

    private void restore() {
        try {
            ssl.reload(context -> context.setKeyStore(served.keyStore()));
        } catch (Exception e) {
            LOG.error("TLS context could not be restored to {}; new connections may fail", served.summary(), e);
        }
    }

    /**
     * What tells a changed file from an unchanged one: its modification time, size and identity
     * (an inode; a file moved into place is a new one). Links are followed, so a symbolic link
     * switched to a new target counts as a change.
     */
    record FileStamp(FileState certificate, FileState key) {
        FileStamp {
            Objects.requireNonNull(certificate);
            Objects.requireNonNull(key);
        }

        /** The stamp of both files, or empty when either cannot be looked at (missing, unreadable directory). */
        static Optional<FileStamp> of(Path certificateFile, Path keyFile) {
            try {
                return Optional.of(new FileStamp(FileState.of(certificateFile), FileState.of(keyFile)));
            } catch (IOException e) {
                return Optional.empty();
            }
        }
    }

    /** One file's modification time, size and identity ({@link BasicFileAttributes#fileKey()}, as text). */
    record FileState(FileTime modified, long size, String identity) {
        static FileState of(Path file) throws IOException {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return new FileState(attributes.lastModifiedTime(), attributes.size(), String.valueOf(attributes.fileKey()));
        }
    }
}
