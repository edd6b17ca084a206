package io.berth.mirror;

import io.berth.oci.Digest;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A download mirror: a web server holding a copy of the mirror tree ({@link SyncIndex}).
 *
 * @param name              unique name, letters, digits, {@code .}, {@code _} and {@code -}
 * @param baseUri           URL of the tree's root, ending in {@code /}; blobs are under it at {@link SyncIndex#blobPath}
 * @param country           ISO 3166-1 alpha-2 code where it stands
 * @param continent         where it stands; taken from the country when not declared
 * @param netblocks         client networks it serves first
 * @param autonomousSystems client autonomous systems it serves first
 * @param bandwidthMbps     declared bandwidth: its weight among the mirrors of a group
 * @param privateMirror     serves only its own netblocks and autonomous systems, and is listed only to admins
 * @param allowedCountries  when not empty, the only client countries it serves through country, continent or global selection
 * @param enabled           whether it may be chosen at all
 * @param fromConfig        declared in the configuration file, and so changed only there
 */
public record Mirror(String name, URI baseUri, Optional<String> country, Optional<String> continent,
                     List<Netblock> netblocks, Set<Long> autonomousSystems, int bandwidthMbps, boolean privateMirror,
                     Set<String> allowedCountries, boolean enabled, boolean fromConfig) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern COUNTRY = Pattern.compile("[A-Z]{2}");
    /** Bandwidth counts up to this much when weighting, so that one huge mirror does not take every client. */
    public static final int BANDWIDTH_WEIGHT_CAP_MBPS = 100_000;

    public Mirror {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("mirror name '" + name
                    + "' must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        baseUri = normalizedBase(baseUri);
        country = country.map(code -> code.toUpperCase(Locale.ROOT));
        country.filter(code -> !COUNTRY.matcher(code).matches()).ifPresent(code -> {
            throw new IllegalArgumentException("country '" + code + "' is not an ISO 3166-1 alpha-2 code");
        });
        continent = continent.map(code -> code.toUpperCase(Locale.ROOT));
        if (continent.isEmpty() && country.isPresent()) {
            continent = Continents.of(country.get());
        }
        continent.filter(code -> !COUNTRY.matcher(code).matches()).ifPresent(code -> {
            throw new IllegalArgumentException("continent '" + code + "' is not a two-letter continent code");
        });
        netblocks = List.copyOf(netblocks);
        autonomousSystems = Set.copyOf(autonomousSystems);
        allowedCountries = Set.copyOf(allowedCountries.stream().map(code -> code.toUpperCase(Locale.ROOT)).toList());
        if (bandwidthMbps <= 0) {
            throw new IllegalArgumentException("bandwidth of mirror " + name + " must be positive (Mbit/s)");
        }
        if (privateMirror && netblocks.isEmpty() && autonomousSystems.isEmpty()) {
            throw new IllegalArgumentException("private mirror " + name
                    + " needs netblocks or autonomous systems: it serves no one else");
        }
    }

    /** The URL of a blob on this mirror. */
    public URI blobUri(Digest digest) {
        return baseUri.resolve(SyncIndex.blobPath(digest));
    }

    /** The URL of the mirror's copy of the sync index's current generation. */
    public URI generationUri() {
        return baseUri.resolve(SyncIndex.GENERATION_FILE);
    }

    /** The weight of the mirror in a bandwidth-weighted shuffle. */
    public int weight() {
        return Math.min(bandwidthMbps, BANDWIDTH_WEIGHT_CAP_MBPS);
    }

    /** Whether the mirror serves clients of {@code clientCountry} outside its netblocks. */
    public boolean servesCountry(Optional<String> clientCountry) {
        return allowedCountries.isEmpty() || clientCountry.filter(allowedCountries::contains).isPresent();
    }

    /**
     * Checks a base URL: absolute http(s), no query or fragment, and ending in {@code /} so that
     * relative paths resolve beneath it.
     */
    public static URI normalizedBase(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new IllegalArgumentException("mirror URL '" + uri + "' must be an absolute http or https URL");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("mirror URL '" + uri + "' must not have a query or fragment");
        }
        String text = uri.toString();
        return text.endsWith("/") ? uri : URI.create(text + "/");
    }
}
