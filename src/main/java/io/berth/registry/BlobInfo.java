package io.berth.registry;

import io.berth.oci.Digest;

/** A verified blob as a repository sees it. */
public record BlobInfo(Digest digest, long size) {
}
