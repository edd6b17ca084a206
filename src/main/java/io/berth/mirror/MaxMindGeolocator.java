package io.berth.mirror;

import com.maxmind.db.CHMCache;
import com.maxmind.db.Reader.FileMode;
import com.maxmind.geoip2.DatabaseReader;
import com.maxmind.geoip2.exception.GeoIp2Exception;
import com.maxmind.geoip2.model.AsnResponse;
import com.maxmind.geoip2.model.IspResponse;
import com.maxmind.geoip2.record.Continent;
import com.maxmind.geoip2.record.Country;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Locates clients in MaxMind DB files: a country database (GeoIP2 or GeoLite2 Country, City or
 * Enterprise, or a database compatible with one of them) for country and continent, and an
 * autonomous system database (GeoLite2 ASN or GeoIP2 ISP) for the network. Either may be absent;
 * its fields are then always empty.
 *
 * <p>The files are memory-mapped and read by any number of threads at once. A file replaced on
 * disk is not noticed: open a new geolocator and close this one.
 */
public final class MaxMindGeolocator implements Geolocator {
    /** Decoded records kept per file: clients cluster in few networks, and a record is small. */
    private static final int CACHED_RECORDS = 4096;

    private final Optional<Database<Place>> countries;
    private final Optional<Database<Long>> autonomousSystems;

    private MaxMindGeolocator(Optional<Database<Place>> countries, Optional<Database<Long>> autonomousSystems) {
        this.countries = countries;
        this.autonomousSystems = autonomousSystems;
    }

