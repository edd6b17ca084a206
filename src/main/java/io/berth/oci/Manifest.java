package io.berth.oci;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed and validated manifest: the facts Berth needs from it. The exact bytes the client sent
 * are kept separately; this record is never serialised back.
 *
 * @param kind        which of the four formats it is
 * @param mediaType   the media type it is stored and served under
 * @param config      the config descriptor of an image manifest
 * @param layers      the layer descriptors of an image manifest
 * @param manifests   the child manifests of an index
 * @param subject     the manifest this one refers to (referrers API)
 * @param artifactType the declared {@code artifactType}, when present
 * @param annotations the manifest's annotations
 */
public record Manifest(ManifestKind kind, String mediaType, Optional<Descriptor> config, List<Descriptor> layers,
                       List<Descriptor> manifests, Optional<Descriptor> subject, Optional<String> artifactType,
                       Map<String, String> annotations) {

    public Manifest {
        layers = List.copyOf(layers);
        manifests = List.copyOf(manifests);
        annotations = Map.copyOf(annotations);
    }

    /**
     * The {@code artifactType} a referrers listing shows for this manifest: the declared one, else
     * the config's media type for an image manifest, else none (OCI Distribution Spec, "Listing
     * Referrers").
     */
    public Optional<String> referrerArtifactType() {
        if (artifactType.isPresent()) {
            return artifactType;
        }
        return kind.isIndex() ? Optional.empty() : config.map(Descriptor::mediaType);
    }

    /** Blobs that must be linked in the repository before this manifest is accepted. */
    public List<Descriptor> requiredBlobs() {
        List<Descriptor> blobs = new ArrayList<>();
        config.ifPresent(blobs::add);
        for (Descriptor layer : layers) {
            if (!layer.isNonDistributable()) {
                blobs.add(layer);
            }
        }
        return blobs;
    }
}
