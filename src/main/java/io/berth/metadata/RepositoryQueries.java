package io.berth.metadata;

import io.berth.oci.RepositoryName;
import java.util.List;
import java.util.Optional;

/** Repositories: created on first content, listed by the catalog. */
public interface RepositoryQueries {

    /** True when the repository has any linked blob or manifest. */
    boolean repositoryExists(RepositoryName name);

    /** Repository names after {@code after}, in byte order, at most {@code limit}. */
    List<RepositoryName> listRepositories(Optional<String> after, int limit);
}
