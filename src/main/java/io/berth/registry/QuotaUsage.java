package io.berth.registry;

import io.berth.oci.RepositoryName;
import java.util.List;
import java.util.Objects;

/**
 * What a quota's repositories hold now.
 *
 * @param bytes   bytes of distinct blobs and manifests in them, taken together
 * @param covered the repositories the quota matches, in byte order
 */
public record QuotaUsage(Quota quota, long bytes, List<RepositoryName> covered) {
    public QuotaUsage {
        Objects.requireNonNull(quota, "quota");
        covered = List.copyOf(covered);
        if (bytes < 0) {
            throw new IllegalArgumentException("usage cannot be negative");
        }
    }

    /** How many repositories the quota matches. */
    public long repositories() {
        return covered.size();
    }
}
