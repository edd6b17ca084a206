package io.berth.gc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.metadata.GcReview;
import io.berth.metadata.MetadataStore;
import io.berth.metadata.PromotionRecord;
import io.berth.metadata.ReviewKind;
import io.berth.oci.Digest;
import io.berth.oci.ErrorCode;
import io.berth.oci.MediaTypes;
import io.berth.oci.RegistryException;
import io.berth.oci.RepositoryGlob;
import io.berth.oci.RepositoryName;
import io.berth.oci.Tag;
import io.berth.oci.TagPattern;
import io.berth.registry.Registry;
import io.berth.storage.InMemoryBlobStore;
import io.berth.testing.ManifestJson;
import io.berth.testing.MutableClock;
import io.berth.testing.TestBlob;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What garbage collection removes, and above all what it keeps, over a real metadata store and the
 * registry's own push paths. Each metadata backend runs it ({@link GarbageCollectorSqliteTest},
 * {@link GarbageCollectorPostgresqlTest}).
 */
abstract class GarbageCollectorContract {
    static final Duration GRACE = Duration.ofHours(1);
    static final RepositoryName APP = RepositoryName.parse("candidate/app");
    static final RepositoryName OTHER = RepositoryName.parse("candidate/other");

    final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T00:00:00Z"));
    final InMemoryBlobStore store = new InMemoryBlobStore();
    MetadataStore metadata;
    Registry registry;

    protected abstract MetadataStore openStore(MutableClock clock);

    @BeforeEach
    void open() {
        metadata = openStore(clock);
        registry = Registry.create(metadata, store, clock, GRACE);
    }

    @AfterEach
    void close() {
        metadata.close();
    }

    GarbageCollector collector(GcPolicy policy) {
        return new GarbageCollector(metadata, store, clock, policy, () -> false);
    }

    GarbageCollector collector() {
        return collector(new GcPolicy(GRACE, Optional.empty(), List.of(), TagGuard.NONE, 1));
    }

    // --- pushing through the registry's own paths -------------------------------------------------

    TestBlob blob(RepositoryName repository, TestBlob blob) {
        registry.uploads().uploadWhole(repository, blob.digest(), OptionalLong.of(blob.size()),
                new ByteArrayInputStream(blob.content()));
        return blob;
    }

    TestBlob image(RepositoryName repository, String tag, TestBlob config, TestBlob... layers) {
        blob(repository, config);
        for (TestBlob layer : layers) {
            blob(repository, layer);
        }
        TestBlob manifest = ManifestJson.ociImage(config, layers).build();
        put(repository, tag, manifest, MediaTypes.OCI_MANIFEST);
        return manifest;
    }

    void put(RepositoryName repository, String tag, TestBlob manifest, String mediaType) {
        registry.manifests().put(repository, tag == null ? manifest.digest() : Tag.parse(tag), Optional.of(mediaType),
                manifest.content(), List.of());
    }

    boolean held(TestBlob blob) throws IOException {
        return store.size(blob.digest()).isPresent();
    }

    boolean recorded(TestBlob blob) {
        OptionalLong size = metadata.read(session -> session.blobSize(blob.digest()));
        return size.isPresent();
    }

    boolean linked(RepositoryName repository, TestBlob blob) {
        return metadata.read(session -> session.linkedBlob(repository, blob.digest())).isPresent();
    }

    boolean manifestThere(RepositoryName repository, TestBlob manifest) {
        return metadata.read(session -> session.manifestExists(repository, manifest.digest()));
    }

    static TestBlob content(String text) {
        return TestBlob.of(text);
    }

    // --- blobs and links ----------------------------------------------------------------------------

