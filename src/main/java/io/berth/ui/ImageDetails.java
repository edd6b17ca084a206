package io.berth.ui;

import io.berth.metadata.ReferrerRecord;
import io.berth.oci.Descriptor;
import io.berth.oci.Digest;
import io.berth.oci.RepositoryName;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Everything the page of one manifest shows.
 *
 * @param reference     the tag or digest the page was asked for
 * @param manifestBytes the length of the manifest itself
 * @param size          an image's config and layers together; empty for an index
 * @param config        an image manifest's config descriptor
 * @param configFacts   what its configuration says, when it is an image configuration Berth could read
 * @param manifests     an index's entries, each with the platform it states
 * @param subject       the manifest this one refers to, for a signature, SBOM or other referrer
 * @param referrers     the manifests that refer to this one
 * @param tags          the repository's tags that point at this manifest
 */
public record ImageDetails(RepositoryName repository, String reference, Digest digest, String mediaType, ImageKind kind,
                           Optional<String> artifactType, long manifestBytes, OptionalLong size,
                           Optional<Descriptor> config, ImageConfigFacts configFacts, List<Descriptor> layers,
                           List<IndexEntry> manifests, Map<String, String> annotations, Optional<Descriptor> subject,
                           List<ReferrerRecord> referrers, List<String> tags) {
    public ImageDetails {
        layers = List.copyOf(layers);
        manifests = List.copyOf(manifests);
        annotations = Map.copyOf(annotations);
        referrers = List.copyOf(referrers);
        tags = List.copyOf(tags);
    }

    /** One entry of an index: the manifest it points at and the platform it states for it. */
    public record IndexEntry(Descriptor descriptor, Optional<Platform> platform) {
    }
}
