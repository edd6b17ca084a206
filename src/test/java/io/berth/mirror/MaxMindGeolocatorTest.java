package io.berth.mirror;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.testing.MmdbWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Country, continent and autonomous system of client addresses, read from MaxMind DB files. */
class MaxMindGeolocatorTest {
    @TempDir
    Path temporary;

    @Test
    void placesIpv4AndIpv6AddressesInTheirCountryAndContinent() throws Exception {
        Path countries = MmdbWriter.countries()
                .network("10.20.0.0/16", "DE", "EU")
                .network("192.0.2.0/24", "BR", "SA")
                .network("2001:db8:100::/48", "JP", "AS")
                .write(temporary.resolve("countries.mmdb"));

        try (Geolocator geolocator = MaxMindGeolocator.open(Optional.of(countries), Optional.empty())) {
            assertThat(geolocator.locate(address("10.20.30.40")))
                    .isEqualTo(location("10.20.30.40", "DE", "EU", OptionalLong.empty()));
            assertThat(geolocator.locate(address("192.0.2.255")))
                    .isEqualTo(location("192.0.2.255", "BR", "SA", OptionalLong.empty()));
            assertThat(geolocator.locate(address("2001:db8:100:ffff::1")))
                    .isEqualTo(location("2001:db8:100:ffff::1", "JP", "AS", OptionalLong.empty()));
        }
    }

    @Test
    void readsCountryAndContinentFromACityDatabaseToo() throws Exception {
        Path cities = MmdbWriter.cities()
                .network("10.20.0.0/16", "FR", "EU")
                .network("2001:db8::/32", "AU", "OC")
                .write(temporary.resolve("cities.mmdb"));

        try (Geolocator geolocator = MaxMindGeolocator.open(Optional.of(cities), Optional.empty())) {
            assertThat(geolocator.locate(address("10.20.0.1")).country()).contains("FR");
            assertThat(geolocator.locate(address("2001:db8::1")).continent()).contains("OC");
        }
    }

    @Test
    void findsTheAutonomousSystemOfIpv4AndIpv6Addresses() throws Exception {
        Path asns = MmdbWriter.asns()
                .network("10.30.0.0/16", 64500, "Example Net")
                .network("2001:db8:200::/40", 4_200_000_000L, "Example Six")
                .write(temporary.resolve("asn.mmdb"));

        try (Geolocator geolocator = MaxMindGeolocator.open(Optional.empty(), Optional.of(asns))) {
            assertThat(geolocator.locate(address("10.30.1.2")))
                    .isEqualTo(new ClientLocation(address("10.30.1.2"), Optional.empty(), Optional.empty(), OptionalLong.of(64500)));
            assertThat(geolocator.locate(address("2001:db8:2ff::9")).autonomousSystem()).hasValue(4_200_000_000L);
        }
    }

    @Test
    void combinesBothDatabasesForOneAddress() throws Exception {
        try (Geolocator geolocator = MaxMindGeolocator.open(Optional.of(countryDatabase()), Optional.of(asnDatabase()))) {
            assertThat(geolocator.locate(address("10.20.1.1")))
                    .isEqualTo(location("10.20.1.1", "DE", "EU", OptionalLong.of(64500)));
        }
    }

    @Test
    void theMostSpecificNetworkWinsWhicheverOrderTheyWereWritten() throws Exception {
        Path largeFirst = MmdbWriter.countries()
                .network("10.0.0.0/8", "US", "NA")
                .network("10.20.0.0/16", "DE", "EU")
                .network("10.20.30.0/24", "CH", "EU")
                .network("2001:db8::/32", "US", "NA")
                .network("2001:db8:1::/48", "NZ", "OC")
                .write(temporary.resolve("large-first.mmdb"));
        Path smallFirst = MmdbWriter.countries()
                .network("2001:db8:1::/48", "NZ", "OC")
                .network("10.20.30.0/24", "CH", "EU")
                .network("2001:db8::/32", "US", "NA")
                .network("10.20.0.0/16", "DE", "EU")
                .network("10.0.0.0/8", "US", "NA")
                .write(temporary.resolve("small-first.mmdb"));

        for (Path countries : List.of(largeFirst, smallFirst)) {
            try (Geolocator geolocator = MaxMindGeolocator.open(Optional.of(countries), Optional.empty())) {
                assertThat(geolocator.locate(address("10.20.30.40")).country()).as("%s", countries).contains("CH");
                assertThat(geolocator.locate(address("10.20.31.1")).country()).as("%s", countries).contains("DE");
                assertThat(geolocator.locate(address("10.21.0.1")).country()).as("%s", countries).contains("US");
                assertThat(geolocator.locate(address("10.255.255.255")).country()).as("%s", countries).contains("US");
                assertThat(geolocator.locate(address("2001:db8:1::5")).country()).as("%s", countries).contains("NZ");
                assertThat(geolocator.locate(address("2001:db8:2::5")).country()).as("%s", countries).contains("US");
            }
        }
    }