    @Test
    void aPassRemovesAuditEntriesPastTheirRetentionAndKeepsThemWithout() {
        java.util.function.Supplier<io.berth.metadata.AuditRecord> entry = () -> new io.berth.metadata.AuditRecord(clock.instant(),
                "push", Optional.of("alice"), Optional.empty(), Optional.of("candidate/app"), Optional.empty(), "{}");
        metadata.inTransaction(session -> session.audit().append(entry.get()));
        clock.advance(Duration.ofDays(40));
        metadata.inTransaction(session -> session.audit().append(entry.get()));
        java.util.function.IntSupplier kept = () -> metadata.read(session ->
                session.audit().list(io.berth.metadata.AuditFilter.newest(10))).size();

        collector().runPass();
        assertThat(kept.getAsInt()).as("no retention: kept for ever").isEqualTo(2);

        collector(new GcPolicy(GRACE, Optional.empty(), List.of(), TagGuard.NONE, 1, GcPolicy.DEFAULT_REMOVAL_MEMORY,
                Optional.of(Duration.ofDays(30)))).runPass();
        assertThat(kept.getAsInt()).as("the 40-day-old entry is gone").isEqualTo(1);
    }

    @Test
    void aDeletedImageFreesWhatOnlyItUsedOnceTheGraceHasPassedAndKeepsWhatOthersUse() throws IOException {
        TestBlob config = content("config one");
        TestBlob own = content("layer only the first image uses");
        TestBlob shared = content("a base layer both images use");
        TestBlob first = image(APP, "1", config, own, shared);
        TestBlob second = image(APP, "2", content("config two"), shared);

        registry.manifests().delete(APP, first.digest());
        clock.advance(GRACE.dividedBy(2));
        GcReport early = collector().runPass();

        assertThat(early.blobsRemoved()).as("nothing goes within the grace").isZero();
        assertThat(held(own)).isTrue();

        clock.advance(GRACE);
        GcReport report = collector().runPass();

        assertThat(report.linksRemoved()).isEqualTo(2);
        assertThat(report.blobsRemoved()).isEqualTo(2);
        assertThat(report.bytesReclaimed()).isEqualTo(config.size() + own.size());
        assertThat(held(own)).isFalse();
        assertThat(held(config)).isFalse();
        assertThat(linked(APP, own)).isFalse();
        assertThat(held(shared)).as("the second image's layer").isTrue();
        assertThat(linked(APP, shared)).isTrue();
        assertThat(manifestThere(APP, second)).isTrue();
        assertThat(collector().runPass().removedAnything()).as("a second pass finds nothing more").isFalse();
    }

    @Test
    void aPassBetweenSweepsReviewsWhatTheApiChangedAndTheNextSweepFindsTheRest() throws IOException {
        TestBlob keptConfig = content("config of the kept image");
        TestBlob kept = image(APP, "1", keptConfig, content("layer of the kept image"));
        TestBlob deletedLayer = content("layer of the deleted image");
        TestBlob deleted = image(APP, "2", content("config of the deleted image"), deletedLayer);
        TestBlob unused = blob(OTHER, content("pushed, never used by a manifest"));
        assertThat(collector().runPass().removedAnything()).as("the first pass sweeps; all is within the grace").isFalse();
        // Recorded around the API (as a restore or a bulk import could): no change note names it.
        TestBlob stray = content("recorded, linked nowhere");
        metadata.inTransaction(session -> {
            session.recordBlob(stray.digest(), stray.size());
            return null;
        });

        registry.manifests().delete(APP, deleted.digest());
        clock.advance(GRACE.plusMinutes(1));
        GcReport between = collector().runPass();

        assertThat(between.linksRemoved()).as("the deleted image's two links and the unused one").isEqualTo(3);
        assertThat(held(deletedLayer)).isFalse();
        assertThat(held(unused)).isFalse();
        assertThat(between.repositoriesRemoved()).as("candidate/other, empty now").isEqualTo(1);
        assertThat(recorded(stray)).as("no note, no sweep yet").isTrue();

        clock.advance(GarbageCollector.SWEEP_INTERVAL);
        GcReport sweep = collector().runPass();

        assertThat(sweep.blobsRemoved()).as("the sweep finds the stray record").isEqualTo(1);
        assertThat(recorded(stray)).isFalse();
        assertThat(manifestThere(APP, kept)).isTrue();
        assertThat(held(keptConfig)).isTrue();
    }

