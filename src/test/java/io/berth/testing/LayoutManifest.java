package io.berth.testing;

import io.berth.oci.Digest;
import java.util.Set;

/** A manifest written into an OCI image layout: an image manifest or an image index. */
public sealed interface LayoutManifest permits OciImage, OciIndex {
    /** The manifest blob itself. */
    LayoutBlob manifest();

    /** Every blob this manifest reaches, the manifest included. */
    Set<Digest> blobs();
}
