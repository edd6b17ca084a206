package io.berth.mirror;

import static io.berth.mirror.TestMirrors.address;
import static io.berth.mirror.TestMirrors.mirror;
import static org.assertj.core.api.Assertions.assertThat;

import io.berth.mirror.DownloadSources.Kind;
import io.berth.oci.Digest;
import io.berth.testing.MutableClock;
import io.berth.testing.TestBlob;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

/**
 * Failover from a dead download source, with a fake clock and a fake prober whose probes run on the
 * calling thread: the watch probes the sources clients were sent to, a source that fails the
 * configured probes in a row gets no more clients (the next mirror, the CDN, or Berth itself does),
 * and the first successful probe gives it clients again.
 */
class SourceWatchTest {
    private static final Instant START = Instant.parse("2026-01-10T08:00:00Z");
    private static final Digest DIGEST = TestBlob.of("a layer").digest();
    private static final InetAddress CLIENT = address("198.51.100.20");
    private static final URI CDN = URI.create("https://cdn.example/berth/");
    private static final SourceHealth.Settings SETTINGS = new SourceHealth.Settings(Duration.ofSeconds(2), 2, Duration.ofSeconds(2));

    private final MutableClock clock = new MutableClock(START);
    private final FakeProber prober = new FakeProber();
    private final SourceHealth health = new SourceHealth(SETTINGS, clock);
    private final DownloadSources sources = new DownloadSources(Geolocator.none(), Optional.of(CDN), health,
            () -> new SplittableRandom(7));
    private final SourceWatch watch = new SourceWatch(sources, health, prober, Runnable::run);

    private final Mirror campus = mirror("campus").servingNetblocks("198.51.100.0/24").build();
    private final Mirror national = mirror("national").build();

    @Test
    void aDeadMirrorLosesItsClientsToTheNextMirrorAfterTheConfiguredFailures() {
        useMirrors(mirror("campus").servingNetblocks("198.51.100.0/24").syncedTo(1), mirror("national").syncedTo(1));
        assertThat(sourceFor()).contains(campus.blobUri(DIGEST));
        watch.tick();
        assertThat(prober.probed).containsExactly(campus.baseUri());

        prober.down.add(campus.baseUri());
        clock.advance(SETTINGS.interval());
        watch.tick();
        assertThat(sourceFor()).as("one failure of two").contains(campus.blobUri(DIGEST));
        clock.advance(SETTINGS.interval());
        watch.tick();

        assertThat(sourceFor()).contains(national.blobUri(DIGEST));
        assertThat(sources.explain(CLIENT, DIGEST, OptionalLong.of(1)).unreachable())
                .extracting(candidate -> candidate.mirror().name()).containsExactly("campus");
    }

    @Test
    void anOpenMirrorIsRetriedWithBackoffAndGetsClientsBackAfterOneGoodProbe() {
        useMirrors(mirror("campus").servingNetblocks("198.51.100.0/24").syncedTo(1));
        sourceFor();
        prober.down.add(campus.baseUri());
        failUntilOpen(campus.baseUri());
        assertThat(sourceFor()).as("the CDN takes the client").contains(CDN.resolve(SyncIndex.blobPath(DIGEST)));
        prober.probed.clear();

        clock.advance(SETTINGS.interval());
        watch.tick();
        clock.advance(SETTINGS.interval());
        watch.tick();
        assertThat(prober.probed).as("the second retry waits twice as long").filteredOn(campus.baseUri()::equals).hasSize(1);
        clock.advance(SETTINGS.interval());
        watch.tick();
        assertThat(prober.probed).filteredOn(campus.baseUri()::equals).hasSize(2);

        prober.down.clear();
        clock.advance(SETTINGS.interval().multipliedBy(4));
        watch.tick();

        assertThat(health.reachable(campus.baseUri())).isTrue();
        assertThat(sourceFor()).contains(campus.blobUri(DIGEST));
    }

