package io.berth.metadata;

import io.berth.oci.Digest;

/** A blob the metadata records as verified and stored, with the size recorded for it. */
public record RecordedBlob(Digest digest, long size) {
}
