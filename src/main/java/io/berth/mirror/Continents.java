package io.berth.mirror;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The continent of each country, for a database record that names a country but no continent.
 * The table ({@code country-continents.tsv} beside this class) lists every ISO 3166-1 alpha-2 code,
 * and {@code XK} (Kosovo), a user-assigned code the databases use, with one of MaxMind's continent
 * codes. A country on two continents is placed where those databases place it: Russia in Europe,
 * Turkey and Kazakhstan in Asia, Egypt in Africa, Panama in North America.
 */
public final class Continents {
    /** MaxMind's continent codes. */
    static final Set<String> CODES = Set.of("AF", "AN", "AS", "EU", "NA", "OC", "SA");

    static final String TABLE = "country-continents.tsv";

    private Continents() {
    }

    /** Whether {@code countryCode} (either case) is an assigned ISO 3166-1 alpha-2 code: the table lists it. */
    public static boolean isCountryCode(String countryCode) {
        return of(countryCode).isPresent();
    }

    /**
     * The continent of {@code countryCode}, an ISO 3166-1 alpha-2 code in either case; empty for a
     * code the table does not hold.
     */
    public static Optional<String> of(String countryCode) {
        return Optional.ofNullable(Table.CONTINENTS.get(countryCode.toUpperCase(Locale.ROOT)));
    }

    /** Read on first use, so a server without geolocation never loads it. */
    private static final class Table {
        static final Map<String, String> CONTINENTS = load();

        private static Map<String, String> load() {
            try (InputStream stream = Continents.class.getResourceAsStream(TABLE)) {
                if (stream == null) {
                    throw new IllegalStateException("resource " + TABLE + " is missing beside " + Continents.class.getName());
                }
                BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8));
                Map<String, String> continents = new HashMap<>();
                String line;
                int number = 0;
                while ((line = reader.readLine()) != null) {
                    number++;
                    if (line.isBlank() || line.startsWith("#")) {
                        continue;
                    }
                    String[] fields = line.split("\t", -1);
                    if (fields.length != 2 || !ClientLocation.isCountryCode(fields[0]) || !CODES.contains(fields[1])) {
                        throw new IllegalStateException(TABLE + " line " + number + " is not COUNTRY<TAB>CONTINENT: " + line);
                    }
                    if (continents.put(fields[0], fields[1]) != null) {
                        throw new IllegalStateException(TABLE + " line " + number + " repeats " + fields[0]);
                    }
                }
                return Map.copyOf(continents);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + TABLE, e);
            }
        }
    }
}
