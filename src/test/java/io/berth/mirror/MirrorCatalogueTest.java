package io.berth.mirror;

import static io.berth.mirror.TestMirrors.mirror;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.berth.metadata.MetadataSession;
import io.berth.metadata.MetadataStore;
import io.berth.metadata.SqlMetadataStore;
import io.berth.mirror.MirrorCatalogue.Removal;
import io.berth.oci.RepositoryName;
import io.berth.testing.MutableClock;
import io.berth.testing.TestBlob;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The catalogue over a real SQLite metadata store: the configuration file's mirrors replace each
 * other at every start while crawl state and mirrors added from the command line stay; enabling
 * forgets failures; the crawler's failures disable a mirror after four in a row.
 */
class MirrorCatalogueTest {
    @TempDir
    Path temporary;

    private final MutableClock clock = new MutableClock(Instant.parse("2025-03-01T12:00:00Z"));
    private MetadataStore metadata;
    private MirrorCatalogue catalogue;

    @BeforeEach
    void open() {
        metadata = SqlMetadataStore.openSqlite(temporary.resolve("berth.db"), clock);
        catalogue = new MirrorCatalogue(metadata, clock);
    }

    @AfterEach
    void close() {
        metadata.close();
    }

    @Test
    void declaringConfiguredMirrorsAddsThemNeverCrawled() {
        catalogue.declareConfigured(List.of(mirror("alpha").in("DE").build(), mirror("beta").in("FR").build()));

        assertThat(catalogue.statuses()).extracting(status -> status.mirror().name()).containsExactly("alpha", "beta");
        assertThat(catalogue.statuses()).allSatisfy(status -> {
            assertThat(status.mirror().fromConfig()).isTrue();
            assertThat(status.stale()).isTrue();
            assertThat(status.syncedGeneration()).isEmpty();
            assertThat(status.usable()).isFalse();
        });
    }

    @Test
    void aMirrorReadBackIsTheMirrorThatWasDeclared() {
        Mirror declared = mirror("everything").in("de").onContinent("eu")
                .servingNetblocks("192.0.2.0/24", "2001:db8::/32").servingAutonomousSystems(64500L, 64501L)
                .bandwidthMbps(2500).privately().allowingCountries("de", "AT").declaredInConfiguration().build();
        Mirror plain = mirror("plain").declaredInConfiguration().build();

        catalogue.declareConfigured(List.of(declared, plain));

        assertThat(catalogue.statuses()).extracting(MirrorStatus::mirror).containsExactly(declared, plain);
    }

    @Test
    void declaringAgainUpdatesAConfiguredMirrorAndKeepsItsCrawlState() {
        catalogue.declareConfigured(List.of(mirror("alpha").in("DE").bandwidthMbps(100).build()));
        inSession(session -> session.mirrors().recordCrawlSuccess("alpha", 7, clock.instant()));
        Instant crawledAt = clock.instant();
        clock.advance(Duration.ofHours(1));

        Mirror changed = mirror("alpha").in("AT").bandwidthMbps(900).servingNetblocks("192.0.2.0/24")
                .declaredInConfiguration().build();
        catalogue.declareConfigured(List.of(changed));

        MirrorStatus status = onlyStatus();
        assertThat(status.mirror()).isEqualTo(changed);
        assertThat(status.syncedGeneration()).hasValue(7);
        assertThat(status.stale()).isFalse();
        assertThat(status.lastCrawlAt()).contains(crawledAt);
    }

    @Test
    void declaringAgainWithAnotherUrlMakesTheMirrorStaleUntilCrawled() {
        Mirror original = mirror("alpha").in("DE").declaredInConfiguration().build();
        catalogue.declareConfigured(List.of(original));
        inSession(session -> session.mirrors().recordCrawlSuccess("alpha", 7, clock.instant()));

        Mirror moved = new Mirror("alpha", java.net.URI.create("https://elsewhere.example/berth/"), original.country(),
                original.continent(), original.netblocks(), original.autonomousSystems(), original.bandwidthMbps(),
                original.privateMirror(), original.allowedCountries(), original.enabled(), true);
        catalogue.declareConfigured(List.of(moved));

        MirrorStatus status = onlyStatus();
        assertThat(status.mirror().baseUri()).hasToString("https://elsewhere.example/berth/");
        assertThat(status.stale()).as("the new server has not been crawled").isTrue();
        assertThat(status.syncedGeneration()).isEmpty();
        assertThat(status.usable()).isFalse();
    }

