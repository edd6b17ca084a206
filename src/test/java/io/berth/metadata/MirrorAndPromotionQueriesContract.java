package io.berth.metadata;

import static io.berth.metadata.MetadataStoreContract.digest;
import static io.berth.metadata.MetadataStoreContract.name;
import static org.assertj.core.api.Assertions.assertThat;

import io.berth.oci.Digest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * The mirror and promotion part of the metadata contract: mirror generations, the mirror catalogue
 * with its crawl state and lease, and the promotion audit trail. {@link MetadataStoreContract} runs
 * it on every backend.
 */
interface MirrorAndPromotionQueriesContract extends MetadataContractFixture {

    // --- mirrors --------------------------------------------------------------------------------

    @Test
    default void aMirrorGenerationTakesEveryUnexportedBlobOnceAndIsPublishedLater() {
        Digest first = recordedBlob("first", 5);
        Digest second = recordedBlob("second", 6);
        metadata().linkBlob(name("app"), first);
        metadata().linkBlob(name("app"), second);

        assertThat(metadata().mirrors().startMirrorGeneration(clock().instant(), repository -> true)).hasValue(1);
        assertThat(metadata().mirrors().startMirrorGeneration(clock().instant(), repository -> true)).as("nothing new").isEmpty();
        Digest third = recordedBlob("third", 7);
        metadata().linkBlob(name("other"), third);
        assertThat(metadata().mirrors().startMirrorGeneration(clock().instant(), name("other")::equals)).hasValue(2);

        assertThat(metadata().mirrors().blobsOfGeneration(1, Optional.empty(), 10)).extracting(GenerationBlob::digest)
                .containsExactly(sorted(first, second));
        assertThat(metadata().mirrors().generationTotals(1)).isEqualTo(new GenerationTotals(2, 11));
        assertThat(metadata().mirrors().sampleGenerationBlobs(2, 2, 5)).extracting(GenerationBlob::digest).containsExactly(third);
        assertThat(metadata().mirrors().mirrorGenerations()).containsExactly(1L, 2L);
        assertThat(metadata().mirrors().latestPublishedMirrorGeneration()).isEmpty();
        metadata().mirrors().publishMirrorGeneration(1, clock().instant());
        assertThat(metadata().mirrors().latestPublishedMirrorGeneration()).hasValue(1);
        metadata().linkBlob(name("app"), third);
        assertThat(metadata().linkedBlob(name("app"), third).orElseThrow().mirrorGeneration()).hasValue(2);
    }

    @Test
    default void aMirrorGenerationTakesOnlyBlobsTheGivenRepositoriesLink() {
        Digest released = recordedBlob("released layer", 5);
        Digest candidate = recordedBlob("candidate layer", 6);
        Digest shared = recordedBlob("shared layer", 7);
        recordedBlob("no repository links this", 8);
        metadata().linkBlob(name("fedora/app"), released);
        metadata().linkBlob(name("fedora/app"), shared);
        metadata().linkBlob(name("candidate/app"), candidate);
        metadata().linkBlob(name("candidate/app"), shared);

        assertThat(metadata().mirrors().startMirrorGeneration(clock().instant(), repository -> false)).as("no repository in scope").isEmpty();
        assertThat(metadata().mirrors().mirrorGenerations()).isEmpty();
        assertThat(metadata().mirrors().startMirrorGeneration(clock().instant(), name("fedora/app")::equals)).hasValue(1);

        assertThat(metadata().mirrors().blobsOfGeneration(1, Optional.empty(), 10)).extracting(GenerationBlob::digest)
                .containsExactly(sorted(released, shared));
        assertThat(metadata().linkedBlob(name("candidate/app"), candidate).orElseThrow().mirrorGeneration()).isEmpty();
        assertThat(metadata().mirrors().startMirrorGeneration(clock().instant(), name("fedora/app")::equals))
                .as("the candidate's own layer stays out").isEmpty();
        assertThat(metadata().mirrors().startMirrorGeneration(clock().instant(), name("candidate/app")::equals)).hasValue(2);
        assertThat(metadata().mirrors().blobsOfGeneration(2, Optional.empty(), 10)).extracting(GenerationBlob::digest)
                .containsExactly(candidate);
        assertThat(metadata().mirrors().mirrorGenerations()).containsExactly(1L, 2L);
    }

