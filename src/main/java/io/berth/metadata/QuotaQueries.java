package io.berth.metadata;

import io.berth.oci.Digest;
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

    /** Whether any of {@code repositories} links the blob {@code digest}: adding it to another of them adds no bytes. */
    boolean holdsBlob(List<RepositoryName> repositories, Digest digest);

    /** Whether any of {@code repositories} stores the manifest {@code digest}: adding it to another of them adds no bytes. */
    boolean holdsManifest(List<RepositoryName> repositories, Digest digest);

    /**
     * Inside a transaction, waits until no other transaction holds the quota named {@code pattern}
     * and holds it until this one ends, so that checks of one quota and the writes they let through
     * run one after another (PostgreSQL: a transaction-level advisory lock). Nothing on SQLite,
     * whose writers already run one at a time.
     */
    void lockQuota(String pattern);
}
