package io.berth.metadata;

import io.berth.oci.Digest;
import java.time.Instant;

/** A blob garbage collection removed (or is removing), with its size and when. */
public record RemovedBlob(Digest digest, long size, Instant at) {
}
