package io.berth.promotion;

import io.berth.events.EventData;
import io.berth.events.EventRecorder;
import io.berth.metadata.MetadataSession;
import io.berth.metadata.MetadataStore;
import io.berth.metadata.PromotionRecord;
import io.berth.metadata.PromotionRecord.GateOutcome;
import io.berth.metadata.PromotionRecord.Outcome;
import io.berth.metadata.StoredPromotion;
import io.berth.oci.Digest;
import io.berth.oci.Tag;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The promotion audit trail as promotion writes it: every attempt, granted or refused, becomes one
 * {@link PromotionRecord}; every attempt that asked for an emergency override is also a warning on
 * the logger {@value #LOGGER}, once its record is committed.
 */
final class PromotionAudit {
    /** The logger of promotion refusals and overrides, which operators route to their audit log. */
    static final String LOGGER = "io.berth.audit.promotion";
    private static final Logger AUDIT = LoggerFactory.getLogger(LOGGER);

    private final MetadataStore metadata;
    private final EventRecorder events;

    /** @param events records each appended attempt as a {@code promotion.granted} or {@code promotion.refused} event */
    PromotionAudit(MetadataStore metadata, EventRecorder events) {
        this.metadata = metadata;
        this.events = events;
    }

    /** The audit record of an attempt on {@code request} into {@code target}, with the request's override reason. */
    static PromotionRecord record(PromotionRequest request, Instant now, Optional<Digest> digest, String target,
                                  Map<String, Optional<Digest>> previous, List<GateOutcome> gates, Outcome outcome) {
        return new PromotionRecord(now, request.actor(), request.source().value(), request.sourceReference().toString(),
                digest, target, request.tags().stream().map(Tag::value).toList(), previous, gates, outcome,
                request.override().map(OverrideReason::text));
    }

    /** Appends {@code record} in a transaction of its own, then {@linkplain #logged logs} it. */
    StoredPromotion append(PromotionRequest request, PromotionRecord record) {
        return logged(metadata.inTransaction(session -> append(session, request, record)));
    }

    /**
     * Appends {@code record} and its event in the caller's transaction; log it with {@link #logged}
     * once that commits.
     */
    StoredPromotion append(MetadataSession session, PromotionRequest request, PromotionRecord record) {
        StoredPromotion stored = new StoredPromotion(session.promotions().recordPromotion(record), record);
        events.record(session, request.origin(), event(stored));
        return stored;
    }

    /** The event of an audited attempt: its outcome, and the gates that failed. */
    static EventData.PromotionDecided event(StoredPromotion stored) {
        PromotionRecord promotion = stored.promotion();
        Map<String, String> failed = new java.util.TreeMap<>();
        promotion.failedGates().forEach(gate -> failed.merge(gate.gate(), gate.reason(), (first, next) -> first + "; " + next));
        return new EventData.PromotionDecided(stored.id(), promotion.sourceRepository(), promotion.sourceReference(),
                promotion.sourceDigest(), promotion.targetRepository(), promotion.tags(), promotion.previous(),
                promotion.outcome().name().toLowerCase(Locale.ROOT), failed, promotion.overridden(),
                promotion.overrideReason());
    }

    /** Appends a refused attempt and returns the exception that reports it, with every failed verdict's reason. */
    PromotionRefused refuse(PromotionRequest request, PromotionRecord record) {
        StoredPromotion stored = append(request, record);
        String reasons = String.join("; ", record.failedGates().stream().map(GateOutcome::reason).toList());
        return new PromotionRefused(stored, "promotion refused: " + reasons);
    }

    /**
     * Logs a committed attempt that asked for an emergency override, at WARN: who, the outcome, the
     * source digest (or the reference, when it was not resolved), the target tags, the gates that
     * failed with their reasons, and the override's reason. The reason holds no control character
     * ({@link OverrideReason}), so it cannot forge log lines.
     */
    static StoredPromotion logged(StoredPromotion stored) {
        PromotionRecord promotion = stored.promotion();
        if (promotion.overrideReason().isEmpty()) {
            return stored;
        }
        List<String> failed = promotion.failedGates().stream().map(gate -> gate.gate() + " (" + gate.reason() + ")").toList();
        AUDIT.warn("promotion #{} {} with an emergency override by {}{}: {}@{} -> {}:{}; failing gates: {}; reason: {}",
                stored.id(), promotion.outcome().name().toLowerCase(Locale.ROOT), promotion.actor(),
                promotion.overridden() ? ", past failing gates" : "",
                promotion.sourceRepository(), promotion.sourceDigest().map(Digest::toString).orElse(promotion.sourceReference()),
                promotion.targetRepository(), String.join(",", promotion.tags()),
                failed.isEmpty() ? "none" : String.join("; ", failed), promotion.overrideReason().get());
        return stored;
    }
}
