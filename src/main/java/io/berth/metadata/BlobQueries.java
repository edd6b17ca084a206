package io.berth.metadata;

import io.berth.oci.Digest;
import io.berth.oci.RepositoryName;
import java.util.Optional;
import java.util.OptionalLong;

/** Verified blobs and the per-repository links that make them readable. */
public interface BlobQueries {

    /** Records a verified blob; a no-op when already recorded. */
    void recordBlob(Digest digest, long size);

    /** The size of a verified blob in any repository, or empty. */
    OptionalLong blobSize(Digest digest);

    /**
     * Links a recorded blob into a repository (creating the repository); idempotent. Inside a
     * transaction the blob's record is locked first, so that the link and a removal of the record
     * never wait for each other in opposite orders.
     *
     * @throws MetadataException when the blob is not recorded (say garbage collection removed it)
     */
    void linkBlob(RepositoryName repository, Digest digest);

    /** The size of a blob when {@code repository} links it, else empty. */
    OptionalLong linkedBlobSize(RepositoryName repository, Digest digest);

    /** The blob when {@code repository} links it, with its mirror generation; else empty. */
    Optional<LinkedBlob> linkedBlob(RepositoryName repository, Digest digest);

    /** Removes the link; true when there was one. */
    boolean unlinkBlob(RepositoryName repository, Digest digest);
}
