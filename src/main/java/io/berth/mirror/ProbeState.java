package io.berth.mirror;

import java.time.Instant;
import java.util.Optional;

/**
 * What this node's probes found of one download source (a mirror or the CDN), as its circuit
 * breaker in {@link SourceHealth} keeps it. Kept in memory only: each node judges for itself.
 *
 * @param reachable           whether clients may be sent there: false from {@link SourceHealth.Settings#failuresToOpen}
 *                            failed probes in a row until the next successful one
 * @param consecutiveFailures failed probes since the last successful one
 * @param openSince           when the source was found unreachable, while it is
 * @param lastProbeAt         when the last probe ended; empty before the first
 * @param lastError           why the last probe failed, when it did
 */
public record ProbeState(boolean reachable, int consecutiveFailures, Optional<Instant> openSince,
                         Optional<Instant> lastProbeAt, Optional<String> lastError) {

    /** A source no probe has judged yet: presumed reachable, as the crawler found it. */
    public static final ProbeState UNPROBED = new ProbeState(true, 0, Optional.empty(), Optional.empty(), Optional.empty());
}
