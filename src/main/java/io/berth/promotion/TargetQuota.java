package io.berth.promotion;

import io.berth.metadata.MetadataSession;
import io.berth.oci.Digest;
import io.berth.oci.RepositoryName;
import java.util.Map;
import java.util.Optional;

/**
 * Whether what a promotion adds to its target fits the quotas on the target, judged as the gate
 * {@link PromotionService#QUOTA_GATE} inside the promotion's transaction. The composition root
 * supplies the registry's quotas; promotion only asks.
 */
public interface TargetQuota {
    /** No quotas: every promotion fits. */
    TargetQuota NONE = new TargetQuota() {
        @Override
        public boolean covers(RepositoryName target) {
            return false;
        }

        @Override
        public Optional<String> refusal(MetadataSession session, RepositoryName target, Map<Digest, Long> blobs,
                                        Map<Digest, Long> manifests) {
            return Optional.empty();
        }
    };

    /** Whether any quota applies to {@code target}; without one the gate is not listed. */
    boolean covers(RepositoryName target);

    /**
     * Why linking {@code blobs} and storing {@code manifests} (digest → size) in {@code target}
     * would pass a quota, or empty when they fit.
     */
    Optional<String> refusal(MetadataSession session, RepositoryName target, Map<Digest, Long> blobs,
                             Map<Digest, Long> manifests);
}
