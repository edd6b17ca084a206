package io.berth.metadata;

import io.berth.oci.Digest;
import io.berth.oci.RepositoryName;
import io.berth.oci.Tag;
import java.util.List;
import java.util.Optional;

/** Manifests and the referrers index over their subjects. */
public interface ManifestQueries {

    /** Stores a manifest in a repository (creating the repository); a no-op when already there. */
    void putManifest(RepositoryName repository, ManifestRecord manifest);

    Optional<StoredManifest> manifest(RepositoryName repository, Digest digest);

    /** The manifest a tag points at, in one lookup. */
    Optional<StoredManifest> manifestByTag(RepositoryName repository, Tag tag);

    boolean manifestExists(RepositoryName repository, Digest digest);

    /** When the manifest was first stored in the repository, or empty when it is not there. */
    Optional<java.time.Instant> manifestStoredAt(RepositoryName repository, Digest digest);

    /**
     * Records {@code principal} as who pushed the manifest, unless someone is recorded already: the
     * first known pusher stays.
     */
    void recordPusher(RepositoryName repository, Digest digest, String principal);

    /** Who first pushed the manifest into the repository, when known. */
    Optional<String> pusher(RepositoryName repository, Digest digest);

    /** Deletes a manifest and, with it, every tag on it; true when it existed. */
    boolean deleteManifest(RepositoryName repository, Digest digest);

    /** Manifests in the repository whose subject is {@code subject}, optionally of one artifact type. */
    List<ReferrerRecord> referrers(RepositoryName repository, Digest subject, Optional<String> artifactType);
}
