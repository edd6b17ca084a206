package io.berth.metadata;

import java.util.List;

/** The audit trail of promotions. */
public interface PromotionQueries {

    /** Appends a promotion; returns its id. */
    long recordPromotion(PromotionRecord promotion);

    /** Promotions matching {@code filter}, newest first. */
    List<StoredPromotion> listPromotions(PromotionFilter filter);
}
