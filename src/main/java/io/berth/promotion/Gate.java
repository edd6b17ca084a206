package io.berth.promotion;

import io.berth.metadata.PromotionRecord.GateOutcome;

/**
 * One condition a promotion must meet, checked against everything known about the candidate. A
 * gate never throws for a candidate that fails it: it says why in its outcome.
 */
public sealed interface Gate permits Gates.RequiredAnnotation, Gates.RequiredLabel, Gates.RequiredReferrer,
        Gates.MinimumAge, Gates.SourceTagPattern, Gates.ImmutableTags, RequiredSignature, RequiredAttestation {

    GateOutcome check(PromotionCandidate candidate);
}
