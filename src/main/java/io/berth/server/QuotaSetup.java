package io.berth.server;

import io.berth.config.QuotaConfig;
import io.berth.metadata.MetadataSession;
import io.berth.oci.Digest;
import io.berth.oci.RepositoryGlob;
import io.berth.oci.RepositoryName;
import io.berth.promotion.TargetQuota;
import io.berth.registry.Quota;
import io.berth.registry.Quotas;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/** The {@code quotas} section turned into the registry's {@link Quotas}. */
final class QuotaSetup {
    private QuotaSetup() {
    }

    static Quotas quotas(List<QuotaConfig> configured) {
        return new Quotas(configured.stream().map(QuotaSetup::quota).toList());
    }

    /** The quotas as promotion asks them, for its gate "quota". */
    static TargetQuota targetQuota(Quotas quotas) {
        return new TargetQuota() {
            @Override
            public boolean covers(RepositoryName target) {
                return quotas.covers(target);
            }

            @Override
            public Optional<String> refusal(MetadataSession session, RepositoryName target, Map<Digest, Long> blobs,
                                            Map<Digest, Long> manifests) {
                return quotas.refusal(session, target, blobs, manifests);
            }
        };
    }

    private static Quota quota(QuotaConfig config) {
        return new Quota(new RepositoryGlob(config.repositories()),
                config.maxBytes() == null ? OptionalLong.empty() : OptionalLong.of(config.maxBytes()),
                config.maxRepositories() == null ? OptionalLong.empty() : OptionalLong.of(config.maxRepositories()));
    }
}
