package io.berth.storage;

import java.io.IOException;

/** Everything the registry needs from a place that keeps blob bytes. */
public interface BlobStore extends BlobReader, UploadStaging {

    /**
     * Returns when the store can be used: its folders are there and writable, or its bucket
     * answers. Throws, with the reason, when it cannot.
     */
    void probe() throws IOException;
}
