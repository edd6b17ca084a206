package io.berth.mirror;

import java.net.InetAddress;
import java.net.URI;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Mirrors and mirror statuses for tests, built from a public, enabled mirror of 100 Mbit/s that
 * declares nothing else; each test states only the fields its behaviour depends on.
 */
final class TestMirrors {
    static final Instant CRAWLED_AT = Instant.parse("2025-03-01T12:00:00Z");

    private TestMirrors() {
    }

    static Builder mirror(String name) {
        return new Builder(name);
    }

    /** A numeric address; never a host name, so never a lookup. */
    static InetAddress address(String literal) {
        return Netblock.literal(literal)
                .orElseThrow(() -> new IllegalArgumentException("not a numeric address: " + literal));
    }

    static final class Builder {
        private final String name;
        private Optional<String> country = Optional.empty();
        private Optional<String> continent = Optional.empty();
        private List<Netblock> netblocks = List.of();
        private Set<Long> autonomousSystems = Set.of();
        private int bandwidthMbps = 100;
        private boolean privateMirror;
        private Set<String> allowedCountries = Set.of();
        private boolean enabled = true;
        private boolean fromConfig;

        private Builder(String name) {
            this.name = name;
        }

        /** Stands in {@code country}; its continent follows from the country unless declared. */
        Builder in(String country) {
            this.country = Optional.of(country);
            return this;
        }

        Builder onContinent(String continent) {
            this.continent = Optional.of(continent);
            return this;
        }

        Builder servingNetblocks(String... cidrs) {
            this.netblocks = Arrays.stream(cidrs).map(Netblock::parse).toList();
            return this;
        }

        Builder servingAutonomousSystems(Long... numbers) {
            this.autonomousSystems = Set.of(numbers);
            return this;
        }

        Builder bandwidthMbps(int bandwidthMbps) {
            this.bandwidthMbps = bandwidthMbps;
            return this;
        }

        Builder privately() {
            this.privateMirror = true;
            return this;
        }

        Builder allowingCountries(String... countries) {
            this.allowedCountries = Arrays.stream(countries).collect(Collectors.toSet());
            return this;
        }

        Builder disabled() {
            this.enabled = false;
            return this;
        }

        Builder declaredInConfiguration() {
            this.fromConfig = true;
            return this;
        }

        Mirror build() {
            return new Mirror(name, URI.create("https://" + name + ".mirrors.example/berth/"), country, continent,
                    netblocks, autonomousSystems, bandwidthMbps, privateMirror, allowedCountries, enabled, fromConfig);
        }

        /** The mirror as a good crawl left it: fresh, holding {@code generation}. */
        MirrorStatus syncedTo(long generation) {
            return new MirrorStatus(build(), OptionalLong.of(generation), false, 0, Optional.of(CRAWLED_AT),
                    Optional.empty());
        }

        /** The mirror after its last crawl failed, although an earlier one found {@code generation}. */
        MirrorStatus staleAt(long generation) {
            return new MirrorStatus(build(), OptionalLong.of(generation), true, 1, Optional.of(CRAWLED_AT),
                    Optional.of("connection refused"));
        }

        MirrorStatus neverCrawled() {
            return new MirrorStatus(build(), OptionalLong.empty(), true, 0, Optional.empty(), Optional.empty());
        }
    }
}
