package io.berth.promotion;

import io.berth.metadata.StoredPromotion;

/**
 * A promotion that did not happen: a rule or a gate refused it. The attempt is in the audit trail
 * as {@code promotion()}, whose gates say every reason.
 */
public final class PromotionRefused extends RuntimeException {
    private final transient StoredPromotion promotion;

    public PromotionRefused(StoredPromotion promotion, String message) {
        super(message);
        this.promotion = promotion;
    }

    public StoredPromotion promotion() {
        return promotion;
    }
}
