package io.berth.server;

import io.berth.config.UploadsConfig;
import io.berth.registry.UploadService;
import io.berth.registry.UploadSweep;
import io.berth.storage.UploadId;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sweeps upload sessions in the background, once at start and then every sweep interval: sessions
 * idle for longer than the configured period are removed with their staged bytes
 * ({@link UploadService#expireIdle}), and staged bytes that no session owns, found ownerless by two
 * sweeps in a row, are removed ({@link UploadService#discardOrphanStaging}). Every node runs its own
 * sweep; they never remove a session twice.
 */
final class UploadExpiry implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(UploadExpiry.class);

    private final UploadService uploads;
    private final Optional<Duration> expireAfter;
    private final ScheduledExecutorService schedule = BackgroundThreads.scheduler("berth-upload-expiry");

    /** Ownerless staging seen by the previous sweep; touched only by the sweeping thread. */
    private Set<UploadId> orphanSuspects = Set.of();

    private UploadExpiry(UploadService uploads, Optional<Duration> expireAfter) {
        this.uploads = uploads;
        this.expireAfter = expireAfter;
    }

    /** Starts sweeping as configured. */
    static UploadExpiry start(UploadsConfig config, UploadService uploads) {
        UploadExpiry expiry = new UploadExpiry(uploads, config.expireAfter());
        long interval = config.sweepInterval().toMillis();
        expiry.schedule.scheduleWithFixedDelay(expiry::sweepQuietly, 0, interval, TimeUnit.MILLISECONDS);
        return expiry;
    }

    private void sweepQuietly() {
        expireAfter.ifPresent(period -> {
            try {
                int expired = uploads.sweep().expireIdle(period);
                if (expired > 0) {
                    LOG.info("expired {} upload session(s) idle for more than {}", expired, period);
                }
            } catch (RuntimeException e) {
                LOG.error("cannot expire idle upload sessions; trying again at the next sweep", e);
            }
        });
        try {
            UploadSweep.OrphanSweep sweep = uploads.sweep().discardOrphanStaging(orphanSuspects);
            orphanSuspects = sweep.suspects();
            if (sweep.removed() > 0 || !sweep.suspects().isEmpty()) {
                LOG.info("staged uploads without a session: {} removed, {} to look at again at the next sweep",
                        sweep.removed(), sweep.suspects().size());
            }
        } catch (RuntimeException e) {
            LOG.error("cannot look for staged uploads without a session; trying again at the next sweep", e);
        }
    }

    @Override
    public void close() {
        BackgroundThreads.stop(schedule);
    }
}
