package io.berth.metadata;

import io.berth.oci.RepositoryName;
import java.util.List;
import java.util.Optional;

/** Repositories: created on first content, listed by the catalog. */
public interface RepositoryQueries {

    /** True when the repository has any linked blob or manifest. */
    boolean repositoryExists(RepositoryName name);

    /**
     * Names of the repositories that hold at least one manifest (tagged or not), after {@code after},
     * in byte order, at most {@code limit}: what the catalog lists. A repository holding only blob
     * links, such as one whose push stopped before its manifest, {@link #repositoryExists exists}
     * but is not listed. Every tag names a manifest, so a repository with tags is always listed.
     * The manifests' primary key {@code (repository_id, digest)} answers the test for each name.
     */
    List<RepositoryName> listRepositories(Optional<String> after, int limit);

    /**
     * Like {@link #listRepositories}, only the names that contain {@code fragment} (compared as
     * written: repository names are lower case). The fragment is matched literally; {@code %} and
     * {@code _} in it are not wildcards.
     */
    List<RepositoryName> searchRepositories(String fragment, Optional<String> after, int limit);
}
