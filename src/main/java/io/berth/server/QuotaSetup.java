package io.berth.server;

import io.berth.config.QuotaConfig;
import io.berth.oci.RepositoryGlob;
import io.berth.registry.Quota;
import io.berth.registry.Quotas;
import java.util.List;
import java.util.OptionalLong;

/** The {@code quotas} section turned into the registry's {@link Quotas}. */
final class QuotaSetup {
    private QuotaSetup() {
    }

    static Quotas quotas(List<QuotaConfig> configured) {
        return new Quotas(configured.stream().map(QuotaSetup::quota).toList());
    }

    private static Quota quota(QuotaConfig config) {
        return new Quota(new RepositoryGlob(config.repositories()),
                config.maxBytes() == null ? OptionalLong.empty() : OptionalLong.of(config.maxBytes()),
                config.maxRepositories() == null ? OptionalLong.empty() : OptionalLong.of(config.maxRepositories()));
    }
}
