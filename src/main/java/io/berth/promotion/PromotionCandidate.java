package io.berth.promotion;

import io.berth.metadata.ReferrerRecord;
import io.berth.oci.Digest;
import io.berth.oci.Manifest;
import io.berth.oci.RepositoryName;
import io.berth.oci.Tag;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What the gates see of a promotion: the source manifest, its referrers, where it comes from and
 * what the target tags point at now.
 *
 * @param manifest     the parsed source manifest (an image manifest or an index)
 * @param storedAt     when the manifest arrived in the source repository
 * @param pushedBy     who first pushed it there, when known (an authenticated principal's name)
 * @param sourceTags   tags of the source repository on the manifest (the one named, when promoted by tag, first)
 * @param referrers    manifests in the source repository whose subject is the source manifest
 * @param imageLabels  the {@code config.Labels} of every image the manifest is or lists, read only when a gate asks
 * @param signatures   the simple-signing layers attached to the source manifest, payloads read, only when a gate asks
 * @param attestations the DSSE envelope layers attached to the source manifest, envelopes read, only when a gate asks
 * @param targetTags   each requested target tag with the digest it points at now, if any
 * @param now          the time of the decision
 */
public record PromotionCandidate(RepositoryName source, Digest digest, Manifest manifest, Instant storedAt, Optional<String> pushedBy,
                                 List<String> sourceTags, List<ReferrerRecord> referrers,
                                 Supplier<List<Map<String, String>>> imageLabels,
                                 Supplier<List<SignatureLayer>> signatures, Supplier<List<AttestationLayer>> attestations,
                                 RepositoryName target, Map<Tag, Optional<Digest>> targetTags, Instant now) {

    public PromotionCandidate {
        sourceTags = List.copyOf(sourceTags);
        referrers = List.copyOf(referrers);
        targetTags = Map.copyOf(targetTags);
    }

    /** A candidate without attestations, for gates that do not read them. */
    public PromotionCandidate(RepositoryName source, Digest digest, Manifest manifest, Instant storedAt, Optional<String> pushedBy,
                              List<String> sourceTags, List<ReferrerRecord> referrers,
                              Supplier<List<Map<String, String>>> imageLabels,
                              Supplier<List<SignatureLayer>> signatures, RepositoryName target,
                              Map<Tag, Optional<Digest>> targetTags, Instant now) {
        this(source, digest, manifest, storedAt, pushedBy, sourceTags, referrers, imageLabels, signatures, List::of,
                target, targetTags, now);
    }
}
