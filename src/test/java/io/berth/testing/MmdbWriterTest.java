package io.berth.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.maxmind.db.DatabaseRecord;
import com.maxmind.db.Metadata;
import com.maxmind.db.Reader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The MaxMind DB fixture writes files that MaxMind's own reader reads back as written. */
class MmdbWriterTest {
    @TempDir
    Path temporary;

    @Test
    void writesTheMetadataTheSpecificationRequires() throws IOException {
        Path file = MmdbWriter.asns().network("10.0.0.0/8", 64500, "Example Net").write(temporary.resolve("asn.mmdb"));

        try (Reader reader = new Reader(file.toFile())) {
            Metadata metadata = reader.getMetadata();
            assertThat(metadata.databaseType()).isEqualTo("GeoLite2-ASN");
            assertThat(metadata.ipVersion()).isEqualTo(6);
            assertThat(metadata.recordSize()).isEqualTo(32);
            assertThat(metadata.binaryFormatMajorVersion()).isEqualTo(2);
            assertThat(metadata.binaryFormatMinorVersion()).isZero();
            assertThat(metadata.buildEpoch()).isEqualTo(BigInteger.valueOf(MmdbWriter.BUILD_EPOCH_SECONDS));
            assertThat(metadata.languages()).containsExactly("en");
            assertThat(metadata.description()).containsKey("en");
            // One node per bit of the prefix: 96 down to ::/96, 8 more for the /8.
            assertThat(metadata.nodeCount()).isEqualTo(96 + 8);
        }
    }

    @Test
    void anIpv4AddressFindsItsNetworkAndRecord() throws IOException {
        Path file = MmdbWriter.countries().network("10.20.0.0/16", "DE", "EU").write(temporary.resolve("countries.mmdb"));

        DatabaseRecord<Map<String, Object>> found = lookUp(file, "10.20.255.1");
        assertThat(found.data()).isEqualTo(Map.of("country", Map.of("iso_code", "DE"), "continent", Map.of("code", "EU")));
        assertThat(found.network().networkAddress()).isEqualTo(address("10.20.0.0"));
        assertThat(found.network().prefixLength()).isEqualTo(16);
        assertThat(lookUp(file, "10.21.0.1").data()).isNull();
    }

    @Test
    void anIpv6AddressFindsItsNetworkAndRecord() throws IOException {
        Path file = MmdbWriter.asns().network("2001:db8:80::/41", 64501, "Example Six").write(temporary.resolve("asn.mmdb"));

        DatabaseRecord<Map<String, Object>> found = lookUp(file, "2001:db8:ff::1");
        assertThat(found.data()).containsEntry("autonomous_system_number", 64501L);
        assertThat(found.network().networkAddress()).isEqualTo(address("2001:db8:80::"));
        assertThat(found.network().prefixLength()).isEqualTo(41);
        assertThat(lookUp(file, "2001:db8:7f::1").data()).isNull();
    }

    @Test
    void theMostSpecificOfNestedNetworksWinsInEitherOrder() throws IOException {
        Path largeFirst = MmdbWriter.countries().network("10.0.0.0/8", "US", "NA").network("10.20.0.0/16", "DE", "EU")
                .write(temporary.resolve("large-first.mmdb"));
        Path smallFirst = MmdbWriter.countries().network("10.20.0.0/16", "DE", "EU").network("10.0.0.0/8", "US", "NA")
                .write(temporary.resolve("small-first.mmdb"));

        assertThat(Files.readAllBytes(smallFirst)).isEqualTo(Files.readAllBytes(largeFirst));
        DatabaseRecord<Map<String, Object>> inner = lookUp(largeFirst, "10.20.1.1");
        assertThat(inner.data()).containsEntry("country", Map.of("iso_code", "DE"));
        assertThat(inner.network().prefixLength()).isEqualTo(16);
        DatabaseRecord<Map<String, Object>> outer = lookUp(largeFirst, "10.21.1.1");
        assertThat(outer.data()).containsEntry("country", Map.of("iso_code", "US"));
        // The rest of the /8 after splitting: 10.21.0.0 is in the /16 next to the inner one.
        assertThat(outer.network().prefixLength()).isEqualTo(16);
        assertThat(lookUp(largeFirst, "10.128.0.1").network().prefixLength()).isEqualTo(9);
    }

    @Test
    void everyValueTypeAndSizeEncodingReadsBackAsWritten() throws IOException {
        Map<String, Object> record = Map.of(
                "short", "x".repeat(28),
                "one size byte", "y".repeat(29 + 255),
                "two size bytes", "z".repeat(285 + 300),
                "three size bytes", "w".repeat(65_821 + 10),
                "uint16", 65_535,
                "uint32", 4_294_967_295L,
                "zero", 0L,
                "uint64", new BigInteger("18446744073709551615"),
                "flags", List.of(true, false),
                "nested", Map.of("names", Map.of("en", "Germany", "de", "Deutschland")));
        Path file = MmdbWriter.ofType("Berth-Test").network("192.0.2.0/24", record).write(temporary.resolve("types.mmdb"));

        assertThat(lookUp(file, "192.0.2.7").data()).isEqualTo(record);
    }

    @Test
    void networksWithTheSameRecordShareOneCopyOfIt() throws IOException {
        Path one = MmdbWriter.asns().network("10.0.0.0/8", 64500, "Example Net").write(temporary.resolve("one.mmdb"));
        Path two = MmdbWriter.asns().network("10.0.0.0/8", 64500, "Example Net").network("11.0.0.0/8", 64500, "Example Net")
                .write(temporary.resolve("two.mmdb"));

        // 10/8 and 11/8 differ only in their last bit, so they share every node; the record is written once.
        assertThat(Files.size(two)).isEqualTo(Files.size(one));
        assertThat(lookUp(two, "11.1.1.1").data()).isEqualTo(lookUp(two, "10.1.1.1").data());
    }

    @Test
    void refusesMalformedNetworks() {
        MmdbWriter writer = MmdbWriter.countries();

        assertThatThrownBy(() -> writer.network("10.20.0.0", "DE", "EU")).hasMessageContaining("CIDR");
        assertThatThrownBy(() -> writer.network("10.20.0.1/16", "DE", "EU")).hasMessageContaining("host bits");
        assertThatThrownBy(() -> writer.network("10.20.0.0/33", "DE", "EU")).hasMessageContaining("prefix length");
        assertThatThrownBy(() -> writer.network("example.com/16", "DE", "EU")).hasMessageContaining("literal");
        assertThatThrownBy(() -> writer.network("::/0", "DE", "EU")).hasMessageContaining("::/0");
    }

    @SuppressWarnings("unchecked")
    private static DatabaseRecord<Map<String, Object>> lookUp(Path file, String address) throws IOException {
        try (Reader reader = new Reader(file.toFile())) {
            return (DatabaseRecord<Map<String, Object>>) (DatabaseRecord<?>) reader.getRecord(address(address), Map.class);
        }
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
