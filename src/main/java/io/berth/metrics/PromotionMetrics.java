package io.berth.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Promotion requests by outcome ({@code berth_promotions_total}): {@code granted} (promoted, gates
 * passed), {@code overridden} (promoted under an emergency override of failing gates), {@code refused}
 * (a gate, a permission or the request itself said no).
 */
public final class PromotionMetrics {
    private final Counter granted;
    private final Counter overridden;
    private final Counter refused;

    PromotionMetrics(MeterRegistry registry) {
        this.granted = counter(registry, "granted");
        this.overridden = counter(registry, "overridden");
        this.refused = counter(registry, "refused");
    }

    public void granted() {
        granted.increment();
    }

    public void overridden() {
        overridden.increment();
    }

    public void refused() {
        refused.increment();
    }

    private static Counter counter(MeterRegistry registry, String outcome) {
        return Counter.builder("berth.promotions").description("Promotion requests by outcome")
                .tag("outcome", outcome).register(registry);
    }
}
