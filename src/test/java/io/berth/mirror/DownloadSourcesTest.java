package io.berth.mirror;

import static io.berth.mirror.TestMirrors.address;
import static io.berth.mirror.TestMirrors.mirror;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.berth.mirror.DownloadSources.Decision;
import io.berth.mirror.DownloadSources.Kind;
import io.berth.mirror.MirrorSelector.Candidate;
import io.berth.mirror.MirrorSelector.Reason;
import io.berth.oci.Digest;
import io.berth.testing.TestBlob;
import java.net.InetAddress;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Where a blob download goes: the mirror the selector chooses, else the CDN for a blob of a published
 * generation, else nowhere (the registry serves it); a blob no generation exported goes nowhere.
 */
class DownloadSourcesTest {
    private static final Digest DIGEST = TestBlob.of("a layer").digest();
    private static final InetAddress CLIENT = address("198.51.100.20");
    private static final ClientLocation GERMAN_CLIENT = new ClientLocation(CLIENT, Optional.of("DE"),
            Optional.of("EU"), OptionalLong.empty());
    private static final Optional<URI> CDN = Optional.of(URI.create("https://cdn.example/berth"));
    private static final Instant READ_AT = Instant.parse("2025-03-01T12:00:00Z");

    @Test
    void aBlobNoGenerationExportedIsLeftToTheRegistryEvenWithMirrorsAndACdn() {
        DownloadSources sources = sources(new PlacingGeolocator(Map.of()), CDN);
        sources.replace(snapshot(OptionalLong.of(5), mirror("anywhere").syncedTo(5)));

        assertThat(sources.sourceFor(CLIENT, DIGEST, OptionalLong.empty())).isEmpty();
        Decision decision = sources.explain(CLIENT, DIGEST, OptionalLong.empty());
        assertThat(decision.kind()).isEqualTo(Kind.REGISTRY);
        assertThat(decision.location()).isEmpty();
        assertThat(decision.candidates()).isEmpty();
    }

    @Test
    void aChosenMirrorServesTheBlobFromItsPathInTheMirrorTree() {
        DownloadSources sources = sources(new PlacingGeolocator(Map.of()), CDN);
        sources.replace(snapshot(OptionalLong.of(2), mirror("campus").servingNetblocks("198.51.100.0/24").syncedTo(2)));
        URI expected = URI.create("https://campus.mirrors.example/berth/blobs/sha256/"
                + DIGEST.encoded().substring(0, 2) + "/" + DIGEST.encoded());

        assertThat(sources.sourceFor(CLIENT, DIGEST, OptionalLong.of(2))).contains(expected);
        Decision decision = sources.explain(CLIENT, DIGEST, OptionalLong.of(2));
        assertThat(decision.kind()).isEqualTo(Kind.MIRROR);
        assertThat(decision.location()).contains(expected);
        assertThat(decision.mirror()).map(Mirror::name).contains("campus");
        assertThat(sources.choiceFor(CLIENT, DIGEST, OptionalLong.of(2)))
                .as("the choice names the mirror, for the downloads metric")
                .contains(new DownloadSources.Choice(expected, java.util.Optional.of("campus")));
    }

    @Test
    void theClientsLocationComesFromTheGeolocator() {
        DownloadSources sources = sources(new PlacingGeolocator(Map.of(CLIENT, GERMAN_CLIENT)), CDN);
        sources.replace(snapshot(OptionalLong.of(1),
                mirror("brazil").in("BR").bandwidthMbps(100_000).syncedTo(1),
                mirror("germany").in("DE").bandwidthMbps(1).syncedTo(1)));

        assertThat(sources.sourceFor(CLIENT, DIGEST, OptionalLong.of(1)))
                .contains(mirror("germany").build().blobUri(DIGEST));
        Decision decision = sources.explain(CLIENT, DIGEST, OptionalLong.of(1));
        assertThat(decision.client()).isEqualTo(GERMAN_CLIENT);
        assertThat(decision.candidates()).extracting(candidate -> candidate.mirror().name(), Candidate::reason)
                .containsExactly(tuple("germany", Reason.COUNTRY), tuple("brazil", Reason.GLOBAL));
    }

    @Test
    void withoutASuitableMirrorTheCdnServesABlobOfThePublishedGeneration() {
        DownloadSources sources = sources(new PlacingGeolocator(Map.of()), CDN);
        sources.replace(snapshot(OptionalLong.of(3)));
        URI expected = URI.create("https://cdn.example/berth/" + SyncIndex.blobPath(DIGEST));

        assertThat(sources.sourceFor(CLIENT, DIGEST, OptionalLong.of(3))).contains(expected);
        assertThat(sources.sourceFor(CLIENT, DIGEST, OptionalLong.of(1))).as("an older generation").contains(expected);
        Decision decision = sources.explain(CLIENT, DIGEST, OptionalLong.of(3));
        assertThat(decision.kind()).isEqualTo(Kind.CDN);
        assertThat(decision.location()).contains(expected);
        assertThat(decision.mirror()).isEmpty();
        assertThat(sources.choiceFor(CLIENT, DIGEST, OptionalLong.of(3)))
                .as("the CDN is a choice without a mirror")
                .contains(new DownloadSources.Choice(expected, java.util.Optional.empty()));
    }

