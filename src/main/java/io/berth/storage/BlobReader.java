package io.berth.storage;

import io.berth.oci.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.util.OptionalLong;

/** Reads committed blobs. */
public interface BlobReader {

    /** The size of a committed blob, or empty when the store does not hold it. */
    OptionalLong size(Digest digest) throws IOException;

    /**
     * Opens {@code length} bytes of a committed blob starting at {@code offset}. The caller closes
     * the stream.
     *
     * @throws java.nio.file.NoSuchFileException when the store does not hold the blob
     */
    InputStream open(Digest digest, long offset, long length) throws IOException;
}
