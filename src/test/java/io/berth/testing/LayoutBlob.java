package io.berth.testing;

import io.berth.oci.Digest;

/** A blob of an OCI image layout, as a descriptor names it (OCI Image Spec, "Descriptors"). */
public record LayoutBlob(String mediaType, Digest digest, long size) {
}
