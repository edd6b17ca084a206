package io.berth.storage;

import io.berth.oci.Digest;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Implemented by stores whose committed blobs are plain local files, so that the HTTP layer can
 * send them with zero-copy file transfer.
 */
public interface LocalBlobFiles {

    /** The file holding a committed blob, or empty when the store does not hold it. */
    Optional<Path> localFile(Digest digest);
}