    @Test
    void theCdnIsNotUsedForABlobOfAGenerationNotPublishedYet() {
        DownloadSources sources = sources(new PlacingGeolocator(Map.of()), CDN);
        sources.replace(snapshot(OptionalLong.of(3)));

        assertThat(sources.sourceFor(CLIENT, DIGEST, OptionalLong.of(4))).isEmpty();
        assertThat(sources.explain(CLIENT, DIGEST, OptionalLong.of(4)).kind()).isEqualTo(Kind.REGISTRY);
    }

    @Test
    void theCdnIsNotUsedBeforeTheFirstGenerationIsPublished() {
        DownloadSources sources = sources(new PlacingGeolocator(Map.of()), CDN);
        sources.replace(snapshot(OptionalLong.empty()));

        assertThat(sources.sourceFor(CLIENT, DIGEST, OptionalLong.of(1))).isEmpty();
    }

    @Test
    void withNeitherASuitableMirrorNorACdnTheRegistryServesTheBlob() {
        DownloadSources sources = sources(new PlacingGeolocator(Map.of()), Optional.empty());
        sources.replace(snapshot(OptionalLong.of(3)));

        assertThat(sources.sourceFor(CLIENT, DIGEST, OptionalLong.of(3))).isEmpty();
        assertThat(sources.explain(CLIENT, DIGEST, OptionalLong.of(3)).kind()).isEqualTo(Kind.REGISTRY);
    }

    @Test
    void aMirrorBehindTheBlobsGenerationLeavesTheBlobToTheCdn() {
        DownloadSources sources = sources(new PlacingGeolocator(Map.of()), CDN);
        sources.replace(snapshot(OptionalLong.of(2), mirror("campus").servingNetblocks("198.51.100.0/24").syncedTo(1)));

        assertThat(sources.sourceFor(CLIENT, DIGEST, OptionalLong.of(2)))
                .contains(URI.create("https://cdn.example/berth/" + SyncIndex.blobPath(DIGEST)));
        assertThat(sources.sourceFor(CLIENT, DIGEST, OptionalLong.of(1)))
                .contains(mirror("campus").build().blobUri(DIGEST));
    }

    @Test
    void aGeolocatorThatFailsPlacesTheClientNowhereInsteadOfFailingTheDownload() {
        DownloadSources sources = sources(new FailingGeolocator(), CDN);
        sources.replace(snapshot(OptionalLong.of(1), mirror("germany").in("DE").syncedTo(1)));

        assertThat(sources.sourceFor(CLIENT, DIGEST, OptionalLong.of(1)))
                .contains(mirror("germany").build().blobUri(DIGEST));
        Decision decision = sources.explain(CLIENT, DIGEST, OptionalLong.of(1));
        assertThat(decision.client()).isEqualTo(ClientLocation.unknown(CLIENT));
        assertThat(decision.candidates()).extracting(Candidate::reason).containsExactly(Reason.GLOBAL);
    }

    @Test
    void aGeolocatorThatFailsStillLetsNetblocksChoose() {
        DownloadSources sources = sources(new FailingGeolocator(), CDN);
        sources.replace(snapshot(OptionalLong.of(1),
                mirror("internal").servingNetblocks("198.51.100.0/24").privately().syncedTo(1)));

        assertThat(sources.sourceFor(CLIENT, DIGEST, OptionalLong.of(1)))
                .contains(mirror("internal").build().blobUri(DIGEST));
    }

    @Test
    void decisionsUseTheSnapshotThatReplacedThePreviousOne() {
        DownloadSources sources = sources(new PlacingGeolocator(Map.of()), CDN);
        assertThat(sources.snapshot().statuses()).as("empty until the first read").isEmpty();
        assertThat(sources.sourceFor(CLIENT, DIGEST, OptionalLong.of(1))).isEmpty();

        MirrorSnapshot next = snapshot(OptionalLong.of(1),
                mirror("campus").servingNetblocks("198.51.100.0/24").syncedTo(1));
        sources.replace(next);

        assertThat(sources.snapshot()).isSameAs(next);
        assertThat(sources.sourceFor(CLIENT, DIGEST, OptionalLong.of(1)))
                .contains(mirror("campus").build().blobUri(DIGEST));
    }

    private static DownloadSources sources(Geolocator geolocator, Optional<URI> cdn) {
        return new DownloadSources(geolocator, cdn, () -> new SplittableRandom(1));
    }

    private static MirrorSnapshot snapshot(OptionalLong publishedGeneration, MirrorStatus... statuses) {
        return MirrorSnapshot.of(List.of(statuses), publishedGeneration, READ_AT);
    }

    /** Places the addresses it was given; every other address is unknown. */
    private record PlacingGeolocator(Map<InetAddress, ClientLocation> locations) implements Geolocator {
        @Override
        public ClientLocation locate(InetAddress address) {
            return locations.getOrDefault(address, ClientLocation.unknown(address));
        }

        @Override
        public void close() {
        }
    }

    /** A geolocator whose database cannot be read. */
    private static final class FailingGeolocator implements Geolocator {
        @Override
        public ClientLocation locate(InetAddress address) {
            throw new IllegalStateException("the country database is unreadable");
        }

        @Override
        public void close() {
        }
    }
}
