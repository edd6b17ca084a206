package io.berth.metadata;

import io.berth.oci.RepositoryName;
import java.util.List;

/**
 * What quotas are measured by: the repositories under a name prefix, and the bytes a set of
 * repositories hold together. Which repositories a quota covers is decided by its caller; the store
 * only counts.
 */
public interface QuotaQueries {

    /**
     * Names of the repositories that exist ({@link RepositoryQueries#repositoryExists}: they hold a
     * blob link or a manifest) and start with {@code prefix} (every one for an empty prefix), in byte order.
     */
    List<RepositoryName> repositoriesStartingWith(String prefix);

    /**
     * Bytes held by {@code repositories} taken together: the size of every distinct blob linked into
     * any of them, plus the size of every distinct manifest stored in any of them. A blob or manifest
     * held by several of them counts once; 0 for none.
     */
    long storedBytes(List<RepositoryName> repositories);
}