    @Test
    default void aGenerationIsStartedAndReadInPagesOfDigestOrder() {
        List<Digest> digests = new ArrayList<>();
        for (int i = 0; i < 1_234; i++) {
            Digest blob = recordedBlob("blob " + i, i);
            digests.add(blob);
            metadata().linkBlob(name(i % 2 == 0 ? "even/app" : "odd/app"), blob);
        }
        assertThat(metadata().mirrors().startMirrorGeneration(clock().instant(), name("odd/app")::equals)).hasValue(1);

        List<Digest> odd = new ArrayList<>();
        Optional<Digest> after = Optional.empty();
        for (List<GenerationBlob> page; !(page = metadata().mirrors().blobsOfGeneration(1, after, 100)).isEmpty(); ) {
            page.forEach(blob -> odd.add(blob.digest()));
            after = Optional.of(page.getLast().digest());
        }
        List<Digest> expected = new ArrayList<>();
        for (int i = 1; i < digests.size(); i += 2) {
            expected.add(digests.get(i));
        }
        assertThat(odd).containsExactly(sorted(expected.toArray(Digest[]::new)));
        assertThat(metadata().mirrors().generationTotals(1).blobs()).isEqualTo(617);
        assertThat(metadata().mirrors().startMirrorGeneration(clock().instant(), repository -> true)).hasValue(2);
        assertThat(metadata().mirrors().generationTotals(2).blobs()).isEqualTo(617);
    }

    private static Digest[] sorted(Digest... digests) {
        return java.util.Arrays.stream(digests).sorted(java.util.Comparator.comparing(Digest::toString)).toArray(Digest[]::new);
    }

    @Test
    default void mirrorsKeepTheirDeclarationAndCrawlState() {
        MirrorRecord mirror = new MirrorRecord("near", "https://near.example/", Optional.of("DE"), Optional.of("EU"),
                List.of("192.0.2.0/24", "2001:db8::/32"), List.of(64500L), 1000, true, List.of("DE", "AT"), true, false);
        assertThat(metadata().mirrors().addMirror(mirror)).isTrue();
        assertThat(metadata().mirrors().addMirror(mirror)).isFalse();

        metadata().mirrors().recordCrawlSuccess("near", 3, clock().instant());
        StoredMirror stored = metadata().mirrors().listMirrors().getFirst();
        assertThat(stored.mirror()).isEqualTo(mirror);
        assertThat(stored.crawl().syncedGeneration()).hasValue(3);
        assertThat(stored.crawl().stale()).isFalse();

        for (int i = 0; i < 4; i++) {
            metadata().mirrors().recordCrawlFailure("near", "down", clock().instant(), 4);
        }
        stored = metadata().mirrors().listMirrors().getFirst();
        assertThat(stored.crawl().stale()).isTrue();
        assertThat(stored.crawl().consecutiveFailures()).isEqualTo(4);
        assertThat(stored.mirror().enabled()).isFalse();
        assertThat(metadata().mirrors().setMirrorEnabled("near", true)).isTrue();
        assertThat(metadata().mirrors().listMirrors().getFirst().crawl().consecutiveFailures()).isZero();
        assertThat(metadata().mirrors().removeMirror("near")).isTrue();
        assertThat(metadata().mirrors().listMirrors()).isEmpty();
    }

    @Test
    default void theCrawlLeaseHasOneHolderUntilItExpires() {
        Instant now = clock().instant();
        assertThat(metadata().mirrors().takeCrawlLease("node-a", now, now.plusSeconds(540))).isTrue();
        assertThat(metadata().mirrors().takeCrawlLease("node-b", now.plusSeconds(60), now.plusSeconds(600))).isFalse();
        assertThat(metadata().mirrors().takeCrawlLease("node-a", now.plusSeconds(600), now.plusSeconds(1140))).as("renewed").isTrue();
        assertThat(metadata().mirrors().takeCrawlLease("node-b", now.plusSeconds(1140), now.plusSeconds(1680))).as("expired").isTrue();
        assertThat(metadata().mirrors().takeCrawlLease("node-a", now.plusSeconds(1200), now.plusSeconds(1740))).isFalse();
    }

    // --- promotions -----------------------------------------------------------------------------

