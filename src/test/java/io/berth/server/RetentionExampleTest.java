package io.berth.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.config.BerthConfig;
import io.berth.config.ConfigLoader;
import io.berth.gc.GarbageCollector;
import io.berth.gc.GcPolicy;
import io.berth.gc.GcReport;
import io.berth.metadata.MetadataStore;
import io.berth.metadata.SqlMetadataStore;
import io.berth.oci.MediaTypes;
import io.berth.oci.RepositoryName;
import io.berth.oci.Tag;
import io.berth.registry.Registry;
import io.berth.storage.BlobLayout;
import io.berth.storage.FilesystemBlobStore;
import io.berth.testing.ManifestJson;
import io.berth.testing.MutableClock;
import io.berth.testing.TestBlob;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code examples/retention.yml} does what its comments say, on a registry whose clock moves on:
 * a candidate's tags older than 30 days go except its newest five and its release tags, the layers
 * only those builds used go with them (they were last confirmed long before the day of grace), and the
 * stable repository's protected tags stay whatever their age.
 */
class RetentionExampleTest {
    static final RepositoryName CANDIDATE = RepositoryName.parse("candidate/fedora/app");
    static final RepositoryName STABLE = RepositoryName.parse("fedora/app");

    @TempDir
    Path temporary;

    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

    @Test
    void candidatesOlderThanThirtyDaysGoExceptTheNewestFiveAndReleasesAndTheirLayersWithThem() throws Exception {
        BerthConfig config = ConfigLoader.load(Path.of("examples/retention.yml")).withDataDir(temporary.toString());
        GcPolicy policy = GcSetup.policy(config);
        FilesystemBlobStore store = new FilesystemBlobStore(new BlobLayout(temporary));
        try (MetadataStore metadata = SqlMetadataStore.openSqlite(temporary.resolve("berth.db"), clock)) {
            Registry registry = Registry.create(metadata, store, clock, config.gc().grace());
            List<TestBlob> layers = new ArrayList<>();
            for (int build = 1; build <= 10; build++) {
                layers.add(push(registry, CANDIDATE, "build-" + build, build));
                clock.advance(Duration.ofDays(1));
            }
            push(registry, CANDIDATE, "release-1", 100);
            TestBlob stableLayer = push(registry, STABLE, "41", 200);
            push(registry, STABLE, "latest", 201);
            GarbageCollector collector = new GarbageCollector(metadata, store, clock, policy, () -> false);

            clock.advance(Duration.ofDays(25));
            GcReport first = collector.runPass();

            assertThat(first.tagsRemoved()).as("day 35: builds 1-5 are older than 30 days and not among the newest five").isEqualTo(5);
            assertThat(tags(registry, CANDIDATE)).containsExactlyInAnyOrder(
                    "build-6", "build-7", "build-8", "build-9", "build-10", "release-1");
            assertThat(store.size(layers.getFirst().digest())).as("build-1's layer went with it").isEmpty();
            assertThat(store.size(layers.get(5).digest())).as("build-6's layer").isPresent();

            clock.advance(Duration.ofDays(60));
            GcReport second = collector.runPass();

            assertThat(second.tagsRemoved()).as("build-6: the newest five are release-1 and builds 7-10").isEqualTo(1);
            assertThat(tags(registry, CANDIDATE)).containsExactlyInAnyOrder("build-7", "build-8", "build-9", "build-10", "release-1");
            assertThat(tags(registry, STABLE)).as("protected and immutable, 95 days old").containsExactlyInAnyOrder("41", "latest");
            assertThat(store.size(layers.get(5).digest())).isEmpty();
            assertThat(store.size(layers.get(6).digest())).isPresent();
            assertThat(store.size(stableLayer.digest())).isPresent();
        }
    }

    /** Pushes a one-layer image (its layer unique to {@code seed}) under {@code tag}; returns the layer. */
    private static TestBlob push(Registry registry, RepositoryName repository, String tag, int seed) {
        TestBlob config = TestBlob.of("config " + repository + " " + seed);
        TestBlob layer = TestBlob.random(2048, seed);
        for (TestBlob blob : List.of(config, layer)) {
            registry.uploads().uploadWhole(repository, blob.digest(), OptionalLong.of(blob.size()),
                    new ByteArrayInputStream(blob.content()));
        }
        TestBlob manifest = ManifestJson.ociImage(config, layer).build();
        registry.manifests().put(repository, Tag.parse(tag), Optional.of(MediaTypes.OCI_MANIFEST), manifest.content(), List.of());
        return layer;
    }

    private static List<String> tags(Registry registry, RepositoryName repository) {
        return registry.listing().tags(repository, java.util.OptionalInt.empty(), Optional.empty()).items();
    }
}
