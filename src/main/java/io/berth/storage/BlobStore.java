package io.berth.storage;

import java.io.IOException;

/** Everything the registry needs from a place that keeps blob bytes. */
public interface BlobStore extends BlobReader, UploadStaging {

    /**
     * Returns when the store can take writes: on a filesystem, its folders are there and a small
     * file written beside the staged uploads reaches the disk (so a full disk or a read-only mount
     * fails); in an object store, its bucket answers. Throws, with the reason, when it cannot.
     * Cheap enough to run every second, not on every request.
     */
    void probe() throws IOException;

    /**
     * Removes a committed blob's bytes; a no-op when the store does not hold them. Only garbage
     * collection calls this, after the blob's record is gone and while its removal is marked, so no
     * upload can record the digest meanwhile.
     */
    void delete(io.berth.oci.Digest digest) throws IOException;
}
