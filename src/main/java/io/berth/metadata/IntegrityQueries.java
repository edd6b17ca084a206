package io.berth.metadata;

import io.berth.oci.Digest;
import io.berth.oci.RepositoryName;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What {@code berth fsck} asks of the metadata: the recorded blobs in the order a blob store lists
 * them, what refers to a blob, the references that point at nothing, and how to forget a blob that
 * the store no longer holds intact. Digests are compared as byte strings, the order of
 * {@code io.berth.storage.BlobInventory#DIGEST_ORDER}.
 */
public interface IntegrityQueries {

    /** At most {@code limit} recorded blobs whose digests sort after {@code after}, in digest order. */
    List<RecordedBlob> recordedBlobs(Optional<Digest> after, int limit);

    /** How many blobs are recorded after {@code after} (all when empty), and their recorded bytes. */
    BlobTotals recordedTotals(Optional<Digest> after);

    /** The repositories that link {@code digest}, in name order. */
    List<RepositoryName> repositoriesLinking(Digest digest);

    /** The manifests that point at {@code digest}, as a blob, a child manifest or a subject. */
    List<ManifestReference> referencesTo(Digest digest);

    /**
     * Every blob or child-manifest reference whose target is not in the manifest's repository: a
     * blob the repository does not link (unlinked, or never recorded), or a child manifest it does not
     * hold. Such a manifest cannot be pulled completely.
     */
    void forEachDanglingReference(Consumer<ManifestReference> each);

    /** Every manifest whose subject is not in its repository (allowed by the spec; reported, not a fault). */
    void forEachMissingSubject(Consumer<ManifestReference> each);

    /** Every recorded blob that no repository links and no manifest references, in digest order. */
    void forEachUnreferencedBlob(Consumer<RecordedBlob> each);

    /**
     * Removes the blob's record and every repository's link to it, so that the registry no longer
     * claims to hold it: a {@code HEAD} answers 404 and a mount without a source fails, and a client
     * pushes the blob again. Manifests keep their references. Run it in a transaction.
     *
     * @return the repositories that linked the blob, in name order
     */
    List<RepositoryName> forgetBlob(Digest digest);
}
