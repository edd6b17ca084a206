package io.berth.auth;

import io.berth.oci.RepositoryGlob;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The policy of {@code examples/locked-down.yml}, rule for rule: anyone pulls everything but
 * {@code candidate/**}; robot {@code osbs} pulls and pushes candidates; group {@code releng} pulls
 * and promotes them; user {@code admin} may do anything anywhere.
 */
final class LockedDownPolicy {
    static final Principal ANONYMOUS = new Principal.Anonymous();
    static final Principal RELENG = new Principal.User("releng", Set.of("releng"));
    static final Principal ADMIN = new Principal.User("admin", Set.of());
    static final Principal OTHER_USER = new Principal.User("someone", Set.of());
    static final Principal OSBS = new Principal.Robot("osbs");
    static final Principal OTHER_ROBOT = new Principal.Robot("scanner");

    private LockedDownPolicy() {
    }

    static Policy policy() {
        return new Policy(List.of(
                new PolicyRule(new RepositoryGlob("**"), Set.of(), Set.of(), Set.of(), true, true, EnumSet.of(Action.PULL)),
                new PolicyRule(new RepositoryGlob("**"), Set.of("admin"), Set.of(), Set.of(), false, false, EnumSet.of(Action.ADMIN)),
                new PolicyRule(new RepositoryGlob("candidate/**"), Set.of(), Set.of(), Set.of("osbs"), false, false,
                        EnumSet.of(Action.PULL, Action.PUSH)),
                new PolicyRule(new RepositoryGlob("candidate/**"), Set.of(), Set.of("releng"), Set.of(), false, false,
                        EnumSet.of(Action.PULL, Action.PROMOTE)),
                new PolicyRule(new RepositoryGlob("candidate/**"), Set.of("admin"), Set.of(), Set.of(), false, false,
                        EnumSet.of(Action.ADMIN))));
    }
}
