package io.berth.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** The {@code mirrors} section: every default and key pinned, and the checks the records make themselves. */
class MirrorsConfigTest {
    @TempDir
    Path directory;

    @Test
    void withoutAMirrorsSectionThereIsNoCdnNoExportDirectoryNoDatabaseAndNoMirror() {
        MirrorsConfig defaults = BerthConfig.defaults().mirrors();

        assertThat(defaults).isEqualTo(MirrorsConfig.defaults());
        assertThat(defaults.cdn()).isEmpty();
        assertThat(defaults.export()).isEmpty();
        assertThat(defaults.countryDatabase()).isEmpty();
        assertThat(defaults.asnDatabase()).isEmpty();
        assertThat(defaults.list()).isEmpty();
    }

    @Test
    void crawlIntervalDefaultsToTenMinutes() {
        assertThat(MirrorsConfig.defaults().crawlIntervalSeconds()).isEqualTo(600);
        assertThat(MirrorsConfig.DEFAULT_CRAWL_INTERVAL_SECONDS).isEqualTo(600);
    }

    @Test
    void crawlOnStartDefaultsToOn() {
        assertThat(MirrorsConfig.defaults().crawlOnStart()).isTrue();
    }

    @Test
    void crawlTimeoutDefaultsToTenSeconds() {
        assertThat(MirrorsConfig.defaults().crawlTimeoutSeconds()).isEqualTo(10);
        assertThat(MirrorsConfig.DEFAULT_CRAWL_TIMEOUT_SECONDS).isEqualTo(10);
    }

    @Test
    void spotChecksDefaultToThreeBlobsPerCrawl() {
        assertThat(MirrorsConfig.defaults().spotChecks()).isEqualTo(3);
        assertThat(MirrorsConfig.DEFAULT_SPOT_CHECKS).isEqualTo(3);
    }

    @Test
    void catalogueRefreshDefaultsToThirtySeconds() {
        assertThat(MirrorsConfig.defaults().refreshSeconds()).isEqualTo(30);
        assertThat(MirrorsConfig.DEFAULT_REFRESH_SECONDS).isEqualTo(30);
    }

