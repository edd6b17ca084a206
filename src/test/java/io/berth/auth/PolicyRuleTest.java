package io.berth.auth;

import io.berth.oci.RepositoryGlob;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Whom a rule speaks of: anonymous callers only when it says {@code anonymous}; every user and
 * robot when it says {@code authenticated}; otherwise users by name or group, robots by name —
 * a user and a robot of the same name are different callers. No rule ever speaks of the holder of an
 * external issuer's token, whatever its {@code sub}: its token's access claim alone decides.
 */
class PolicyRuleTest {
    private static final Principal ANONYMOUS = new Principal.Anonymous();
    private static final Principal ALICE = new Principal.User("alice", Set.of("dev"));
    private static final Principal BOB = new Principal.User("bob", Set.of());
    private static final Principal ROBOT_ALICE = new Principal.Robot("alice");
    private static final Principal ROBOT_OSBS = new Principal.Robot("osbs");
    private static final Principal EXTERNAL_ALICE = new Principal.External("https://sso.example.org", "alice");
    private static final Principal EXTERNAL_ROBOT = new Principal.External("https://sso.example.org", "robot$osbs");

    static Stream<Arguments> rules() {
        return Stream.of(
                argumentSet("anonymous: applies to anonymous", rule(Set.of(), Set.of(), Set.of(), true, false), ANONYMOUS, true),
                argumentSet("anonymous: not to users", rule(Set.of(), Set.of(), Set.of(), true, false), ALICE, false),
                argumentSet("anonymous: not to robots", rule(Set.of(), Set.of(), Set.of(), true, false), ROBOT_OSBS, false),
                argumentSet("authenticated: applies to users", rule(Set.of(), Set.of(), Set.of(), false, true), BOB, true),
                argumentSet("authenticated: applies to robots", rule(Set.of(), Set.of(), Set.of(), false, true), ROBOT_OSBS, true),
                argumentSet("authenticated: not to anonymous", rule(Set.of(), Set.of(), Set.of(), false, true), ANONYMOUS, false),
                argumentSet("users: the named user", rule(Set.of("alice"), Set.of(), Set.of(), false, false), ALICE, true),
                argumentSet("users: not another user", rule(Set.of("alice"), Set.of(), Set.of(), false, false), BOB, false),
                argumentSet("users: not a robot of the same name", rule(Set.of("alice"), Set.of(), Set.of(), false, false),
                        ROBOT_ALICE, false),
                argumentSet("users: not anonymous", rule(Set.of("alice"), Set.of(), Set.of(), false, false), ANONYMOUS, false),
                argumentSet("groups: a member", rule(Set.of(), Set.of("dev"), Set.of(), false, false), ALICE, true),
                argumentSet("groups: not a user outside the group", rule(Set.of(), Set.of("dev"), Set.of(), false, false), BOB, false),
                argumentSet("robots: the named robot", rule(Set.of(), Set.of(), Set.of("osbs"), false, false), ROBOT_OSBS, true),
                argumentSet("robots: not another robot", rule(Set.of(), Set.of(), Set.of("osbs"), false, false), ROBOT_ALICE, false),
                argumentSet("robots: not a user of the same name", rule(Set.of(), Set.of(), Set.of("alice"), false, false),
                        ALICE, false),
                argumentSet("a rule naming nobody: not anonymous", rule(Set.of(), Set.of(), Set.of(), false, false), ANONYMOUS, false),
                argumentSet("a rule naming nobody: not a user", rule(Set.of(), Set.of(), Set.of(), false, false), ALICE, false),
                argumentSet("a rule naming nobody: not a robot", rule(Set.of(), Set.of(), Set.of(), false, false), ROBOT_OSBS, false),
                argumentSet("users: not an external token whose sub is that user", rule(Set.of("alice"), Set.of(), Set.of(), false, false),
                        EXTERNAL_ALICE, false),
                argumentSet("groups: not an external token whose sub is a member", rule(Set.of(), Set.of("dev"), Set.of(), false, false),
                        EXTERNAL_ALICE, false),
                argumentSet("robots: not an external token whose sub is robot$NAME", rule(Set.of(), Set.of(), Set.of("osbs"), false, false),
                        EXTERNAL_ROBOT, false),
                argumentSet("authenticated: not an external token", rule(Set.of(), Set.of(), Set.of(), false, true), EXTERNAL_ALICE, false),
                argumentSet("anonymous: not an external token", rule(Set.of(), Set.of(), Set.of(), true, false),
                        new Principal.External("https://sso.example.org", ""), false));
    }

    @ParameterizedTest
    @MethodSource("rules")
    void appliesTo(PolicyRule rule, Principal principal, boolean expected) {
        assertThat(rule.appliesTo(principal)).isEqualTo(expected);
    }

    private static PolicyRule rule(Set<String> users, Set<String> groups, Set<String> robots, boolean anonymous,
                                   boolean authenticated) {
        return new PolicyRule(new RepositoryGlob("**"), users, groups, robots, anonymous, authenticated,
                EnumSet.of(Action.PULL));
    }
}
