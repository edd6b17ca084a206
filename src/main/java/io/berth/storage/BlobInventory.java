package io.berth.storage;

import io.berth.oci.Digest;
import java.io.IOException;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Walks a store's committed blobs and sets bad ones aside: what {@code berth fsck} needs to re-hash
 * every blob against the digest it is named by and to take a corrupt one out of service.
 */
public interface BlobInventory extends BlobReader {

    /**
     * The order in which {@link #committedBlobs} lists blobs: by the digest's string form
     * ({@code sha256:…} before {@code sha512:…}, then by hex), so that a walk can be resumed after
     * the last digest it reached.
     */
    Comparator<Digest> DIGEST_ORDER = Comparator.comparing(Digest::toString);

    /**
     * At most {@code limit} committed blobs whose digests sort strictly after {@code after} (from the
     * first when empty), in {@link #DIGEST_ORDER}. Anything under the blob tree that is not named
     * like a blob at its content address is not listed. Only one page is held in memory, so a walk
     * over any number of blobs costs a fixed amount of memory.
     */
    List<CommittedBlob> committedBlobs(Optional<Digest> after, int limit) throws IOException;

    /**
     * Moves the blob out of its content address, keeping its bytes for forensics under the store's
     * quarantine ({@link BlobLayout#quarantined}, {@link BlobLayout#quarantineKey}); a later quarantine
     * of the same digest never overwrites an earlier one. Afterwards the store does not hold the blob,
     * so a new upload of the same digest is committed afresh.
     *
     * @return where the bytes are now (a path or an object key), or empty when the store did not hold the blob
     */
    Optional<String> quarantine(Digest digest) throws IOException;
}