    @Test
    void probesRunEveryTwoSecondsAndTwoFailuresOfTwoSecondsAtMostOpenTheBreaker() {
        MirrorsConfig defaults = MirrorsConfig.defaults();

        assertThat(defaults.probeIntervalSeconds()).isEqualTo(2).isEqualTo(MirrorsConfig.DEFAULT_PROBE_INTERVAL_SECONDS);
        assertThat(defaults.probeFailures()).isEqualTo(2).isEqualTo(MirrorsConfig.DEFAULT_PROBE_FAILURES);
        assertThat(defaults.probeTimeoutSeconds()).isEqualTo(2).isEqualTo(MirrorsConfig.DEFAULT_PROBE_TIMEOUT_SECONDS);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1})
    void refusesNonPositiveProbeSettings(int value) {
        MirrorsConfig defaults = MirrorsConfig.defaults();

        assertThatExceptionOfType(ConfigException.class).isThrownBy(() -> defaults.withProbes(value, 2, 2))
                .withMessage("mirrors.probe-interval-seconds must be positive");
        assertThatExceptionOfType(ConfigException.class).isThrownBy(() -> defaults.withProbes(2, value, 2))
                .withMessage("mirrors.probe-failures must be positive");
        assertThatExceptionOfType(ConfigException.class).isThrownBy(() -> defaults.withProbes(2, 2, value))
                .withMessage("mirrors.probe-timeout-seconds must be positive");
    }

    @Test
    void blankPathsAndUrlsCountAsAbsent() {
        MirrorsConfig blank = new MirrorsConfig(" ", "", null, null, null, null, null, "  ", "", null);

        assertThat(blank.cdn()).isEmpty();
        assertThat(blank.export()).isEmpty();
        assertThat(blank.countryDatabase()).isEmpty();
        assertThat(blank.asnDatabase()).isEmpty();
    }

    @Test
    void crawlOnStartCanBeTurnedOff() {
        assertThat(new MirrorsConfig(null, null, null, false, null, null, null, null, null, null).crawlOnStart()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1})
    void refusesANonPositiveCrawlInterval(int seconds) {
        assertThatExceptionOfType(ConfigException.class)
                .isThrownBy(() -> new MirrorsConfig(null, null, seconds, null, null, null, null, null, null, null))
                .withMessage("mirrors.crawl-interval-seconds must be positive");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1})
    void refusesANonPositiveCrawlTimeout(int seconds) {
        assertThatExceptionOfType(ConfigException.class)
                .isThrownBy(() -> new MirrorsConfig(null, null, null, null, seconds, null, null, null, null, null))
                .withMessage("mirrors.crawl-timeout-seconds must be positive");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1})
    void refusesANonPositiveNumberOfSpotChecks(int checks) {
        assertThatExceptionOfType(ConfigException.class)
                .isThrownBy(() -> new MirrorsConfig(null, null, null, null, null, checks, null, null, null, null))
                .withMessage("mirrors.spot-checks must be positive");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1})
    void refusesANonPositiveRefreshInterval(int seconds) {
        assertThatExceptionOfType(ConfigException.class)
                .isThrownBy(() -> new MirrorsConfig(null, null, null, null, null, null, seconds, null, null, null))
                .withMessage("mirrors.refresh-seconds must be positive");
    }

    @Test
    void refusesTwoMirrorsOfTheSameName() {
        List<MirrorConfig> twins = List.of(mirror("twin", "https://one.example/"), mirror("twin", "https://two.example/"));

        assertThatExceptionOfType(ConfigException.class)
                .isThrownBy(() -> new MirrorsConfig(null, null, null, null, null, null, null, null, null, twins))
                .withMessageContaining("names two mirrors alike");
    }

    @Test
    void aMirrorEntryTakesItsDefaults() {
        MirrorConfig entry = mirror("plain", "https://plain.example/");

        assertThat(entry.bandwidthMbps()).isEqualTo(100).isEqualTo(MirrorConfig.DEFAULT_BANDWIDTH_MBPS);
        assertThat(entry.privateMirror()).isFalse();
        assertThat(entry.enabled()).isTrue();
        assertThat(entry.netblocks()).isEmpty();
        assertThat(entry.asns()).isEmpty();
        assertThat(entry.allowedCountries()).isEmpty();
        assertThat(entry.country()).isNull();
        assertThat(entry.continent()).isNull();
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = "  ")
    void refusesAMirrorWithoutAUrl(String url) {
        assertThatExceptionOfType(ConfigException.class)
                .isThrownBy(() -> mirror("nowhere", url))
                .withMessage("mirror nowhere needs a url");
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = "  ")
    void refusesAMirrorWithoutAName(String name) {
        assertThatExceptionOfType(ConfigException.class)
                .isThrownBy(() -> mirror(name, "https://anonymous.example/"))
                .withMessage("every entry of mirrors.list needs a name");
    }

    @Test
    void readsEveryDashCaseKeyOfTheMirrorsSection() throws IOException {
        Path file = write("""
                mirrors:
                  cdn-url: https://cdn.example/berth/
                  export-directory: /srv/mirror-tree
                  crawl-interval-seconds: 300
                  crawl-on-start: false
                  crawl-timeout-seconds: 5
                  spot-checks: 7
                  refresh-seconds: 15
                  probe-interval-seconds: 3
                  probe-failures: 4
                  probe-timeout-seconds: 1
                  geoip-country-database: /var/lib/GeoIP/GeoLite2-Country.mmdb
                  geoip-asn-database: /var/lib/GeoIP/GeoLite2-ASN.mmdb
                  list:
                    - name: campus
                      url: https://mirror.campus.example/berth/
                      country: DE
                      continent: EU
                      netblocks: [192.0.2.0/24, "2001:db8::/32"]
                      asns: [64500, 64501]
                      bandwidth-mbps: 10000
                      private: true
                      allowed-countries: [DE, AT]
                      enabled: false
                    - name: plain
                      url: https://plain.example/
                """);

        MirrorsConfig mirrors = ConfigLoader.load(file).mirrors();

        assertThat(mirrors).isEqualTo(new MirrorsConfig("https://cdn.example/berth/", "/srv/mirror-tree", 300, false, 5,
                7, 15, "/var/lib/GeoIP/GeoLite2-Country.mmdb", "/var/lib/GeoIP/GeoLite2-ASN.mmdb", List.of(
                new MirrorConfig("campus", "https://mirror.campus.example/berth/", "DE", "EU",
                        List.of("192.0.2.0/24", "2001:db8::/32"), List.of(64500L, 64501L), 10000, true,
                        List.of("DE", "AT"), false),
                mirror("plain", "https://plain.example/"))).withProbes(3, 4, 1));
    }

    @Test
    void theExportScopeFollowsThePolicyUnlessPatternsAreGiven() throws IOException {
        assertThat(MirrorsConfig.defaults().exportScope()).as("what anonymous callers may pull").isEmpty();

        Path file = write("""
                mirrors:
                  export-repositories: ["fedora/**", "library/*"]
                """);

        assertThat(ConfigLoader.load(file).mirrors().exportScope()).hasValue(List.of("fedora/**", "library/*"));
    }

    @Test
    void anEmptyExportPatternIsRefused() throws IOException {
        Path file = write("""
                mirrors:
                  export-repositories: ["fedora/**", ""]
                """);

        assertThatExceptionOfType(ConfigException.class)
                .isThrownBy(() -> ConfigLoader.load(file))
                .withMessageContaining("mirrors.export-repositories");
    }

    @Test
    void refusesAnUnknownKeyInsideTheMirrorsSection() throws IOException {
        Path file = write("""
                mirrors:
                  crawl-interval: 300
                """);

        assertThatExceptionOfType(ConfigException.class)
                .isThrownBy(() -> ConfigLoader.load(file))
                .withMessageContaining("unknown key 'crawl-interval'");
    }

    @Test
    void aBadValueInsideTheMirrorsSectionIsRefusedWhenTheFileIsLoaded() throws IOException {
        Path file = write("""
                mirrors:
                  spot-checks: 0
                """);

        assertThatExceptionOfType(ConfigException.class)
                .isThrownBy(() -> ConfigLoader.load(file))
                .withMessageContaining("mirrors.spot-checks must be positive");
    }

    private static MirrorConfig mirror(String name, String url) {
        return new MirrorConfig(name, url, null, null, null, null, null, null, null, null);
    }

    private Path write(String yaml) throws IOException {
        return Files.writeString(directory.resolve("berth.yml"), yaml);
    }
}