    @Test
    void declaringAgainKeepsAConfiguredMirrorTheCrawlerDisabled() {
        catalogue.declareConfigured(List.of(mirror("alpha").build()));
        failCrawls("alpha", MirrorCrawler.DISABLE_AFTER_FAILURES);

        catalogue.declareConfigured(List.of(mirror("alpha").build()));

        assertThat(onlyStatus().mirror().enabled()).isFalse();
    }

    @Test
    void declaringAgainRemovesConfiguredMirrorsNoLongerDeclared() {
        catalogue.declareConfigured(List.of(mirror("alpha").build(), mirror("beta").build()));

        catalogue.declareConfigured(List.of(mirror("alpha").build()));

        assertThat(names()).containsExactly("alpha");
    }

    @Test
    void declaringKeepsMirrorsAddedFromTheCommandLine() {
        assertThat(catalogue.add(mirror("added").build())).isTrue();
        catalogue.declareConfigured(List.of(mirror("alpha").build()));

        catalogue.declareConfigured(List.of());

        assertThat(names()).containsExactly("added");
        assertThat(onlyStatus().mirror().fromConfig()).isFalse();
    }

    @Test
    void aConfiguredMirrorMayNotTakeTheNameOfOneAddedFromTheCommandLine() {
        Mirror added = mirror("shared").in("DE").build();
        catalogue.add(added);

        assertThatIllegalArgumentException()
                .isThrownBy(() -> catalogue.declareConfigured(
                        List.of(mirror("alpha").build(), mirror("shared").in("FR").build())))
                .withMessageContaining("mirror shared")
                .withMessageContaining("berth mirror add");

        assertThat(catalogue.statuses()).as("nothing of the refused declaration is kept")
                .extracting(MirrorStatus::mirror).containsExactly(added);
    }

    @Test
    void addingANameThatIsTakenIsRefused() {
        assertThat(catalogue.add(mirror("alpha").in("DE").build())).isTrue();

        assertThat(catalogue.add(mirror("alpha").in("FR").build())).isFalse();
        assertThat(onlyStatus().mirror().country()).contains("DE");
    }

    @Test
    void removeDeletesAMirrorAddedFromTheCommandLine() {
        catalogue.add(mirror("added").build());

        assertThat(catalogue.remove("added")).isEqualTo(Removal.REMOVED);
        assertThat(names()).isEmpty();
    }

    @Test
    void removeOfAnUnknownMirrorSaysNotFound() {
        assertThat(catalogue.remove("nobody")).isEqualTo(Removal.NOT_FOUND);
    }

    @Test
    void removeOfAConfiguredMirrorSaysItIsDeclaredInTheConfigurationAndKeepsIt() {
        catalogue.declareConfigured(List.of(mirror("alpha").build()));

        assertThat(catalogue.remove("alpha")).isEqualTo(Removal.DECLARED_IN_CONFIGURATION);
        assertThat(names()).containsExactly("alpha");
    }

    @Test
    void fourFailedCrawlsInARowDisableAMirror() {
        catalogue.add(mirror("flaky").build());
        inSession(session -> session.mirrors().recordCrawlSuccess("flaky", 2, clock.instant()));

        failCrawls("flaky", MirrorCrawler.DISABLE_AFTER_FAILURES - 1);
        MirrorStatus almost = onlyStatus();
        assertThat(almost.mirror().enabled()).isTrue();
        assertThat(almost.stale()).isTrue();
        assertThat(almost.consecutiveFailures()).isEqualTo(3);
        assertThat(almost.lastError()).contains("connection refused");

        failCrawls("flaky", 1);
        MirrorStatus disabled = onlyStatus();
        assertThat(disabled.mirror().enabled()).isFalse();
        assertThat(disabled.consecutiveFailures()).isEqualTo(4);
        assertThat(disabled.syncedGeneration()).as("what the last good crawl found").hasValue(2);
        assertThat(disabled.lastCrawlAt()).contains(clock.instant());
    }

