package io.berth.metadata;

import io.berth.oci.Digest;
import java.util.Map;
import java.util.Optional;

/** One manifest whose {@code subject} is a given digest, as the referrers API lists it. */
public record ReferrerRecord(Digest digest, String mediaType, long size, Optional<String> artifactType,
                             Map<String, String> annotations) {
}
