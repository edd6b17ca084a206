package io.berth.metadata;

import io.berth.oci.Digest;
import io.berth.oci.RepositoryName;

/**
 * One thing a stored manifest points at, as recorded when it was pushed.
 *
 * @param repository the repository the manifest is in
 * @param manifest   the manifest's digest
 * @param target     what it points at
 * @param kind       how it points at it
 */
public record ManifestReference(RepositoryName repository, Digest manifest, Digest target, Kind kind) {

    /** How a manifest points at another piece of content. */
    public enum Kind {
        /** A config or layer (or an artifact's blob): must be a blob the repository links. */
        BLOB,
        /** An index entry: must be a manifest in the same repository. */
        CHILD_MANIFEST,
        /** The {@code subject} of a referrer: the spec lets it be pushed before its subject, or never. */
        SUBJECT
    }
}
