package io.berth.http;

import io.berth.oci.RepositoryName;
import io.berth.registry.ContentListing;
import io.berth.registry.QuotaUsage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * {@code GET /berth/v1/quotas}: each configured quota the caller may see, with its limits and what
 * its repositories hold now:
 * {@code {"quotas": [{"repositories": "team-a/**", "max-bytes": 1073741824, "used-bytes": 52428800,
 * "max-repositories": 20, "used-repositories": 3}]}}; a limit that is not set is left out. Who may
 * call, and which quotas they see, is decided by the caller of this class.
 */
final class QuotaResource {
    private final ContentListing listing;

    QuotaResource(ContentListing listing) {
        this.listing = listing;
    }

    /** @param visible the quotas to show: for most callers, those covering a repository they may pull */
    void list(Exchange exchange, Predicate<QuotaUsage> visible) {
        Resources.requireMethod(exchange, "GET", "HEAD");
        List<Map<String, Object>> quotas = new ArrayList<>();
        for (QuotaUsage usage : listing.quotaUsage()) {
            if (!visible.test(usage)) {
                continue;
            }
            Map<String, Object> quota = new LinkedHashMap<>();
            quota.put("repositories", usage.quota().repositories().pattern());
            usage.quota().maxBytes().ifPresent(limit -> quota.put("max-bytes", limit));
            quota.put("used-bytes", usage.bytes());
            usage.quota().maxRepositories().ifPresent(limit -> quota.put("max-repositories", limit));
            quota.put("used-repositories", usage.repositories());
            quotas.add(quota);
        }
        exchange.setHeader("Cache-Control", "no-store");
        exchange.sendJson(200, Map.of("quotas", quotas));
    }

    /** Whether any repository the quota covers passes {@code mayPull}. */
    static boolean coversAny(QuotaUsage usage, Predicate<RepositoryName> mayPull) {
        return usage.covered().stream().anyMatch(mayPull);
    }
}
