package io.berth.mirror;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.testing.MmdbWriter;
import io.berth.testing.MutableClock;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A replaced GeoIP file is picked up within a minute; a broken replacement keeps the last good one. */
class ReloadingGeolocatorTest {
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path temporary;

    @Test
    void aReplacedDatabaseIsUsedAfterTheNextCheck() throws Exception {
        Path country = MmdbWriter.countries().network("10.1.0.0/16", "DE", "EU").write(temporary.resolve("country.mmdb"));
        MutableClock clock = new MutableClock(START);
        try (ReloadingGeolocator geolocator = new ReloadingGeolocator(Optional.of(country), Optional.empty(), clock)) {
            InetAddress client = InetAddress.getByName("10.1.2.3");
            assertThat(geolocator.locate(client).country()).hasValue("DE");

            replace(country, MmdbWriter.countries().network("10.1.0.0/16", "FR", "EU"));
            assertThat(geolocator.locate(client).country()).as("not checked yet").hasValue("DE");
            clock.advance(ReloadingGeolocator.CHECK_INTERVAL.plusSeconds(1));

            assertThat(geolocator.locate(client).country()).hasValue("FR");
        }
    }

    @Test
    void aBrokenReplacementKeepsTheLastGoodDatabase() throws Exception {
        Path country = MmdbWriter.countries().network("10.1.0.0/16", "DE", "EU").write(temporary.resolve("country.mmdb"));
        MutableClock clock = new MutableClock(START);
        try (ReloadingGeolocator geolocator = new ReloadingGeolocator(Optional.of(country), Optional.empty(), clock)) {
            Path broken = temporary.resolve("broken");
            Files.writeString(broken, "not a MaxMind database");
            Files.move(broken, country, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Files.setLastModifiedTime(country, FileTime.from(START.plusSeconds(3600)));
            clock.advance(ReloadingGeolocator.CHECK_INTERVAL.plusSeconds(1));

            assertThat(geolocator.locate(InetAddress.getByName("10.1.2.3")).country()).hasValue("DE");
        }
    }

    /** Replaces the file the way geoipupdate does: a new file moved over the old one. */
    private void replace(Path target, MmdbWriter content) throws Exception {
        Path fresh = content.write(temporary.resolve("fresh.mmdb"));
        Files.setLastModifiedTime(fresh, FileTime.from(START.plusSeconds(7200)));
        Files.move(fresh, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