    @Test
    default void promotionsAreListedNewestFirstAndFiltered() {
        Digest one = digest("one");
        PromotionRecord first = promotion("candidate/app", one, "app", PromotionRecord.Outcome.PROMOTED);
        PromotionRecord refused = promotion("candidate/app", digest("two"), "app", PromotionRecord.Outcome.REFUSED);
        PromotionRecord elsewhere = promotion("candidate/tool", digest("three"), "tool", PromotionRecord.Outcome.UNCHANGED);
        long firstId = metadata().promotions().recordPromotion(first);
        long refusedId = metadata().promotions().recordPromotion(refused);
        metadata().promotions().recordPromotion(elsewhere);

        assertThat(metadata().promotions().listPromotions(PromotionFilter.newest(10))).extracting(StoredPromotion::promotion)
                .containsExactly(elsewhere, refused, first);
        assertThat(metadata().promotions().listPromotions(new PromotionFilter(Optional.of("app"), Optional.empty(), Optional.empty(),
                java.util.OptionalLong.empty(), 10))).extracting(StoredPromotion::id).containsExactly(refusedId, firstId);
        assertThat(metadata().promotions().listPromotions(new PromotionFilter(Optional.empty(), Optional.of("candidate/app"), Optional.of(one),
                java.util.OptionalLong.empty(), 10))).extracting(StoredPromotion::promotion).containsExactly(first);
        assertThat(metadata().promotions().listPromotions(new PromotionFilter(Optional.empty(), Optional.empty(), Optional.empty(),
                java.util.OptionalLong.of(refusedId), 10))).extracting(StoredPromotion::id).containsExactly(firstId);
    }

    @Test
    default void anEmergencyOverrideKeepsItsReasonAndMarksAPromotionPastFailingGates() {
        String reason = "CVE-2026-0001 fix, built minutes ago: cannot wait a day — ünïcode kept";
        PromotionRecord overridden = withOverride(promotion("candidate/app", digest("one"), "app",
                PromotionRecord.Outcome.PROMOTED, false), reason);
        PromotionRecord needless = withOverride(promotion("candidate/app", digest("two"), "app",
                PromotionRecord.Outcome.PROMOTED, true), "just in case");
        PromotionRecord plain = promotion("candidate/app", digest("three"), "app", PromotionRecord.Outcome.PROMOTED, true);
        long overriddenId = metadata().promotions().recordPromotion(overridden);
        metadata().promotions().recordPromotion(needless);
        metadata().promotions().recordPromotion(plain);

        List<StoredPromotion> listed = metadata().promotions().listPromotions(PromotionFilter.newest(10));

        assertThat(listed).extracting(StoredPromotion::promotion).containsExactly(plain, needless, overridden);
        StoredPromotion stored = listed.getLast();
        assertThat(stored.id()).isEqualTo(overriddenId);
        assertThat(stored.promotion().overrideReason()).hasValue(reason);
        assertThat(stored.promotion().overridden()).as("promoted although a gate failed").isTrue();
        assertThat(listed.get(1).promotion().overrideReason()).hasValue("just in case");
        assertThat(listed.get(1).promotion().overridden()).as("every gate passed").isFalse();
        assertThat(listed.getFirst().promotion().overrideReason()).isEmpty();
        assertThat(listed.getFirst().promotion().overridden()).isFalse();
    }

    private static PromotionRecord withOverride(PromotionRecord promotion, String reason) {
        return new PromotionRecord(promotion.at(), promotion.actor(), promotion.sourceRepository(),
                promotion.sourceReference(), promotion.sourceDigest(), promotion.targetRepository(), promotion.tags(),
                promotion.previous(), promotion.gates(), promotion.outcome(), Optional.of(reason));
    }

    private PromotionRecord promotion(String source, Digest digest, String target, PromotionRecord.Outcome outcome) {
        return promotion(source, digest, target, outcome, outcome != PromotionRecord.Outcome.REFUSED);
    }

    private PromotionRecord promotion(String source, Digest digest, String target, PromotionRecord.Outcome outcome,
                                      boolean gatePassed) {
        Map<String, Optional<Digest>> previous = new java.util.LinkedHashMap<>();
        previous.put("1.0", Optional.empty());
        previous.put("latest", Optional.of(digest("older")));
        return new PromotionRecord(clock().instant(), "releng", source, "1.0", Optional.of(digest), target,
                List.of("1.0", "latest"), previous,
                List.of(new PromotionRecord.GateOutcome("immutable tags", gatePassed, "a reason")),
                outcome);
    }
}