    @Test
    void aGoodCrawlForgetsEarlierFailures() {
        catalogue.add(mirror("flaky").build());
        failCrawls("flaky", MirrorCrawler.DISABLE_AFTER_FAILURES - 1);

        inSession(session -> session.mirrors().recordCrawlSuccess("flaky", 1, clock.instant()));

        MirrorStatus status = onlyStatus();
        assertThat(status.consecutiveFailures()).isZero();
        assertThat(status.stale()).isFalse();
        assertThat(status.lastError()).isEmpty();
        assertThat(status.usable()).isTrue();
    }

    @Test
    void enablingAMirrorForgetsItsFailedCrawls() {
        catalogue.add(mirror("flaky").build());
        failCrawls("flaky", MirrorCrawler.DISABLE_AFTER_FAILURES);

        assertThat(catalogue.setEnabled("flaky", true)).isTrue();

        MirrorStatus status = onlyStatus();
        assertThat(status.mirror().enabled()).isTrue();
        assertThat(status.consecutiveFailures()).isZero();
        failCrawls("flaky", 1);
        assertThat(onlyStatus().mirror().enabled()).as("one failure after enabling is not four").isTrue();
    }

    @Test
    void disablingAMirrorKeepsItsCrawlState() {
        catalogue.add(mirror("steady").build());
        inSession(session -> session.mirrors().recordCrawlSuccess("steady", 3, clock.instant()));

        assertThat(catalogue.setEnabled("steady", false)).isTrue();

        MirrorStatus status = onlyStatus();
        assertThat(status.mirror().enabled()).isFalse();
        assertThat(status.syncedGeneration()).hasValue(3);
        assertThat(status.usable()).isFalse();
    }

    @Test
    void enablingOrDisablingAnUnknownMirrorSaysSo() {
        assertThat(catalogue.setEnabled("nobody", true)).isFalse();
        assertThat(catalogue.setEnabled("nobody", false)).isFalse();
    }

    @Test
    void aSnapshotHoldsTheStatusesThePublishedGenerationAndWhenItWasRead() {
        catalogue.add(mirror("campus").servingNetblocks("192.0.2.0/24").build());
        inSession(session -> session.mirrors().recordCrawlSuccess("campus", 1, clock.instant()));
        inSession(session -> {
            session.recordBlob(TestBlob.of("layer").digest(), 5);
            session.linkBlob(new RepositoryName("app"), TestBlob.of("layer").digest());
            session.mirrors().startMirrorGeneration(clock.instant(), repository -> true);
            session.mirrors().publishMirrorGeneration(1, clock.instant());
        });
        clock.advance(Duration.ofMinutes(5));

        MirrorSnapshot snapshot = catalogue.snapshot();

        assertThat(snapshot.statuses()).isEqualTo(catalogue.statuses());
        assertThat(snapshot.publishedGeneration()).isEqualTo(OptionalLong.of(1));
        assertThat(snapshot.readAt()).isEqualTo(clock.instant());
        ClientLocation onCampus = ClientLocation.unknown(TestMirrors.address("192.0.2.9"));
        assertThat(snapshot.selector().choose(onCampus, 1, new SplittableRandom(1))).map(Mirror::name).contains("campus");
    }

    private void failCrawls(String name, int times) {
        for (int failure = 0; failure < times; failure++) {
            clock.advance(Duration.ofMinutes(10));
            inSession(session -> session.mirrors().recordCrawlFailure(name, "connection refused", clock.instant(),
                    MirrorCrawler.DISABLE_AFTER_FAILURES));
        }
    }

    private void inSession(Consumer<MetadataSession> work) {
        metadata.inTransaction(session -> {
            work.accept(session);
            return null;
        });
    }

    private MirrorStatus onlyStatus() {
        assertThat(catalogue.statuses()).hasSize(1);
        return catalogue.statuses().getFirst();
    }

    private List<String> names() {
        return catalogue.statuses().stream().map(status -> status.mirror().name()).toList();
    }
}
