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
}
