package io.berth.mirror;

import io.berth.oci.RepositoryGlob;
import io.berth.oci.RepositoryName;
import java.util.List;

/**
 * The repositories whose blobs go into the mirror tree, and through which a blob may be fetched
 * from a mirror or the CDN. Mirrors and the CDN serve anyone who knows a digest, so a blob enters
 * the tree only when a repository in scope links it, and a request through a repository out of
 * scope is always served by Berth. By default the scope is what anonymous callers may pull.
 */
@FunctionalInterface
public interface ExportScope {

    /** Every repository: a registry without authentication. */
    ExportScope EVERYTHING = repository -> true;

    boolean includes(RepositoryName repository);

    /** The repositories matching any of {@code patterns} ({@code *} one component, {@code **} any). */
    static ExportScope matching(List<String> patterns) {
        List<RepositoryGlob> globs = patterns.stream().map(RepositoryGlob::new).toList();
        return repository -> globs.stream().anyMatch(glob -> glob.matches(repository.value()));
    }
}
