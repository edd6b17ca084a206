package io.berth.metadata;

import io.berth.oci.Digest;
import io.berth.oci.RepositoryName;
import io.berth.oci.Tag;
import java.util.List;
import java.util.Optional;

/** Tags: mutable names for manifests. */
public interface TagQueries {

    /** Points {@code tag} at a manifest already in the repository; returns the digest it pointed at before. */
    Optional<Digest> setTag(RepositoryName repository, Tag tag, Digest manifest);

    /** Removes one tag; true when it existed. */
    boolean deleteTag(RepositoryName repository, Tag tag);

    /** Every tag of the repository that points at {@code manifest}, in byte order. */
    List<String> tagsOf(RepositoryName repository, Digest manifest);

    /** Tag names after {@code after}, in byte ("ASCIIbetical") order, at most {@code limit}. */
    List<String> listTags(RepositoryName repository, Optional<String> after, int limit);
}
