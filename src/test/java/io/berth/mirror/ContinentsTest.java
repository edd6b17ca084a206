package io.berth.mirror;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The country-to-continent table used when a database record names a country but no continent. */
class ContinentsTest {
    @ParameterizedTest
    @CsvSource({"DE,EU", "US,NA", "BR,SA", "JP,AS", "KE,AF", "NZ,OC", "AQ,AN", "RU,EU", "TR,AS", "EG,AF", "PA,NA", "XK,EU"})
    void knowsTheContinentOfACountry(String country, String continent) {
        assertThat(Continents.of(country)).contains(continent);
    }

    @Test
    void readsCountryCodesInEitherCase() {
        assertThat(Continents.of("de")).contains("EU");
        assertThat(Continents.of("Au")).contains("OC");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ZZ", "AA", "", "D", "DEU", "EU", "1A"})
    void aCodeTheTableDoesNotHoldHasNoContinent(String code) {
        assertThat(Continents.of(code)).isEmpty();
    }

    @Test
    void everyLineOfTheTableIsACountryAndOneOfMaxMindsContinents() throws IOException {
        List<String> lines = tableLines();

        assertThat(lines.getFirst()).as("header comment").startsWith("# ");
        List<String> entries = lines.subList(1, lines.size());
        assertThat(entries).allSatisfy(line -> assertThat(line).matches("[A-Z]{2}\t(AF|AN|AS|EU|NA|OC|SA)"));
        Set<String> countries = new HashSet<>();
        for (String line : entries) {
            String country = line.substring(0, 2);
            assertThat(countries.add(country)).as("%s appears once", country).isTrue();
            assertThat(Continents.of(country)).contains(line.substring(3));
        }
        // The 249 assigned ISO 3166-1 alpha-2 codes, and XK.
        assertThat(countries).hasSize(250);
    }

    private static List<String> tableLines() throws IOException {
        try (InputStream table = Continents.class.getResourceAsStream(Continents.TABLE)) {
            assertThat(table).as(Continents.TABLE).isNotNull();
            return new String(table.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }
}
