package io.berth.gc;

import io.berth.oci.RepositoryName;

/** Whether a tag is immutable or protected, and so never removed by retention. */
@FunctionalInterface
public interface TagGuard {

    /** A guard that protects nothing. */
    TagGuard NONE = (repository, tag) -> false;

    boolean guarded(RepositoryName repository, String tag);
}
