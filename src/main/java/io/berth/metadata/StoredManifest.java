package io.berth.metadata;

import io.berth.oci.Digest;

/** The bytes and media type of a stored manifest, as served on GET. */
public record StoredManifest(Digest digest, String mediaType, byte[] content) {
}
