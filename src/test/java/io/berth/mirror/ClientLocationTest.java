package io.berth.mirror;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A client location holds only well-formed codes. */
class ClientLocationTest {
    private static final InetAddress ADDRESS = address("192.0.2.1");

    @Test
    void holdsACountryAContinentAndAnAutonomousSystem() {
        ClientLocation location = new ClientLocation(ADDRESS, Optional.of("DE"), Optional.of("EU"), OptionalLong.of(4_294_967_295L));

        assertThat(location.country()).contains("DE");
        assertThat(location.continent()).contains("EU");
        assertThat(location.autonomousSystem()).hasValue(4_294_967_295L);
    }

    @Test
    void anUnknownLocationHasOnlyItsAddress() {
        assertThat(ClientLocation.unknown(ADDRESS))
                .isEqualTo(new ClientLocation(ADDRESS, Optional.empty(), Optional.empty(), OptionalLong.empty()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"de", "D", "DEU", "", "1A"})
    void refusesACountryThatIsNoUpperCaseAlpha2Code(String country) {
        assertThatThrownBy(() -> new ClientLocation(ADDRESS, Optional.of(country), Optional.empty(), OptionalLong.empty()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ISO 3166-1 alpha-2");
    }

    @ParameterizedTest
    @ValueSource(strings = {"eu", "EUR", "XX", "AP", ""})
    void refusesAContinentMaxMindDoesNotUse(String continent) {
        assertThatThrownBy(() -> new ClientLocation(ADDRESS, Optional.empty(), Optional.of(continent), OptionalLong.empty()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("continent");
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -1, 4_294_967_296L})
    void refusesAnAutonomousSystemNumberOutsideOneTo2To32Minus1(long number) {
        assertThatThrownBy(() -> new ClientLocation(ADDRESS, Optional.empty(), Optional.empty(), OptionalLong.of(number)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("autonomous system");
    }

    @Test
    void refusesNulls() {
        assertThatThrownBy(() -> ClientLocation.unknown(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new ClientLocation(ADDRESS, null, Optional.empty(), OptionalLong.empty()))
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void theLocatorWithoutDatabasesKnowsOnlyTheAddress() {
        try (Geolocator none = Geolocator.none()) {
            assertThat(none.locate(ADDRESS)).isEqualTo(ClientLocation.unknown(ADDRESS));
        }
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
