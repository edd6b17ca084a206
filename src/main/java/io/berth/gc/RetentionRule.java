package io.berth.gc;

import io.berth.metadata.TagRecord;
import io.berth.oci.RepositoryGlob;
import io.berth.oci.TagPattern;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Which tags of a repository grow old: those not set for {@code olderThan}, except the newest
 * {@code keepLast} and those matching {@code keepTags}.
 */
public record RetentionRule(RepositoryGlob repositories, Duration olderThan, int keepLast, List<TagPattern> keepTags) {

    public RetentionRule {
        if (olderThan.isNegative() || olderThan.isZero()) {
            throw new IllegalArgumentException("a retention rule needs a positive age");
        }
        if (keepLast < 0) {
            throw new IllegalArgumentException("keep-last must not be negative");
        }
        keepTags = List.copyOf(keepTags);
    }

    /**
     * The tags this rule lets go at {@code now}, from a repository's tags newest first. Ties in age
     * are broken by name, as the list arrives, so the choice is the same on every node.
     */
    public List<TagRecord> expired(List<TagRecord> newestFirst, Instant now) {
        Instant cutoff = now.minus(olderThan);
        List<TagRecord> expired = new ArrayList<>();
        for (int i = keepLast; i < newestFirst.size(); i++) {
            TagRecord tag = newestFirst.get(i);
            if (tag.updatedAt().isBefore(cutoff) && keepTags.stream().noneMatch(pattern -> pattern.matches(tag.name()))) {
                expired.add(tag);
            }
        }
        return expired;
    }
}