    /**
     * Opens the given databases.
     *
     * @throws IllegalArgumentException naming the file and the problem when a file is missing,
     *     unreadable, not a MaxMind DB file, or a database of the wrong type
     */
    public static MaxMindGeolocator open(Optional<Path> countryDatabase, Optional<Path> asnDatabase) {
        Optional<Database<Place>> countries = countryDatabase.map(MaxMindGeolocator::openCountries);
        try {
            return new MaxMindGeolocator(countries, asnDatabase.map(MaxMindGeolocator::openAutonomousSystems));
        } catch (RuntimeException e) {
            countries.ifPresent(database -> closeAfterFailure(database.reader(), e));
            throw e;
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>The country is where the address is used; when the database does not know that, the
     * country the network is registered in. The continent is the database's, or else the
     * country's continent from {@link Continents}.
     *
     * @throws UncheckedIOException when a database file cannot be read (it is corrupt, or this
     *     geolocator is closed)
     */
    @Override
    public ClientLocation locate(InetAddress address) {
        Objects.requireNonNull(address, "address");
        Place place = countries.flatMap(database -> database.find(address)).orElse(Place.UNKNOWN);
        OptionalLong autonomousSystem = autonomousSystems.flatMap(database -> database.find(address))
                .filter(ClientLocation::isAutonomousSystem)
                .map(OptionalLong::of)
                .orElse(OptionalLong.empty());
        return new ClientLocation(address, place.country(), place.continent(), autonomousSystem);
    }

    @Override
    public void close() {
        List<Database<?>> databases = new ArrayList<>(2);
        countries.ifPresent(databases::add);
        autonomousSystems.ifPresent(databases::add);
        UncheckedIOException failure = null;
        for (Database<?> database : databases) {
            try {
                database.reader().close();
            } catch (IOException e) {
                UncheckedIOException closing = new UncheckedIOException("cannot close " + database.file(), e);
                if (failure == null) {
                    failure = closing;
                } else {
                    failure.addSuppressed(closing);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public String toString() {
        return "MaxMindGeolocator[countries=" + countries.map(Database::toString).orElse("none")
                + ", autonomousSystems=" + autonomousSystems.map(Database::toString).orElse("none") + "]";
    }

    private static Database<Place> openCountries(Path file) {
        DatabaseReader reader = openReader(file, "country");
        String type = reader.metadata().databaseType();
        // Matched as DatabaseReader matches them, so every type it accepts for a lookup is accepted here.
        if (type.contains("City") || type.contains("Enterprise")) {
            return new Database<>(file, type, reader, (database, address) -> database.tryCity(address)
                    .map(city -> Place.of(city.country(), city.registeredCountry(), city.continent())));
        }
        if (type.contains("Country")) {
            return new Database<>(file, type, reader, (database, address) -> database.tryCountry(address)
                    .map(country -> Place.of(country.country(), country.registeredCountry(), country.continent())));
        }
        throw wrongType(file, reader, "country", "a GeoIP2 or GeoLite2 Country or City database");
    }

    private static Database<Long> openAutonomousSystems(Path file) {
        DatabaseReader reader = openReader(file, "ASN");
        String type = reader.metadata().databaseType();
        if (type.contains("GeoLite2-ASN")) {
            return new Database<>(file, type, reader, (database, address) -> database.tryAsn(address)
                    .map(AsnResponse::autonomousSystemNumber));
        }
        if (type.contains("GeoIP2-ISP")) {
            return new Database<>(file, type, reader, (database, address) -> database.tryIsp(address)
                    .map(IspResponse::autonomousSystemNumber));
        }
        throw wrongType(file, reader, "ASN", "a GeoLite2 ASN or GeoIP2 ISP database");
    }

    private static DatabaseReader openReader(Path file, String role) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(role + " database " + file + " does not exist or is not a regular file");
        }
        if (!Files.isReadable(file)) {
            throw new IllegalArgumentException(role + " database " + file + " is not readable");
        }
        try {
            return new DatabaseReader.Builder(file.toFile())
                    .fileMode(FileMode.MEMORY_MAPPED)
                    .withCache(new CHMCache(CACHED_RECORDS))
                    .build();
        } catch (IOException e) {
            throw new IllegalArgumentException(role + " database " + file + " is not a MaxMind DB file: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            // DatabaseReader refuses a database type it has no lookup for.
            throw new IllegalArgumentException(role + " database " + file + " is of a type GeoIP2 cannot read: " + e.getMessage(), e);
        }
    }

    private static IllegalArgumentException wrongType(Path file, DatabaseReader reader, String role, String expected) {
        IllegalArgumentException failure = new IllegalArgumentException(role + " database " + file + " is a "
                + reader.metadata().databaseType() + " database; expected " + expected);
        closeAfterFailure(reader, failure);
        return failure;
    }

    private static void closeAfterFailure(DatabaseReader reader, RuntimeException failure) {
        try {
            reader.close();
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }

    /** One lookup of a {@link DatabaseReader}; empty when the database has no record for the address. */
    @FunctionalInterface
    private interface Query<T> {
        Optional<T> find(DatabaseReader reader, InetAddress address) throws IOException, GeoIp2Exception;
    }

    private record Database<T>(Path file, String type, DatabaseReader reader, Query<T> query) {
        Optional<T> find(InetAddress address) {
            try {
                return query.find(reader, address);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file + " at " + address.getHostAddress(), e);
            } catch (GeoIp2Exception e) {
                throw new IllegalStateException("cannot read " + file + " at " + address.getHostAddress(), e);
            }
        }

        @Override
        public String toString() {
            return file + " (" + type + ")";
        }
    }

    /** Country and continent as a country database gives them, each already validated. */
    private record Place(Optional<String> country, Optional<String> continent) {
        static final Place UNKNOWN = new Place(Optional.empty(), Optional.empty());

        static Place of(Country country, Country registeredCountry, Continent continent) {
            Optional<String> countryCode = countryCode(country).or(() -> countryCode(registeredCountry));
            Optional<String> continentCode = Optional.ofNullable(continent.code())
                    .map(code -> code.toUpperCase(Locale.ROOT))
                    .filter(Continents.CODES::contains)
                    .or(() -> countryCode.flatMap(Continents::of));
            return new Place(countryCode, continentCode);
        }

        private static Optional<String> countryCode(Country country) {
            return Optional.ofNullable(country.isoCode())
                    .map(code -> code.toUpperCase(Locale.ROOT))
                    .filter(ClientLocation::isCountryCode);
        }
    }
}
