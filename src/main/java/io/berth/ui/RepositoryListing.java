package io.berth.ui;

import io.berth.oci.RepositoryName;
import java.util.List;
import java.util.Optional;

/**
 * One page of the repositories a caller may see.
 *
 * @param query     the fragment names were searched for, when one was given
 * @param names     the names on this page, in byte order
 * @param nextAfter the name the next page starts after, when there is a next page
 */
public record RepositoryListing(Optional<String> query, List<RepositoryName> names, Optional<String> nextAfter) {
    public RepositoryListing {
        names = List.copyOf(names);
    }
}
