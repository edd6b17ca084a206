package io.berth.metadata;

/** A promotion in the audit trail, with its sequence number (newer promotions have larger ones). */
public record StoredPromotion(long id, PromotionRecord promotion) {
}
