package io.berth.metadata;

import io.berth.oci.Digest;

/** A blob added to the mirror tree by a mirror generation. */
public record GenerationBlob(Digest digest, long size, long generation) {
}
