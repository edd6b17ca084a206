package io.berth.promotion;

import io.berth.metadata.ManifestRecord;
import io.berth.metadata.PromotionRecord.GateOutcome;
import io.berth.metadata.StoredManifest;
import io.berth.oci.Digest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a promotion would do, decided and not yet done.
 *
 * @param manifests every manifest to link, children before their parents, subjects before their referrers
 * @param blobs     every blob to link, with its size
 * @param previous  each target tag with the digest it points at now, if any
 * @param gates     the verdicts of the target's gate rules ({@link Gate}), which an emergency override may pass
 * @param guards    the verdicts no override passes: tag protection and the target's quotas
 */
public record PromotionPlan(Digest digest, StoredManifest root, List<ManifestRecord> manifests, Map<Digest, Long> blobs,
                            Map<String, Optional<Digest>> previous, List<GateOutcome> gates, List<GateOutcome> guards) {

    public PromotionPlan {
        manifests = List.copyOf(manifests);
        blobs = Map.copyOf(blobs);
        gates = List.copyOf(gates);
        guards = List.copyOf(guards);
    }

    /**
     * Whether the promotion may not happen: a guard failed, or a gate rule failed and no emergency
     * override was asked for.
     */
    public boolean refused(Optional<OverrideReason> override) {
        return guards.stream().anyMatch(verdict -> !verdict.passed())
                || (override.isEmpty() && gates.stream().anyMatch(verdict -> !verdict.passed()));
    }

    /** Every verdict, as the audit trail keeps them: the gate rules', then the guards'. */
    public List<GateOutcome> verdicts() {
        List<GateOutcome> verdicts = new ArrayList<>(gates);
        verdicts.addAll(guards);
        return List.copyOf(verdicts);
    }

    /** This plan with one more guard's verdict. */
    PromotionPlan withGuard(GateOutcome guard) {
        List<GateOutcome> judged = new ArrayList<>(guards);
        judged.add(guard);
        return new PromotionPlan(digest, root, manifests, blobs, previous, gates, judged);
    }
}
