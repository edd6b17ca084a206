package io.berth.auth;

import io.berth.oci.RepositoryGlob;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Who may do what, per repository. For a repository, only the rules with the most specific
 * matching pattern count (see {@link RepositoryGlob#specificity()}); their grants to the caller
 * are combined. No matching rule, or no grant to the caller, means no access: deny by default.
 *
 * <p>So {@code **: anonymous pull} with {@code candidate/**: robot osbs push} keeps anonymous
 * callers out of {@code candidate/…}: the candidate rule is more specific and grants them nothing.
 */
public final class Policy {
    private final List<PolicyRule> rules;

    public Policy(List<PolicyRule> rules) {
        this.rules = List.copyOf(rules);
    }

    public static Policy allowEverything() {
        return new Policy(List.of(new PolicyRule(new RepositoryGlob("**"), Set.of(), Set.of(), Set.of(), true, true,
                EnumSet.allOf(Action.class))));
    }

    /** The actions {@code principal} may perform on {@code repository} ({@code admin} expanded). */
    public Set<Action> permitted(Principal principal, String repository) {
        int best = -1;
        Set<Action> granted = EnumSet.noneOf(Action.class);
        for (PolicyRule rule : rules) {
            if (!rule.repositories().matches(repository)) {
                continue;
            }
            int specificity = rule.repositories().specificity();
            if (specificity > best) {
                best = specificity;
                granted.clear();
            }
            if (specificity == best && rule.appliesTo(principal)) {
                granted.addAll(rule.actions());
            }
        }
        return Action.expand(granted);
    }

    /**
     * Whether {@code principal} administers the registry as a whole: a rule for every repository
     * ({@code **}) grants it {@code admin}. Registry-wide operations (the mirror endpoints) need this.
     */
    public boolean isRegistryAdmin(Principal principal) {
        for (PolicyRule rule : rules) {
            if (rule.repositories().pattern().equals("**") && rule.appliesTo(principal)
                    && rule.actions().contains(Action.ADMIN)) {
                return true;
            }
        }
        return false;
    }

    public boolean allows(Principal principal, String repository, Action action) {
        return permitted(principal, repository).contains(action);
    }

    public List<PolicyRule> rules() {
        return rules;
    }
}
