package io.berth.server;

import io.berth.config.UploadsConfig;
import io.berth.registry.UploadService;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Expires abandoned upload sessions in the background: once at start and then every sweep
 * interval, sessions idle for longer than the configured period are removed with their staged
 * bytes ({@link UploadService#expireIdle}). Every node runs its own sweep; they never remove a
 * session twice.
 */
final class UploadExpiry implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(UploadExpiry.class);

    private final UploadService uploads;
    private final Duration expireAfter;
    private final Clock clock;
    private final ScheduledExecutorService schedule = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("berth-upload-expiry").factory());

    private UploadExpiry(UploadService uploads, Duration expireAfter, Clock clock) {
        this.uploads = uploads;
        this.expireAfter = expireAfter;
        this.clock = clock;
    }

    /** Starts sweeping as configured; empty when sessions never expire. */
    static Optional<UploadExpiry> start(UploadsConfig config, UploadService uploads, Clock clock) {
        return config.expireAfter().map(expireAfter -> {
            UploadExpiry expiry = new UploadExpiry(uploads, expireAfter, clock);
            long interval = config.sweepInterval().toMillis();
            expiry.schedule.scheduleWithFixedDelay(expiry::sweepQuietly, 0, interval, TimeUnit.MILLISECONDS);
            return expiry;
        });
    }

    private void sweepQuietly() {
        try {
            int expired = uploads.expireIdle(clock.instant().minus(expireAfter));
            if (expired > 0) {
                LOG.info("expired {} upload session(s) idle for more than {}", expired, expireAfter);
            }
        } catch (RuntimeException e) {
            LOG.error("cannot expire idle upload sessions; trying again at the next sweep", e);
        }
    }

    @Override
    public void close() {
        schedule.shutdownNow();
        try {
            schedule.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
