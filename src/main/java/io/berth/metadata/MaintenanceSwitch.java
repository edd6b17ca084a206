package io.berth.metadata;

import java.time.Instant;
import java.util.Objects;

/**
 * The stored read-only maintenance switch, which every node sharing the database follows.
 *
 * @param readOnly  whether writes are refused
 * @param changedBy who switched it last: a user, {@code robot$NAME}, or the command that did
 * @param changedAt when it was switched last
 */
public record MaintenanceSwitch(boolean readOnly, String changedBy, Instant changedAt) {
    public MaintenanceSwitch {
        Objects.requireNonNull(changedBy, "changedBy");
        Objects.requireNonNull(changedAt, "changedAt");
        if (changedBy.isBlank()) {
            throw new IllegalArgumentException("a maintenance switch names who changed it");
        }
    }
}
