package io.berth.server;

import io.berth.config.BerthConfig;
import io.berth.metadata.MaintenanceSwitch;
import io.berth.metadata.MetadataStore;
import io.berth.registry.MaintenanceMode;
import java.time.Clock;
import java.util.Optional;

/** {@code berth maintenance} over the configured metadata database, beside running servers. */
public final class MaintenanceTools {
    /** Who switched, as recorded when the command line did. */
    public static final String COMMAND = "berth maintenance";

    private MaintenanceTools() {
    }

    /** The mode every node follows (running nodes within {@link MaintenanceMode#REFRESH_INTERVAL}). */
    public static Optional<MaintenanceSwitch> status(BerthConfig config) {
        try (MetadataStore metadata = BerthServer.openMetadata(config, Clock.systemUTC())) {
            return new MaintenanceMode(metadata, Clock.systemUTC()).current();
        }
    }

    /** Switches read-only maintenance mode on or off for every node sharing the configured database. */
    public static MaintenanceSwitch switchTo(BerthConfig config, boolean readOnly) {
        try (MetadataStore metadata = BerthServer.openMetadata(config, Clock.systemUTC())) {
            return new MaintenanceMode(metadata, Clock.systemUTC()).switchTo(readOnly, COMMAND);
        }
    }

    /**
     * Whether a pass run from the command line must change nothing: the configuration says
     * {@code read-only: true}, or the stored switch is on.
     */
    static boolean readOnly(BerthConfig config, MetadataStore metadata) {
        return config.readOnly() || metadata.read(session -> session.maintenance().maintenanceSwitch())
                .map(MaintenanceSwitch::readOnly).orElse(false);
    }
}
