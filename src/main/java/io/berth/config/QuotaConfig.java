package io.berth.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A quota on the repositories matching {@code repositories}, taken together
 * ({@code docs/configuration.md}, "quotas").
 *
 * @param repositories     repository pattern ({@code *} one component, {@code **} any)
 * @param maxBytes         the most bytes of distinct blobs and manifests they may hold; absent: no limit
 * @param maxRepositories  the most repositories that may match; absent: no limit
 */
public record QuotaConfig(
        @JsonProperty("repositories") String repositories,
        @JsonProperty("max-bytes") Long maxBytes,
        @JsonProperty("max-repositories") Long maxRepositories) {

    public QuotaConfig {
        if (repositories == null || repositories.isBlank()) {
            throw new ConfigException("every quotas entry needs repositories");
        }
        if (maxBytes == null && maxRepositories == null) {
            throw new ConfigException("quota " + repositories + " needs max-bytes or max-repositories");
        }
        if ((maxBytes != null && maxBytes < 0) || (maxRepositories != null && maxRepositories < 0)) {
            throw new ConfigException("quota " + repositories + ": limits must not be negative");
        }
    }
}
