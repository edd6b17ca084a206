package io.berth.metadata;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A download mirror as declared by an operator. The metadata store keeps these fields as given; the
 * mirror layer validates them (URL, CIDR netblocks, country codes) before they are stored.
 *
 * @param name               unique name
 * @param baseUrl            URL under which the mirror serves the blob tree
 * @param country            ISO 3166-1 country code where the mirror stands
 * @param continent          continent code where the mirror stands
 * @param netblocks          CIDR netblocks whose clients the mirror serves first
 * @param autonomousSystems  autonomous system numbers whose clients the mirror serves first
 * @param bandwidthMbps      declared bandwidth, the weight of the mirror in its group
 * @param privateMirror      serves only its own netblocks and autonomous systems
 * @param allowedCountries   when not empty, the only client countries it serves
 * @param enabled            whether the mirror may be chosen at all
 * @param fromConfig         declared in the configuration file (and so managed there)
 */
public record MirrorRecord(String name, String baseUrl, Optional<String> country, Optional<String> continent,
                           List<String> netblocks, List<Long> autonomousSystems, int bandwidthMbps,
                           boolean privateMirror, List<String> allowedCountries, boolean enabled, boolean fromConfig) {

    public MirrorRecord {
        Objects.requireNonNull(name);
        Objects.requireNonNull(baseUrl);
        Objects.requireNonNull(country);
        Objects.requireNonNull(continent);
        netblocks = List.copyOf(netblocks);
        autonomousSystems = List.copyOf(autonomousSystems);
        allowedCountries = List.copyOf(allowedCountries);
    }
}
