package io.berth.promotion;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.metadata.PromotionRecord.GateOutcome;
import io.berth.metadata.StoredManifest;
import io.berth.oci.Digest;
import io.berth.oci.DigestAlgorithm;
import io.berth.oci.MediaTypes;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What refuses a plan: a failing gate rule unless an emergency override is asked for, a failing
 * guard (tag protection, a quota) always; and the audit trail gets every verdict either way.
 */
class PromotionPlanTest {
    private static final Optional<OverrideReason> OVERRIDE = Optional.of(OverrideReason.of("security fix, built minutes ago"));
    private static final GateOutcome YOUNG = new GateOutcome("minimum age 86400 s", false, "pushed only 60 s ago");
    private static final GateOutcome SIGNED = new GateOutcome("signature", true, "by release.pub");
    private static final GateOutcome FITS = new GateOutcome("quota", true, "fits");
    private static final GateOutcome PROTECTED = new GateOutcome("tag protection", false, "app:stable is protected");

    @Test
    void anOverridePassesFailingGateRulesOnly() {
        PromotionPlan youngCandidate = plan(List.of(YOUNG, SIGNED)).withGuard(FITS);

        assertThat(youngCandidate.refused(Optional.empty())).isTrue();
        assertThat(youngCandidate.refused(OVERRIDE)).isFalse();
        assertThat(youngCandidate.withGuard(PROTECTED).refused(OVERRIDE)).as("a guard is never overridden").isTrue();
        assertThat(plan(List.of(SIGNED)).withGuard(PROTECTED).refused(OVERRIDE)).isTrue();
        assertThat(plan(List.of(SIGNED)).withGuard(FITS).refused(Optional.empty())).isFalse();
    }

    @Test
    void everyVerdictIsKeptGateRulesFirst() {
        assertThat(plan(List.of(YOUNG, SIGNED)).withGuard(PROTECTED).withGuard(FITS).verdicts())
                .containsExactly(YOUNG, SIGNED, PROTECTED, FITS);
    }

    private static PromotionPlan plan(List<GateOutcome> gates) {
        byte[] content = "{}".getBytes(StandardCharsets.UTF_8);
        Digest digest = Digest.of(DigestAlgorithm.SHA256, content);
        StoredManifest root = new StoredManifest(digest, MediaTypes.OCI_MANIFEST, content);
        return new PromotionPlan(digest, root, List.of(), Map.of(), Map.of(), gates, List.of());
    }
}
