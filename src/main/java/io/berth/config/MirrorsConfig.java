package io.berth.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Optional;

/**
 * Blob downloads from mirrors and a CDN ({@code docs/mirrors.md}).
 *
 * @param cdnUrl               where a CDN serves the mirror tree; the fallback when no mirror suits a client
 * @param exportDirectory      the mirror tree {@code berth mirror export} writes by default
 * @param crawlIntervalSeconds time between crawls of every mirror (default 600)
 * @param crawlOnStart         crawl as soon as the server starts (default true), not one interval later
 * @param crawlTimeoutSeconds  the longest one request to a mirror may take (default 10)
 * @param spotChecks           blobs checked with HEAD on each mirror per crawl (default 3)
 * @param refreshSeconds       how often the catalogue is re-read, to see changes made by other nodes or
 *                             {@code berth mirror} (default 30)
 * @param geoipCountryDatabase MaxMind Country or City {@code .mmdb} file
 * @param geoipAsnDatabase     MaxMind ASN {@code .mmdb} file
 * @param list                 the mirrors
 * @param exportRepositories   repository patterns whose blobs go into the mirror tree and may be fetched from
 *                             a mirror or the CDN; absent: the repositories anonymous callers may pull
 * @param probeIntervalSeconds time between probes of a mirror or the CDN this node sends clients to (default 2)
 * @param probeFailures        failed probes in a row after which this node sends no clients there (default 2)
 * @param probeTimeoutSeconds  the longest one probe may take before it counts as failed (default 2)
 */
public record MirrorsConfig(
        @JsonProperty("cdn-url") String cdnUrl,
        @JsonProperty("export-directory") String exportDirectory,
        @JsonProperty("crawl-interval-seconds") Integer crawlIntervalSeconds,
        @JsonProperty("crawl-on-start") Boolean crawlOnStart,
        @JsonProperty("crawl-timeout-seconds") Integer crawlTimeoutSeconds,
        @JsonProperty("spot-checks") Integer spotChecks,
        @JsonProperty("refresh-seconds") Integer refreshSeconds,
        @JsonProperty("geoip-country-database") String geoipCountryDatabase,
        @JsonProperty("geoip-asn-database") String geoipAsnDatabase,
        @JsonProperty("list") List<MirrorConfig> list,
        @JsonProperty("export-repositories") List<String> exportRepositories,
        @JsonProperty("probe-interval-seconds") Integer probeIntervalSeconds,
        @JsonProperty("probe-failures") Integer probeFailures,
        @JsonProperty("probe-timeout-seconds") Integer probeTimeoutSeconds) {

    public static final int DEFAULT_CRAWL_INTERVAL_SECONDS = 600;
    public static final int DEFAULT_CRAWL_TIMEOUT_SECONDS = 10;
    public static final int DEFAULT_SPOT_CHECKS = 3;
    public static final int DEFAULT_REFRESH_SECONDS = 30;
    public static final int DEFAULT_PROBE_INTERVAL_SECONDS = 2;
    public static final int DEFAULT_PROBE_FAILURES = 2;
    public static final int DEFAULT_PROBE_TIMEOUT_SECONDS = 2;

    public MirrorsConfig {
        crawlIntervalSeconds = positive("crawl-interval-seconds", crawlIntervalSeconds, DEFAULT_CRAWL_INTERVAL_SECONDS);
        crawlOnStart = crawlOnStart == null || crawlOnStart;
        crawlTimeoutSeconds = positive("crawl-timeout-seconds", crawlTimeoutSeconds, DEFAULT_CRAWL_TIMEOUT_SECONDS);
        spotChecks = positive("spot-checks", spotChecks, DEFAULT_SPOT_CHECKS);
        refreshSeconds = positive("refresh-seconds", refreshSeconds, DEFAULT_REFRESH_SECONDS);
        probeIntervalSeconds = positive("probe-interval-seconds", probeIntervalSeconds, DEFAULT_PROBE_INTERVAL_SECONDS);
        probeFailures = positive("probe-failures", probeFailures, DEFAULT_PROBE_FAILURES);
        probeTimeoutSeconds = positive("probe-timeout-seconds", probeTimeoutSeconds, DEFAULT_PROBE_TIMEOUT_SECONDS);
        list = list == null ? List.of() : List.copyOf(list);
        if (exportRepositories != null) {
            if (exportRepositories.stream().anyMatch(pattern -> pattern == null || pattern.isBlank())) {
                throw new ConfigException("mirrors.export-repositories holds an empty pattern");
            }
            exportRepositories = List.copyOf(exportRepositories);
        }
        long distinct = list.stream().map(MirrorConfig::name).distinct().count();
        if (distinct != list.size()) {
            throw new ConfigException("mirrors.list names two mirrors alike");
        }
    }

    /** Mirrors whose export scope follows the access policy. */
    public MirrorsConfig(String cdnUrl, String exportDirectory, Integer crawlIntervalSeconds, Boolean crawlOnStart,
                         Integer crawlTimeoutSeconds, Integer spotChecks, Integer refreshSeconds, String geoipCountryDatabase,
                         String geoipAsnDatabase, List<MirrorConfig> list) {
        this(cdnUrl, exportDirectory, crawlIntervalSeconds, crawlOnStart, crawlTimeoutSeconds, spotChecks, refreshSeconds,
                geoipCountryDatabase, geoipAsnDatabase, list, null);
    }

    /** Mirrors probed with the default settings. */
    public MirrorsConfig(String cdnUrl, String exportDirectory, Integer crawlIntervalSeconds, Boolean crawlOnStart,
                         Integer crawlTimeoutSeconds, Integer spotChecks, Integer refreshSeconds, String geoipCountryDatabase,
                         String geoipAsnDatabase, List<MirrorConfig> list, List<String> exportRepositories) {
        this(cdnUrl, exportDirectory, crawlIntervalSeconds, crawlOnStart, crawlTimeoutSeconds, spotChecks, refreshSeconds,
                geoipCountryDatabase, geoipAsnDatabase, list, exportRepositories, null, null, null);
    }

    public static MirrorsConfig defaults() {
        return new MirrorsConfig(null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    /** The same settings with other probe settings (for tests that measure failover). */
    public MirrorsConfig withProbes(int intervalSeconds, int failures, int timeoutSeconds) {
        return new MirrorsConfig(cdnUrl, exportDirectory, crawlIntervalSeconds, crawlOnStart, crawlTimeoutSeconds, spotChecks,
                refreshSeconds, geoipCountryDatabase, geoipAsnDatabase, list, exportRepositories, intervalSeconds, failures,
                timeoutSeconds);
    }

    /** The configured export patterns; empty when the scope follows the access policy. */
    public Optional<List<String>> exportScope() {
        return Optional.ofNullable(exportRepositories);
    }

    public Optional<String> cdn() {
        return Optional.ofNullable(cdnUrl).filter(url -> !url.isBlank());
    }

    public Optional<String> export() {
        return Optional.ofNullable(exportDirectory).filter(path -> !path.isBlank());
    }

    public Optional<String> countryDatabase() {
        return Optional.ofNullable(geoipCountryDatabase).filter(path -> !path.isBlank());
    }

    public Optional<String> asnDatabase() {
        return Optional.ofNullable(geoipAsnDatabase).filter(path -> !path.isBlank());
    }

    private static int positive(String key, Integer value, int fallback) {
        if (value == null) {
            return fallback;
        }
        if (value <= 0) {
            throw new ConfigException("mirrors." + key + " must be positive");
        }
        return value;
    }
}
