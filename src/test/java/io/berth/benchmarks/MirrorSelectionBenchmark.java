package io.berth.benchmarks;

import io.berth.mirror.ClientAddresses;
import io.berth.mirror.ClientLocation;
import io.berth.mirror.Continents;
import io.berth.mirror.DownloadSources;
import io.berth.mirror.Geolocator;
import io.berth.mirror.Mirror;
import io.berth.mirror.MirrorSelector;
import io.berth.mirror.MirrorSnapshot;
import io.berth.mirror.MirrorStatus;
import io.berth.mirror.Netblock;
import io.berth.oci.Digest;
import io.berth.oci.DigestAlgorithm;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What mirrors add to every blob {@code GET}: finding the client behind the proxies
 * ({@link ClientAddresses#clientOf}) and choosing where it downloads from
 * ({@link DownloadSources#sourceFor}), over a catalogue the size of a large public mirror network:
 * 260 public mirrors in 40 countries with three netblocks each, and 40 private mirrors with
 * netblocks and autonomous systems. Geolocation is a fixed answer, so the scores are the selection
 * alone; a MaxMind lookup comes on top.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MirrorSelectionBenchmark {
    private static final List<String> COUNTRIES = List.of(
            "US", "CA", "MX", "BR", "AR", "CL", "CO",
            "DE", "FR", "GB", "NL", "SE", "FI", "NO", "PL", "CZ", "AT", "CH", "IT", "ES",
            "PT", "IE", "DK", "BE", "RO", "GR", "HU",
            "JP", "KR", "CN", "IN", "SG", "TW", "HK", "ID", "TH", "IL",
            "AU", "NZ", "ZA");
    private static final int PUBLIC_MIRRORS = 260;
    private static final int PRIVATE_MIRRORS = 40;
    /** Every 30th mirror failed its last crawl, as some always have. */
    private static final int STALE_EVERY = 30;
    private static final long GENERATION = 12;
    /** The first private autonomous-system number; private mirror {@code i} declares this plus {@code i}. */
    private static final long FIRST_PRIVATE_AS = 64_512;

    /** Which step of {@link MirrorSelector} finds the client's mirrors. */
    public enum ClientKind {
        /** 30.1.16.7 lies in 30.1.16.0/20, the second netblock of public mirror 8: the netblock step decides. */
        NETBLOCK("30.1.16.7", Optional.of("DE"), OptionalLong.of(3320), MirrorSelector.Reason.NETBLOCK),
        /** A client in the autonomous system private mirror 3 declares. */
        AUTONOMOUS_SYSTEM("198.51.100.7", Optional.of("DE"), OptionalLong.of(FIRST_PRIVATE_AS + 3),
                MirrorSelector.Reason.AUTONOMOUS_SYSTEM),
        /** The common case: no netblock or autonomous system matches, the country has mirrors. */
        COUNTRY("198.51.100.7", Optional.of("DE"), OptionalLong.of(3320), MirrorSelector.Reason.COUNTRY),
        /** An address the databases do not place: every public mirror is a candidate. */
        GLOBAL_POOL("198.51.100.7", Optional.empty(), OptionalLong.empty(), MirrorSelector.Reason.GLOBAL);

        final String address;
        final Optional<String> country;
        final OptionalLong autonomousSystem;
        final MirrorSelector.Reason expected;

        ClientKind(String address, Optional<String> country, OptionalLong autonomousSystem,
                   MirrorSelector.Reason expected) {
            this.address = address;
            this.country = country;
            this.autonomousSystem = autonomousSystem;
            this.expected = expected;
        }
    }

    /** The selection's inputs for one kind of client; only {@link #sourceFor} depends on it. */
    @State(Scope.Benchmark)
    public static class Selection {
        @Param
        public ClientKind client;

        InetAddress address;
        DownloadSources sources;
        final Digest digest = Digest.of(DigestAlgorithm.SHA256, "a layer".getBytes(StandardCharsets.UTF_8));
        final OptionalLong generation = OptionalLong.of(GENERATION);

        @Setup
        public void build() {
            address = Netblock.literal(client.address).orElseThrow();
            Optional<String> continent = client.country.flatMap(Continents::of);
            ClientLocation location = new ClientLocation(address, client.country, continent, client.autonomousSystem);
            sources = new DownloadSources(new FixedLocation(location), Optional.of(URI.create("https://cdn.example.test/")));
            sources.replace(MirrorSnapshot.of(catalogue(), OptionalLong.of(GENERATION), Instant.EPOCH));
            MirrorSelector.Reason found = sources.explain(address, digest, generation).candidates().getFirst().reason();
            if (found != client.expected) {
                throw new IllegalStateException(client + " is decided by the " + found + " step, not " + client.expected);
            }
        }
    }

    private final ClientAddresses clients = new ClientAddresses(
            List.of(Netblock.parse("10.0.0.0/8"), Netblock.parse("192.168.0.0/16"), Netblock.parse("fd00::/8")));
    private final InetAddress proxy = Netblock.literal("10.1.2.3").orElseThrow();
    /** The client as the outer proxy saw it, then the outer proxy as the inner one (the socket peer) saw it. */
    private final List<String> forwardedFor = List.of("203.0.113.7, 10.4.5.6");

    @Benchmark
    public Optional<URI> sourceFor(Selection selection) {
        return selection.sources.sourceFor(selection.address, selection.digest, selection.generation);
    }

    @Benchmark
    public InetAddress clientBehindTwoProxies() {
        return clients.clientOf(proxy, forwardedFor);
    }

    /** The same catalogue every run: public mirrors round-robin over the countries, then the private ones. */
    static List<MirrorStatus> catalogue() {
        Random random = new Random(1);
        List<MirrorStatus> statuses = new ArrayList<>();
        int block = 0;
        for (int i = 0; i < PUBLIC_MIRRORS; i++) {
            List<Netblock> netblocks = List.of(ipv4Block(block++), ipv4Block(block++), ipv6Block(i));
            Mirror mirror = new Mirror("public-" + i, URI.create("https://mirror-" + i + ".example.test/berth/"),
                    Optional.of(COUNTRIES.get(i % COUNTRIES.size())), Optional.empty(), netblocks, Set.of(),
                    100 + random.nextInt(10_000), false, Set.of(), true, false);
            statuses.add(status(mirror, i));
        }
        for (int i = 0; i < PRIVATE_MIRRORS; i++) {
            Mirror mirror = new Mirror("private-" + i, URI.create("https://cache-" + i + ".corp.example.test/"),
                    Optional.of(COUNTRIES.get(random.nextInt(COUNTRIES.size()))), Optional.empty(),
                    List.of(ipv4Block(block++), ipv4Block(block++)), Set.of(FIRST_PRIVATE_AS + i),
                    1_000, true, Set.of(), true, false);
            statuses.add(status(mirror, PUBLIC_MIRRORS + i));
        }
        return statuses;
    }

    private static MirrorStatus status(Mirror mirror, int index) {
        boolean stale = index % STALE_EVERY == STALE_EVERY - 1;
        return new MirrorStatus(mirror, OptionalLong.of(GENERATION), stale, stale ? 1 : 0, Optional.of(Instant.EPOCH),
                stale ? Optional.of("connection refused") : Optional.empty());
    }

    /** The {@code n}-th of a run of distinct /20 networks from 30.0.0.0 on. */
    private static Netblock ipv4Block(int n) {
        return Netblock.parse("%d.%d.%d.0/20".formatted(30 + n / 4096, n / 16 % 256, n % 16 * 16));
    }

    private static Netblock ipv6Block(int n) {
        return Netblock.parse("2001:db8:%x::/48".formatted(n));
    }

    /** A geolocator that places every address where one client is. */
    private record FixedLocation(ClientLocation location) implements Geolocator {
        @Override
        public ClientLocation locate(InetAddress address) {
            return location;
        }

        @Override
        public void close() {
        }
    }
}
