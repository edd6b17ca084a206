package io.berth.server;

import io.berth.config.BerthConfig;
import io.berth.metadata.MetadataStore;
import io.berth.registry.QuotaUsage;
import java.time.Clock;
import java.util.List;

/** {@code berth quotas} over the configured metadata database, beside running servers. */
public final class QuotaTools {
    private QuotaTools() {
    }

    /** Every quota of the configuration with what its repositories hold now. */
    public static List<QuotaUsage> usage(BerthConfig config) {
        try (MetadataStore metadata = BerthServer.openMetadata(config, Clock.systemUTC())) {
            return QuotaSetup.quotas(config.quotas()).usage(metadata);
        }
    }
}