    @Test
    void theCdnIsProbedLikeAMirrorAndADeadOneLeavesTheBlobToBerth() {
        useMirrors();
        assertThat(sourceFor()).contains(CDN.resolve(SyncIndex.blobPath(DIGEST)));
        prober.down.add(CDN);

        failUntilOpen(CDN);

        assertThat(sourceFor()).as("Berth serves the blob itself").isEmpty();
        assertThat(sources.explain(CLIENT, DIGEST, OptionalLong.of(1)).kind()).isEqualTo(Kind.REGISTRY);
        assertThat(health.state(CDN).openSince()).isPresent();
    }

    @Test
    void withEveryMirrorAndTheCdnDownBerthServesTheBlob() {
        useMirrors(mirror("campus").servingNetblocks("198.51.100.0/24").syncedTo(1), mirror("national").syncedTo(1));
        prober.down.addAll(List.of(campus.baseUri(), national.baseUri(), CDN));

        for (int step = 0; step < 10 && sourceFor().isPresent(); step++) {
            watch.tick();
            clock.advance(SETTINGS.interval());
        }

        assertThat(sourceFor()).isEmpty();
        assertThat(List.of(campus.baseUri(), national.baseUri(), CDN)).noneMatch(health::reachable);
    }

    @Test
    void onlySourcesClientsWereSentToAreProbedAndEachOnceAtATime() {
        useMirrors(mirror("campus").servingNetblocks("198.51.100.0/24").syncedTo(1), mirror("national").syncedTo(1),
                mirror("idle").in("JP").servingNetblocks("203.0.113.0/24").syncedTo(1));
        sourceFor();
        List<Runnable> waiting = new ArrayList<>();
        SourceWatch holding = new SourceWatch(sources, health, prober, waiting::add);

        holding.tick();
        clock.advance(SETTINGS.interval().multipliedBy(3));
        holding.tick();

        assertThat(waiting).as("one probe of campus in flight; the others never chosen").hasSize(1);
        waiting.getFirst().run();
        assertThat(prober.probed).containsExactly(campus.baseUri());
    }

    @Test
    void noMoreThanTheProbeBudgetRunsAtOnce() {
        List<MirrorStatus> many = new ArrayList<>();
        for (int i = 0; i < SourceWatch.MAX_PROBES_IN_FLIGHT + 4; i++) {
            many.add(mirror("mirror-" + i).syncedTo(1));
        }
        useMirrors(many.toArray(MirrorStatus[]::new));
        many.forEach(status -> health.chosen(status.mirror().baseUri()));
        List<Runnable> waiting = new ArrayList<>();
        SourceWatch holding = new SourceWatch(sources, health, prober, waiting::add);

        holding.tick();

        assertThat(waiting).hasSize(SourceWatch.MAX_PROBES_IN_FLIGHT);
        waiting.forEach(Runnable::run);
        holding.tick();
        assertThat(waiting).hasSize(SourceWatch.MAX_PROBES_IN_FLIGHT + 4);
    }

    private void failUntilOpen(URI source) {
        for (int failure = 0; failure < SETTINGS.failuresToOpen(); failure++) {
            watch.tick();
            clock.advance(SETTINGS.interval());
        }
        assertThat(health.reachable(source)).isFalse();
    }

    private Optional<URI> sourceFor() {
        return sources.sourceFor(CLIENT, DIGEST, OptionalLong.of(1));
    }

    private void useMirrors(MirrorStatus... statuses) {
        sources.replace(MirrorSnapshot.of(List.of(statuses), OptionalLong.of(1), START));
    }

    /** Answers every probe except those of the sources in {@link #down}; remembers what it probed. */
    private static final class FakeProber implements SourceProber {
        final Set<URI> down = new HashSet<>();
        final List<URI> probed = new ArrayList<>();

        @Override
        public void check(URI base) throws SourceUnreachable {
            probed.add(base);
            if (down.contains(base)) {
                throw new SourceUnreachable("HEAD " + base + "berth-sync/generation failed: ConnectException");
            }
        }
    }
}
