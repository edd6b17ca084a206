package io.berth.metadata;

import io.berth.oci.Digest;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Which promotions to list, newest first.
 *
 * @param targetRepository only promotions into this repository
 * @param sourceRepository only promotions out of this repository
 * @param sourceDigest     only promotions of this manifest
 * @param before           only promotions older than this id (the next page)
 * @param limit            at most this many
 */
public record PromotionFilter(Optional<String> targetRepository, Optional<String> sourceRepository,
                              Optional<Digest> sourceDigest, OptionalLong before, int limit) {

    public PromotionFilter {
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be positive");
        }
    }

    public static PromotionFilter newest(int limit) {
        return new PromotionFilter(Optional.empty(), Optional.empty(), Optional.empty(), OptionalLong.empty(), limit);
    }
}