    @Test
    void anAddressNoDatabaseKnowsHasOnlyItsAddress() throws Exception {
        try (Geolocator geolocator = MaxMindGeolocator.open(Optional.of(countryDatabase()), Optional.of(asnDatabase()))) {
            for (String unknown : List.of("11.0.0.1", "10.19.255.255", "127.0.0.1", "::1", "2001:db9::1", "fe80::1")) {
                assertThat(geolocator.locate(address(unknown))).as(unknown).isEqualTo(ClientLocation.unknown(address(unknown)));
            }
        }
    }

    @Test
    void withOnlyACountryDatabaseTheAutonomousSystemIsEmpty() throws Exception {
        try (Geolocator geolocator = MaxMindGeolocator.open(Optional.of(countryDatabase()), Optional.empty())) {
            assertThat(geolocator.locate(address("10.20.0.1")))
                    .isEqualTo(location("10.20.0.1", "DE", "EU", OptionalLong.empty()));
        }
    }

    @Test
    void withOnlyAnAsnDatabaseCountryAndContinentAreEmpty() throws Exception {
        try (Geolocator geolocator = MaxMindGeolocator.open(Optional.empty(), Optional.of(asnDatabase()))) {
            ClientLocation location = geolocator.locate(address("10.20.0.1"));
            assertThat(location.country()).isEmpty();
            assertThat(location.continent()).isEmpty();
            assertThat(location.autonomousSystem()).hasValue(64500);
        }
    }

    @Test
    void withoutDatabasesEveryAddressIsUnknown() {
        try (Geolocator geolocator = MaxMindGeolocator.open(Optional.empty(), Optional.empty())) {
            assertThat(geolocator.locate(address("10.20.0.1"))).isEqualTo(ClientLocation.unknown(address("10.20.0.1")));
        }
    }

    @Test
    void aCountryWithoutAContinentGetsTheContinentOfThatCountry() throws Exception {
        Path countries = MmdbWriter.countries()
                .network("10.40.0.0/16", Map.of("country", Map.of("iso_code", "KE")))
                .write(temporary.resolve("countries.mmdb"));

        try (Geolocator geolocator = MaxMindGeolocator.open(Optional.of(countries), Optional.empty())) {
            assertThat(geolocator.locate(address("10.40.0.1")))
                    .isEqualTo(location("10.40.0.1", "KE", "AF", OptionalLong.empty()));
        }
    }

    @Test
    void anAddressWithoutACountryFallsBackToTheCountryItsNetworkIsRegisteredIn() throws Exception {
        Path countries = MmdbWriter.countries()
                .network("10.50.0.0/16", Map.of("registered_country", Map.of("iso_code", "SE"),
                        "continent", Map.of("code", "EU")))
                .network("10.51.0.0/16", Map.of("continent", Map.of("code", "AN")))
                .write(temporary.resolve("countries.mmdb"));

        try (Geolocator geolocator = MaxMindGeolocator.open(Optional.of(countries), Optional.empty())) {
            assertThat(geolocator.locate(address("10.50.0.1")))
                    .isEqualTo(location("10.50.0.1", "SE", "EU", OptionalLong.empty()));
            assertThat(geolocator.locate(address("10.51.0.1")))
                    .isEqualTo(new ClientLocation(address("10.51.0.1"), Optional.empty(), Optional.of("AN"), OptionalLong.empty()));
        }
    }

