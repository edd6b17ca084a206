package io.berth.registry;

import io.berth.metadata.MaintenanceSwitch;
import io.berth.metadata.MetadataStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Read-only maintenance mode: while it is on, every write (blob uploads and mounts, manifest puts
 * and deletes, blob deletes, promotions) is refused and reads go on; garbage-collection passes
 * pause. The switch is stored in the metadata database, so every node sharing it follows one switch:
 * the node that switches applies it at once, the others when they next {@link #refresh} (the server
 * does every {@link #REFRESH_INTERVAL}).
 *
 * <p>This node's answer is the last value it read or stored; while the database cannot be read it
 * keeps that value, so a database outage never turns a read-only registry writable by itself.
 * {@link #readOnly()} never touches the database: it is asked on every write request.
 */
public final class MaintenanceMode implements BooleanSupplier {
    /** How often each node reads the stored switch: the longest another node keeps accepting writes after a switch. */
    public static final Duration REFRESH_INTERVAL = Duration.ofSeconds(2);

    private final MetadataStore metadata;
    private final Clock clock;
    private volatile Optional<MaintenanceSwitch> current;

    /** Reads the stored switch now; a database that cannot be read fails the start. */
    public MaintenanceMode(MetadataStore metadata, Clock clock) {
        this.metadata = metadata;
        this.clock = clock;
        this.current = stored();
    }

    /** Whether writes are refused now, as this node last knew. */
    public boolean readOnly() {
        return current.map(MaintenanceSwitch::readOnly).orElse(false);
    }

    /** Same as {@link #readOnly()}: garbage collection takes the mode as its "paused" supplier. */
    @Override
    public boolean getAsBoolean() {
        return readOnly();
    }

    /** The switch as this node last read or stored it; empty when it was never switched (read-write). */
    public Optional<MaintenanceSwitch> current() {
        return current;
    }

    /**
     * Stores the switch for every node and applies it on this one at once.
     *
     * @param changedBy who switches, for the record: a user, {@code robot$NAME}, or the command
     */
    public MaintenanceSwitch switchTo(boolean readOnly, String changedBy) {
        MaintenanceSwitch value = new MaintenanceSwitch(readOnly, changedBy, clock.instant());
        metadata.inTransaction(session -> {
            session.maintenance().storeMaintenanceSwitch(value);
            return null;
        });
        current = Optional.of(value);
        return value;
    }

    /**
     * Reads the stored switch again.
     *
     * @throws io.berth.metadata.MetadataException when the database cannot be read; the last value stays
     */
    public void refresh() {
        current = stored();
    }

    private Optional<MaintenanceSwitch> stored() {
        return metadata.read(session -> session.maintenance().maintenanceSwitch());
    }
}
