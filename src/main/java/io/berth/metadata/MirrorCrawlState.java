package io.berth.metadata;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What the crawler last learned about a mirror.
 *
 * @param syncedGeneration    the mirror generation the mirror's sync index showed at its last good crawl
 * @param stale               the last crawl failed or found the mirror inconsistent
 * @param consecutiveFailures failed crawls since the last good one
 * @param lastCrawlAt         when it was last crawled
 * @param lastError           why the last crawl failed, when it did
 */
public record MirrorCrawlState(OptionalLong syncedGeneration, boolean stale, int consecutiveFailures,
                               Optional<Instant> lastCrawlAt, Optional<String> lastError) {

    /** A mirror never crawled: stale until a crawl proves otherwise. */
    public static MirrorCrawlState neverCrawled() {
        return new MirrorCrawlState(OptionalLong.empty(), true, 0, Optional.empty(), Optional.empty());
    }
}