    @Test
    void answersManyThreadsAtOnce() throws Exception {
        try (Geolocator geolocator = MaxMindGeolocator.open(Optional.of(countryDatabase()), Optional.of(asnDatabase()));
                ExecutorService threads = Executors.newFixedThreadPool(4)) {
            List<Future<ClientLocation>> answers = new ArrayList<>();
            for (int i = 0; i < 2_000; i++) {
                String client = i % 2 == 0 ? "10.20." + (i % 256) + ".1" : "10.30." + (i % 256) + ".1";
                answers.add(threads.submit(() -> geolocator.locate(address(client))));
            }
            for (int i = 0; i < answers.size(); i++) {
                ClientLocation answer = answers.get(i).get();
                if (i % 2 == 0) {
                    assertThat(answer.country()).contains("DE");
                    assertThat(answer.autonomousSystem()).hasValue(64500);
                } else {
                    assertThat(answer.country()).isEmpty();
                    assertThat(answer.autonomousSystem()).hasValue(64510);
                }
            }
        }
    }

    @Test
    void aLookupAfterCloseFails() throws Exception {
        Geolocator geolocator = MaxMindGeolocator.open(Optional.of(countryDatabase()), Optional.empty());
        geolocator.close();

        assertThatThrownBy(() -> geolocator.locate(address("10.20.0.1"))).isInstanceOf(UncheckedIOException.class);
    }

    @Test
    void refusesADatabaseOfTheWrongType() throws Exception {
        Path countries = countryDatabase();
        Path asns = asnDatabase();

        assertThatThrownBy(() -> MaxMindGeolocator.open(Optional.of(asns), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("country database " + asns + " is a GeoLite2-ASN database;"
                        + " expected a GeoIP2 or GeoLite2 Country or City database");
        assertThatThrownBy(() -> MaxMindGeolocator.open(Optional.of(countries), Optional.of(countries)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ASN database " + countries + " is a GeoLite2-Country database;"
                        + " expected a GeoLite2 ASN or GeoIP2 ISP database");
    }

    @Test
    void refusesADatabaseTypeGeoIp2HasNoLookupFor() throws Exception {
        Path other = MmdbWriter.ofType("Berth-Test").network("10.0.0.0/8", Map.of("name", "ten"))
                .write(temporary.resolve("other.mmdb"));

        assertThatThrownBy(() -> MaxMindGeolocator.open(Optional.of(other), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("country database " + other + " is of a type GeoIP2 cannot read")
                .hasMessageContaining("Berth-Test");
    }

    @Test
    void refusesAFileThatIsNoMaxMindDatabase() throws IOException {
        Path garbage = Files.writeString(temporary.resolve("garbage.mmdb"), "not a database\n".repeat(100), StandardCharsets.UTF_8);

        assertThatThrownBy(() -> MaxMindGeolocator.open(Optional.empty(), Optional.of(garbage)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("ASN database " + garbage + " is not a MaxMind DB file");
    }

    @Test
    void refusesAMissingFileOrADirectory() {
        Path missing = temporary.resolve("GeoLite2-Country.mmdb");

        assertThatThrownBy(() -> MaxMindGeolocator.open(Optional.of(missing), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("country database " + missing + " does not exist or is not a regular file");
        assertThatThrownBy(() -> MaxMindGeolocator.open(Optional.empty(), Optional.of(temporary)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ASN database " + temporary + " does not exist or is not a regular file");
    }

    private Path countryDatabase() throws IOException {
        return MmdbWriter.countries()
                .network("10.20.0.0/16", "DE", "EU")
                .network("2001:db8::/32", "CA", "NA")
                .write(temporary.resolve("GeoLite2-Country.mmdb"));
    }

    private Path asnDatabase() throws IOException {
        return MmdbWriter.asns()
                .network("10.20.0.0/15", 64500, "Example Net")
                .network("10.30.0.0/16", 64510, "Example Transit")
                .network("2001:db8::/32", 64501, "Example Six")
                .write(temporary.resolve("GeoLite2-ASN.mmdb"));
    }

    private static ClientLocation location(String address, String country, String continent, OptionalLong autonomousSystem) {
        return new ClientLocation(address(address), Optional.of(country), Optional.of(continent), autonomousSystem);
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
