package io.berth.storage;

import io.berth.oci.Digest;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * Implemented by stores that can hand clients a time-limited URL to fetch a committed blob from
 * directly (an object store's presigned GET), so that blob bytes bypass Berth.
 */
public interface BlobDownloadLinks {

    /** A URL from which the blob can be fetched for {@code validity}, or empty when links are off. */
    Optional<URI> downloadLink(Digest digest, Duration validity);
}
