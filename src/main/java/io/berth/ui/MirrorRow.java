package io.berth.ui;

import io.berth.mirror.MirrorStatus;
import io.berth.mirror.ProbeState;

/**
 * One mirror as the mirror page shows it: what the catalogue knows from its crawls, and what this
 * node's probes found.
 */
public record MirrorRow(MirrorStatus status, ProbeState probe) {
    /** {@code DE, EU}, or what is known of it. */
    public String location() {
        String country = status.mirror().country().orElse("");
        String continent = status.mirror().continent().orElse("");
        return country.isEmpty() ? (continent.isEmpty() ? "—" : continent)
                : continent.isEmpty() ? country : country + ", " + continent;
    }

    /** In a few words: whether clients are sent there now, and if not, why. */
    public String state() {
        if (!status.mirror().enabled()) {
            return "disabled";
        }
        if (status.syncedGeneration().isEmpty()) {
            return "not synced yet";
        }
        if (status.stale()) {
            return "stale";
        }
        return probe.reachable() ? "in use" : "unreachable from this node";
    }

    public boolean inUse() {
        return status.usable() && probe.reachable();
    }
}
