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

    /**
     * Points {@code tag} at {@code manifest} when the repository has no such tag and returns empty;
     * otherwise changes nothing and returns the digest the tag points at. Either way, inside a
     * transaction, no other transaction sets, moves or deletes the tag until this one ends: the
     * caller may judge the change and then {@link #setTag move} it without a race (two concurrent
     * first pushes: one inserts, the other waits and sees the winner's digest).
     */
    Optional<Digest> setTagIfAbsent(RepositoryName repository, Tag tag, Digest manifest);

    /**
     * The digest {@code tag} points at, if any; inside a transaction its row stays locked against
     * other transactions' changes until this one ends.
     */
    Optional<Digest> lockTag(RepositoryName repository, Tag tag);

    /**
     * Every tag of the repository that points at {@code manifest}, in byte order; inside a
     * transaction the manifest stays locked until this one ends, so no tag is added to it meanwhile.
     */
    List<String> lockTagsOf(RepositoryName repository, Digest manifest);

    /** Removes one tag; true when it existed. */
    boolean deleteTag(RepositoryName repository, Tag tag);

    /** Every tag of the repository that points at {@code manifest}, in byte order. */
    List<String> tagsOf(RepositoryName repository, Digest manifest);

    /** Tag names after {@code after}, in byte ("ASCIIbetical") order, at most {@code limit}. */
    List<String> listTags(RepositoryName repository, Optional<String> after, int limit);
}
