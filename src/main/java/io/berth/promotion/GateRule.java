package io.berth.promotion;

import io.berth.oci.RepositoryGlob;
import java.util.List;

/** The gates promotions into the repositories matching {@code targets} must pass. */
public record GateRule(RepositoryGlob targets, List<Gate> gates) {

    public GateRule {
        gates = List.copyOf(gates);
    }
}
