package io.berth.promotion;

import io.berth.oci.RepositoryGlob;
import io.berth.oci.RepositoryName;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Which namespaces promote into which, and the gates of each target. For a target repository, only
 * the gate rules with the most specific matching pattern apply (as with access policies); a target
 * no rule matches gets {@link #DEFAULT_GATES}: stable tags do not move, except {@code latest}.
 */
public record PromotionRules(List<NamespaceMapping> namespaces, List<GateRule> gateRules) {

    public static final List<Gate> DEFAULT_GATES = List.of(new Gates.ImmutableTags(Set.of("latest")));

    public PromotionRules {
        namespaces = List.copyOf(namespaces);
        gateRules = List.copyOf(gateRules);
    }

    public static PromotionRules none() {
        return new PromotionRules(List.of(), List.of());
    }

    /** Whether some mapping promotes {@code source} into {@code target}. */
    public boolean allows(RepositoryName source, RepositoryName target) {
        return namespaces.stream().anyMatch(mapping -> mapping.targetOf(source).filter(target::equals).isPresent());
    }

    /** The gates of promotions into {@code target}. */
    public List<Gate> gatesFor(RepositoryName target) {
        int best = -1;
        List<Gate> gates = new ArrayList<>();
        for (GateRule rule : gateRules) {
            RepositoryGlob glob = rule.targets();
            if (!glob.matches(target.value())) {
                continue;
            }
            if (glob.specificity() > best) {
                best = glob.specificity();
                gates.clear();
            }
            if (glob.specificity() == best) {
                gates.addAll(rule.gates());
            }
        }
        return best < 0 ? DEFAULT_GATES : List.copyOf(gates);
    }
}