    @Test
    void aBlobLinkedInAnotherRepositoryKeepsItsBytesWhenOneRepositoryDropsIt() throws IOException {
        TestBlob layer = content("a layer two repositories hold");
        blob(APP, layer);
        image(OTHER, "1", content("other config"), layer);
        clock.advance(GRACE.multipliedBy(2));

        GcReport report = collector().runPass();

        assertThat(report.linksRemoved()).as("the link no manifest of candidate/app uses").isEqualTo(1);
        assertThat(linked(APP, layer)).isFalse();
        assertThat(linked(OTHER, layer)).isTrue();
        assertThat(held(layer)).isTrue();
        assertThat(report.blobsRemoved()).isZero();
    }

    @Test
    void readingALinkRestartsItsGraceSoAPushThatCheckedTheBlobCanStillUseIt() {
        TestBlob layer = content("uploaded long ago, checked just now");
        TestBlob config = content("config");
        blob(APP, layer);
        blob(APP, config);
        clock.advance(GRACE.multipliedBy(10));

        registry.blobs().stat(APP, layer.digest());
        registry.blobs().stat(APP, config.digest());
        clock.advance(GRACE.dividedBy(2));
        collector().runPass();

        put(APP, "1", ManifestJson.ociImage(config, layer).build(), MediaTypes.OCI_MANIFEST);
        assertThat(linked(APP, layer)).isTrue();
    }

    @Test
    void confirmingALinkThatWentMeanwhileSaysSo() {
        TestBlob layer = content("confirmed, then removed");
        blob(APP, layer);
        var linked = metadata.read(session -> session.linkedBlob(APP, layer.digest())).orElseThrow();

        assertThat(metadata.<Boolean>inTransaction(session -> session.gc().touchLink(linked.repositoryId(), layer.digest(), clock.instant()))).isTrue();
        metadata.inTransaction(session -> session.unlinkBlob(APP, layer.digest()));
        assertThat(metadata.<Boolean>inTransaction(session -> session.gc().touchLink(linked.repositoryId(), layer.digest(), clock.instant()))).isFalse();
    }

    @Test
    void aBlobRemovedAndPushedAgainIsServedAgain() throws IOException {
        TestBlob layer = content("removed, then pushed again");
        blob(APP, layer);
        clock.advance(GRACE.multipliedBy(2));
        assertThat(collector().runPass().blobsRemoved()).isEqualTo(1);
        assertThat(held(layer)).isFalse();

        blob(APP, layer);

        assertThat(held(layer)).isTrue();
        assertThat(registry.blobs().stat(APP, layer.digest()).size()).isEqualTo(layer.size());
        assertThat(metadata.<Optional<Instant>>read(session -> session.gc().blobRemovedAt(layer.digest()))).as("the removal is forgotten").isEmpty();
    }

    @Test
    void anUploadWaitsForARemovalOfTheSameDigestToFinish() throws Exception {
        TestBlob layer = content("pushed while garbage collection removes it");
        metadata.inTransaction(session -> {
            session.recordBlob(layer.digest(), layer.size());
            session.gc().beginBlobDeletion(layer.digest(), layer.size(), clock.instant());
            return null;
        });
        Thread remover = Thread.startVirtualThread(() -> {
            sleep(Duration.ofMillis(300));
            metadata.inTransaction(session -> {
                session.gc().finishBlobDeletion(layer.digest(), layer.size(), clock.instant());
                return null;
            });
        });

        blob(APP, layer);
        remover.join();

        assertThat(held(layer)).isTrue();
        assertThat(registry.blobs().stat(APP, layer.digest()).size()).isEqualTo(layer.size());
    }

