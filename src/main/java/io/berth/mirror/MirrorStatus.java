package io.berth.mirror;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A mirror with what its last crawl found.
 *
 * @param syncedGeneration    the generation its sync index showed at the last good crawl
 * @param stale               the last crawl failed, or none has run yet
 * @param consecutiveFailures failed crawls since the last good one
 */
public record MirrorStatus(Mirror mirror, OptionalLong syncedGeneration, boolean stale, int consecutiveFailures,
                           Optional<Instant> lastCrawlAt, Optional<String> lastError) {

    /** Whether the mirror may be sent clients at all: enabled, freshly crawled, holding some generation. */
    public boolean usable() {
        return mirror.enabled() && !stale && syncedGeneration.isPresent();
    }

    /** Whether the mirror may be sent clients for a blob of {@code generation}. */
    public boolean holds(long generation) {
        return usable() && syncedGeneration.getAsLong() >= generation;
    }
}
