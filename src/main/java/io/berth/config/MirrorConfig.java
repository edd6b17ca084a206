package io.berth.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * One download mirror in {@code mirrors.list}.
 *
 * @param name              unique name
 * @param url               where the mirror serves the mirror tree (its {@code blobs/} and {@code berth-sync/})
 * @param country           ISO 3166-1 alpha-2 country code of the mirror
 * @param continent         continent code; default: the country's
 * @param netblocks         CIDR networks whose clients it serves first
 * @param asns              autonomous system numbers whose clients it serves first
 * @param bandwidthMbps     declared bandwidth in Mbit/s, its weight (default 100)
 * @param privateMirror     serves only its netblocks and ASNs, listed only to admins
 * @param allowedCountries  when set, the only client countries it serves outside its netblocks and ASNs
 * @param enabled           default true
 */
public record MirrorConfig(
        @JsonProperty("name") String name,
        @JsonProperty("url") String url,
        @JsonProperty("country") String country,
        @JsonProperty("continent") String continent,
        @JsonProperty("netblocks") List<String> netblocks,
        @JsonProperty("asns") List<Long> asns,
        @JsonProperty("bandwidth-mbps") Integer bandwidthMbps,
        @JsonProperty("private") Boolean privateMirror,
        @JsonProperty("allowed-countries") List<String> allowedCountries,
        @JsonProperty("enabled") Boolean enabled) {

    public static final int DEFAULT_BANDWIDTH_MBPS = 100;

    public MirrorConfig {
        if (name == null || name.isBlank()) {
            throw new ConfigException("every entry of mirrors.list needs a name");
        }
        if (url == null || url.isBlank()) {
            throw new ConfigException("mirror " + name + " needs a url");
        }
        netblocks = netblocks == null ? List.of() : List.copyOf(netblocks);
        asns = asns == null ? List.of() : List.copyOf(asns);
        allowedCountries = allowedCountries == null ? List.of() : List.copyOf(allowedCountries);
        bandwidthMbps = bandwidthMbps == null ? DEFAULT_BANDWIDTH_MBPS : bandwidthMbps;
        privateMirror = privateMirror != null && privateMirror;
        enabled = enabled == null || enabled;
    }
}