    @Test
    void anUploadWhoseBytesARemovalTookIsRefusedAndTheNextPassLeavesNeitherRecordNorBytes() throws IOException {
        collector().runPass();
        TestBlob layer = content("bytes taken by a removal that never finishes");
        metadata.inTransaction(session -> {
            session.recordBlob(layer.digest(), layer.size());
            session.gc().beginBlobDeletion(layer.digest(), layer.size(), clock.instant());
            return null;
        });

        assertThatThrownBy(() -> blob(APP, layer))
                .isInstanceOfSatisfying(RegistryException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.BLOB_UPLOAD_UNKNOWN));
        assertThat(linked(APP, layer)).isFalse();

        clock.advance(GarbageCollector.UNFINISHED_AFTER.plusSeconds(1));
        collector().runPass();

        assertThat(recorded(layer)).as("the record the refused upload left, reviewed without a sweep").isFalse();
        assertThat(held(layer)).isFalse();
    }

    @Test
    void aRemovalAStoppedNodeLeftIsFinishedByTheNextPass() throws IOException {
        TestBlob layer = content("its removal was marked, then the node stopped");
        blob(APP, layer);
        metadata.inTransaction(session -> {
            session.unlinkBlob(APP, layer.digest());
            session.gc().beginBlobDeletion(layer.digest(), layer.size(), clock.instant());
            return null;
        });
        clock.advance(GarbageCollector.UNFINISHED_AFTER.plusSeconds(1));

        GcReport report = collector().runPass();

        assertThat(held(layer)).isFalse();
        assertThat(report.blobsRemoved()).isEqualTo(1);
        assertThat(metadata.<Boolean>read(session -> session.gc().blobDeletionPending(layer.digest()))).isFalse();
    }

    // --- manifests ------------------------------------------------------------------------------------

    @Test
    void untaggedManifestsStayUnlessThePolicyGivesThemAnAge() {
        TestBlob manifest = image(APP, null, content("pushed by digest"), content("its layer"));
        clock.advance(Duration.ofDays(365));

        collector().runPass();

        assertThat(manifestThere(APP, manifest)).isTrue();
    }

    @Test
    void untaggedManifestsGoAfterTheirAgeExceptChildrenOfKeptIndexesAndKeptReferrersSubjects() throws IOException {
        TestBlob loneLayer = content("layer of a lone untagged image");
        TestBlob lone = image(APP, null, content("lone config"), loneLayer);
        TestBlob child = image(APP, null, content("child config"), content("child layer"));
        TestBlob index = ManifestJson.index(MediaTypes.OCI_INDEX, MediaTypes.OCI_MANIFEST, child).build();
        put(APP, "multi", index, MediaTypes.OCI_INDEX);
        TestBlob subject = image(APP, null, content("signed config"), content("signed layer"));
        TestBlob emptyConfig = blob(APP, content("{}"));
        TestBlob signature = ManifestJson.ociImage(emptyConfig).subject(subject, MediaTypes.OCI_MANIFEST)
                .artifactType("application/vnd.example.signature").build();
        put(APP, "signature", signature, MediaTypes.OCI_MANIFEST);
        TestBlob young = image(APP, null, content("young config"), content("young layer"));
        GcPolicy policy = new GcPolicy(GRACE, Optional.of(Duration.ofDays(7)), List.of(), TagGuard.NONE, 1);
        clock.advance(Duration.ofDays(8));
        image(APP, null, content("too young config"), content("too young layer"));
        TestBlob tooYoung = ManifestJson.ociImage(content("too young config"), content("too young layer")).build();

        GcReport report = collector(policy).runPass();

        assertThat(manifestThere(APP, lone)).isFalse();
        assertThat(manifestThere(APP, young)).as("untagged, eight days old").isFalse();
        assertThat(manifestThere(APP, child)).as("child of a tagged index").isTrue();
        assertThat(manifestThere(APP, subject)).as("subject of a tagged referrer").isTrue();
        assertThat(manifestThere(APP, tooYoung)).as("younger than seven days").isTrue();
        assertThat(report.manifestsRemoved()).isEqualTo(2);
        assertThat(held(loneLayer)).as("its link was last confirmed eight days ago: it goes in the same pass").isFalse();
    }

    @Test
    void anUntaggedManifestPushedAgainCountsItsAgeFromThatPush() {
        TestBlob config = content("child config");
        TestBlob layer = content("child layer");
        TestBlob child = image(APP, null, config, layer);
        clock.advance(Duration.ofDays(30));
        put(APP, null, child, MediaTypes.OCI_MANIFEST);
        GcPolicy policy = new GcPolicy(GRACE, Optional.of(Duration.ofDays(7)), List.of(), TagGuard.NONE, 1);

        collector(policy).runPass();

        assertThat(manifestThere(APP, child)).as("pushed again just now, e.g. before the index that lists it").isTrue();
        clock.advance(Duration.ofDays(8));
        collector(policy).runPass();
        assertThat(manifestThere(APP, child)).isFalse();
    }

    @Test
    void promotedManifestsStayUntaggedOrNot() {
        TestBlob promoted = image(APP, null, content("promoted config"), content("promoted layer"));
        metadata.inTransaction(session -> {
            session.promotions().recordPromotion(new PromotionRecord(clock.instant(), "release", APP.value(), promoted.digest().toString(),
                    Optional.of(promoted.digest()), "fedora/app", List.of("41"), Map.of("41", Optional.empty()), List.of(),
                    PromotionRecord.Outcome.PROMOTED));
            return null;
        });
        clock.advance(Duration.ofDays(30));

        collector(new GcPolicy(GRACE, Optional.of(Duration.ofDays(1)), List.of(), TagGuard.NONE, 1)).runPass();

        assertThat(manifestThere(APP, promoted)).isTrue();
    }

    // --- retention --------------------------------------------------------------------------------------

    @Test
    void retentionRemovesOldTagsBeyondTheNewestAndKeepsMatchingGuardedAndPromotedOnes() throws IOException {
        TestBlob oldLayer = content("layer of build 1");
        TestBlob build1 = image(APP, "build-1", content("c1"), oldLayer);
        clock.advance(Duration.ofDays(1));
        TestBlob build2 = image(APP, "build-2", content("c2"), content("l2"));
        clock.advance(Duration.ofDays(1));
        TestBlob release = image(APP, "release-1", content("c3"), content("l3"));
        clock.advance(Duration.ofDays(1));
        TestBlob guarded = image(APP, "stable", content("c4"), content("l4"));
        clock.advance(Duration.ofDays(1));
        TestBlob build5 = image(APP, "build-5", content("c5"), content("l5"));
        clock.advance(Duration.ofDays(1));
        TestBlob build6 = image(APP, "build-6", content("c6"), content("l6"));
        clock.advance(Duration.ofDays(40));
        TestBlob fresh = image(APP, "build-7", content("c7"), content("l7"));
        RetentionRule rule = new RetentionRule(new RepositoryGlob("candidate/**"), Duration.ofDays(30), 2,
                List.of(new TagPattern("release-*")));
        TagGuard stable = (repository, tag) -> tag.equals("stable");
        GarbageCollector collector = collector(new GcPolicy(GRACE, Optional.empty(), List.of(rule), stable, 1));

        GcReport report = collector.runPass();

        assertThat(report.tagsRemoved()).isEqualTo(3);
        assertThat(manifestThere(APP, build1)).isFalse();
        assertThat(manifestThere(APP, build2)).isFalse();
        assertThat(manifestThere(APP, build5)).isFalse();
        assertThat(manifestThere(APP, release)).as("keep-tags").isTrue();
        assertThat(manifestThere(APP, guarded)).as("a guarded tag").isTrue();
        assertThat(manifestThere(APP, build6)).as("among the newest two").isTrue();
        assertThat(manifestThere(APP, fresh)).as("newer than thirty days").isTrue();
        clock.advance(GRACE.plusMinutes(1));
        collector.runPass();
        assertThat(held(oldLayer)).isFalse();
    }

    @Test
    void aDryRunListsWhatThePassThenRemovesAndChangesNothing() throws IOException {
        TestBlob shared = content("base layer shared by old and new builds");
        TestBlob oldLayer = content("old build's own layer");
        TestBlob old = image(APP, "build-1", content("old config"), shared, oldLayer);
        TestBlob stray = blob(OTHER, content("uploaded, never used"));
        clock.advance(Duration.ofDays(40));
        image(APP, "build-2", content("new config"), shared);
        RetentionRule rule = new RetentionRule(new RepositoryGlob("candidate/**"), Duration.ofDays(30), 1, List.of());
        GcPolicy policy = new GcPolicy(GRACE, Optional.empty(), List.of(rule), TagGuard.NONE, 1);

        GcPlan plan = new GcPlanner(metadata, clock, policy).plan();

        assertThat(plan.tags()).containsExactly("candidate/app:build-1");
        assertThat(plan.manifests()).containsExactly("candidate/app@" + old.digest());
        assertThat(plan.blobs()).extracting(GcPlan.PlannedBlob::digest).containsExactlyInAnyOrder(
                oldLayer.digest().toString(), stray.digest().toString(), content("old config").digest().toString());
        assertThat(manifestThere(APP, old)).as("a dry run changes nothing").isTrue();

        GcReport report = collector(policy).runPass();

        assertThat(report.blobsRemoved()).isEqualTo(plan.blobs().size());
        assertThat(report.bytesReclaimed()).isEqualTo(plan.bytes());
        assertThat(held(shared)).isTrue();
    }

    @Test
    void retentionAppliesOnlyToMatchingRepositories() {
        TestBlob kept = image(RepositoryName.parse("fedora/app"), "old", content("stable config"), content("stable layer"));
        clock.advance(Duration.ofDays(100));
        RetentionRule rule = new RetentionRule(new RepositoryGlob("candidate/**"), Duration.ofDays(30), 0, List.of());

        collector(new GcPolicy(GRACE, Optional.empty(), List.of(rule), TagGuard.NONE, 1)).runPass();

        assertThat(manifestThere(RepositoryName.parse("fedora/app"), kept)).isTrue();
    }

    // --- repositories -------------------------------------------------------------------------------

    @Test
    void anEmptiedRepositoryIsRemovedAndCanBePushedToAgain() {
        TestBlob image = image(APP, "1", content("config"), content("layer"));
        registry.manifests().delete(APP, image.digest());
        clock.advance(GRACE.multipliedBy(2));

        GcReport report = collector().runPass();

        assertThat(report.repositoriesRemoved()).isEqualTo(1);
        assertThat(metadata.<Boolean>read(session -> session.repositoryExists(APP))).isFalse();
        TestBlob again = image(APP, "1", content("config"), content("layer"));
        assertThat(manifestThere(APP, again)).isTrue();
    }

    @Test
    void aReadOnlyRegistryIsLeftAlone() throws IOException {
        TestBlob layer = content("unreferenced, but the registry is read-only");
        blob(APP, layer);
        clock.advance(GRACE.multipliedBy(2));

        GcReport report = new GarbageCollector(metadata, store, clock, GcPolicy.defaults(), () -> true).runPass();

        assertThat(report.skipped()).contains("read-only");
        assertThat(held(layer)).isTrue();
    }

    @Test
    void aStaleReviewOfSomethingGoneIsDropped() {
        metadata.inTransaction(session -> {
            session.gc().queue(new GcReview(ReviewKind.LINK, 999, content("nothing").digest().toString()), clock.instant());
            session.gc().queue(new GcReview(ReviewKind.MANIFEST, 999, content("nothing").digest().toString()), clock.instant());
            session.gc().queue(new GcReview(ReviewKind.BLOB, 0, content("nothing").digest().toString()), clock.instant());
            session.gc().queue(new GcReview(ReviewKind.REPOSITORY, 999, ""), clock.instant());
            return null;
        });

        GcReport report = collector().runPass();

        assertThat(report.removedAnything()).isFalse();
        assertThat(report.reviewsQueued()).isZero();
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static Digest digestOf(TestBlob blob) {
        return blob.digest();
    }
}
