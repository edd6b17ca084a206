package io.berth.ui;

import io.berth.oci.RepositoryName;
import java.util.List;
import java.util.Optional;

/**
 * One page of a repository's tags, each with what its manifest says.
 *
 * @param nextAfter the tag the next page starts after, when there is a next page
 */
public record RepositoryTags(RepositoryName repository, List<ImageSummary> tags, Optional<String> nextAfter) {
    public RepositoryTags {
        tags = List.copyOf(tags);
    }
}
