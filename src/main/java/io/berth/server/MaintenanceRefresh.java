package io.berth.server;

import io.berth.registry.MaintenanceMode;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the stored read-only maintenance switch every {@link MaintenanceMode#REFRESH_INTERVAL}, so
 * that this node follows a switch made on another node or by {@code berth maintenance}; a change is logged.
 */
final class MaintenanceRefresh implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MaintenanceRefresh.class);

    private final MaintenanceMode mode;
    private final ScheduledExecutorService schedule = BackgroundThreads.scheduler("berth-maintenance-refresh");

    private MaintenanceRefresh(MaintenanceMode mode) {
        this.mode = mode;
    }

    static MaintenanceRefresh start(MaintenanceMode mode) {
        MaintenanceRefresh refresh = new MaintenanceRefresh(mode);
        long interval = MaintenanceMode.REFRESH_INTERVAL.toMillis();
        refresh.schedule.scheduleWithFixedDelay(refresh::refreshQuietly, interval, interval, TimeUnit.MILLISECONDS);
        return refresh;
    }

    private void refreshQuietly() {
        boolean before = mode.readOnly();
        try {
            mode.refresh();
        } catch (RuntimeException e) {
            LOG.warn("cannot read the maintenance switch; keeping {} until the next try", before ? "read-only" : "read-write", e);
            return;
        }
        if (mode.readOnly() != before) {
            LOG.warn("read-only maintenance mode is now {} (switched by {})", mode.readOnly() ? "on" : "off",
                    mode.current().map(value -> value.changedBy()).orElse("nobody"));
        }
    }

    @Override
    public void close() {
        BackgroundThreads.stop(schedule);
    }
}
