package io.berth.metadata;

import io.berth.oci.RepositoryName;

/** A repository's row: its internal id and its name. */
public record RepositoryRecord(long id, RepositoryName name) {
}
