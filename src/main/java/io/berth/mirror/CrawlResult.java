package io.berth.mirror;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * What one crawl of one mirror found.
 *
 * @param generation the generation the mirror holds, when the crawl succeeded
 * @param error      why it failed, when it did
 */
public record CrawlResult(String mirror, OptionalLong generation, Optional<String> error) {

    public static CrawlResult holding(String mirror, long generation) {
        return new CrawlResult(mirror, OptionalLong.of(generation), Optional.empty());
    }

    public static CrawlResult failed(String mirror, String error) {
        return new CrawlResult(mirror, OptionalLong.empty(), Optional.of(error));
    }

    public boolean succeeded() {
        return error.isEmpty();
    }
}
