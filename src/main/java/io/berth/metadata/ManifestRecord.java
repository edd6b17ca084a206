package io.berth.metadata;

import io.berth.oci.Digest;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A manifest as stored: its exact bytes plus the facts the API lists and the references that keep
 * its blobs and children alive.
 */
public record ManifestRecord(Digest digest, String mediaType, byte[] content, Optional<Digest> subject,
                             Optional<String> artifactType, Map<String, String> annotations,
                             List<Digest> blobReferences, List<Digest> manifestReferences) {
    public ManifestRecord {
        annotations = Map.copyOf(annotations);
        blobReferences = List.copyOf(blobReferences);
        manifestReferences = List.copyOf(manifestReferences);
    }

    /** The record of a parsed manifest with its exact bytes. */
    public static ManifestRecord of(io.berth.oci.Digest digest, io.berth.oci.Manifest manifest, byte[] content) {
        return new ManifestRecord(digest, manifest.mediaType(), content,
                manifest.subject().map(io.berth.oci.Descriptor::digest), manifest.referrerArtifactType(),
                manifest.annotations(),
                manifest.requiredBlobs().stream().map(io.berth.oci.Descriptor::digest).distinct().toList(),
                manifest.manifests().stream().map(io.berth.oci.Descriptor::digest).distinct().toList());
    }
}
