package io.berth.metadata;

import io.berth.oci.Digest;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One promotion attempt, as the audit trail keeps it.
 *
 * @param at               when it was decided
 * @param actor            who asked: a user, {@code robot$NAME}, or the command line's operator
 * @param sourceReference  the tag or digest the caller named in the source repository
 * @param sourceDigest     what that resolved to; empty when it resolved to nothing
 * @param tags             the target tags asked for
 * @param previous         for each target tag, the digest it pointed at before, or empty when it was new
 * @param gates            every gate checked, with its verdict
 * @param overrideReason   the reason of the emergency override the actor asked for, if any: failing gate
 *                         rules did not refuse the attempt ({@link #overridden()} says whether any failed)
 */
public record PromotionRecord(Instant at, String actor, String sourceRepository, String sourceReference,
                              Optional<Digest> sourceDigest, String targetRepository, List<String> tags,
                              Map<String, Optional<Digest>> previous, List<GateOutcome> gates, Outcome outcome,
                              Optional<String> overrideReason) {

    /** How a promotion ended. */
    public enum Outcome {
        /** Linked and tagged. */
        PROMOTED,
        /** Everything was in place already: nothing changed. */
        UNCHANGED,
        /** A gate or a rule refused it: nothing changed. */
        REFUSED
    }

    /** One gate's verdict. */
    public record GateOutcome(String gate, boolean passed, String reason) {
    }

    public PromotionRecord {
        Objects.requireNonNull(at);
        Objects.requireNonNull(actor);
        Objects.requireNonNull(sourceDigest);
        tags = List.copyOf(tags);
        previous = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(previous));
        gates = List.copyOf(gates);
        Objects.requireNonNull(outcome);
        Objects.requireNonNull(overrideReason);
    }

    /** An attempt without an emergency override. */
    public PromotionRecord(Instant at, String actor, String sourceRepository, String sourceReference,
                           Optional<Digest> sourceDigest, String targetRepository, List<String> tags,
                           Map<String, Optional<Digest>> previous, List<GateOutcome> gates, Outcome outcome) {
        this(at, actor, sourceRepository, sourceReference, sourceDigest, targetRepository, tags, previous, gates, outcome,
                Optional.empty());
    }

    /**
     * Whether an emergency override let this attempt happen although gates failed: it was not
     * refused, an override was asked for, and some verdict is a failure. Derived from the record,
     * so that no stored flag can disagree with the verdicts.
     */
    public boolean overridden() {
        return outcome != Outcome.REFUSED && overrideReason.isPresent() && !failedGates().isEmpty();
    }

    /** The verdicts that failed. */
    public List<GateOutcome> failedGates() {
        return gates.stream().filter(gate -> !gate.passed()).toList();
    }
}
