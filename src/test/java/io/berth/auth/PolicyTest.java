package io.berth.auth;

import io.berth.oci.RepositoryGlob;
import static io.berth.auth.Action.ADMIN;
import static io.berth.auth.Action.PROMOTE;
import static io.berth.auth.Action.PULL;
import static io.berth.auth.Action.PUSH;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Policy decisions: for a repository only the rules with the most specific matching pattern count,
 * their grants to the caller are combined, {@code admin} stands for every action, and whatever no
 * rule grants is denied.
 */
class PolicyTest {
    private static final Set<Action> NOTHING = EnumSet.noneOf(Action.class);
    private static final Set<Action> EVERYTHING = EnumSet.allOf(Action.class);

    static Stream<Arguments> lockedDown() {
        return Stream.of(
                argumentSet("anonymous pulls a public repository", LockedDownPolicy.ANONYMOUS, "library/app", EnumSet.of(PULL)),
                argumentSet("anonymous pulls a one-component name", LockedDownPolicy.ANONYMOUS, "app", EnumSet.of(PULL)),
                argumentSet("anonymous gets nothing of candidate/** (the more specific rules grant it nothing)",
                        LockedDownPolicy.ANONYMOUS, "candidate/app", NOTHING),
                argumentSet("candidate/** does not cover a repository named candidate", LockedDownPolicy.ANONYMOUS,
                        "candidate", EnumSet.of(PULL)),
                argumentSet("releng pulls a public repository as any authenticated caller", LockedDownPolicy.RELENG,
                        "library/app", EnumSet.of(PULL)),
                argumentSet("releng pulls and promotes candidates through its group", LockedDownPolicy.RELENG,
                        "candidate/app", EnumSet.of(PULL, PROMOTE)),
                argumentSet("osbs pulls and pushes candidates", LockedDownPolicy.OSBS, "candidate/app", EnumSet.of(PULL, PUSH)),
                argumentSet("osbs pushes candidates at any depth", LockedDownPolicy.OSBS, "candidate/team/app",
                        EnumSet.of(PULL, PUSH)),
                argumentSet("osbs only pulls outside candidate/**", LockedDownPolicy.OSBS, "library/app", EnumSet.of(PULL)),
                argumentSet("another robot gets nothing of candidates", LockedDownPolicy.OTHER_ROBOT, "candidate/app", NOTHING),
                argumentSet("another robot pulls public repositories", LockedDownPolicy.OTHER_ROBOT, "library/app",
                        EnumSet.of(PULL)),
                argumentSet("a user outside every group gets nothing of candidates", LockedDownPolicy.OTHER_USER,
                        "candidate/app", NOTHING),
                argumentSet("admin expands to every action on public repositories", LockedDownPolicy.ADMIN, "library/app",
                        EVERYTHING),
                argumentSet("admin expands to every action on candidates", LockedDownPolicy.ADMIN, "candidate/app",
                        EVERYTHING));
    }

    @ParameterizedTest
    @MethodSource("lockedDown")
    void lockedDownExample(Principal principal, String repository, Set<Action> expected) {
        Policy policy = LockedDownPolicy.policy();

        assertThat(policy.permitted(principal, repository)).containsExactlyInAnyOrderElementsOf(expected);
        for (Action action : Action.values()) {
            assertThat(policy.allows(principal, repository, action)).as(action.wireName()).isEqualTo(expected.contains(action));
        }
    }

    @Test
    void anEmptyPolicyDeniesEverything() {
        Policy policy = new Policy(List.of());

        assertThat(policy.permitted(LockedDownPolicy.ANONYMOUS, "app")).isEmpty();
        assertThat(policy.permitted(LockedDownPolicy.ADMIN, "app")).isEmpty();
    }

    @Test
    void aRepositoryNoRuleMatchesIsDenied() {
        Policy policy = new Policy(List.of(forEveryone("library/**", EnumSet.of(PULL, PUSH))));

        assertThat(policy.permitted(LockedDownPolicy.ADMIN, "other/app")).isEmpty();
        assertThat(policy.permitted(LockedDownPolicy.ADMIN, "library/app")).containsExactlyInAnyOrder(PULL, PUSH);
    }

    @Test
    void aMoreSpecificRuleShadowsBroaderGrantsEvenWhenItGrantsTheCallerNothing() {
        Policy policy = new Policy(List.of(
                forEveryone("**", EnumSet.of(PULL, PUSH)),
                forUser("secret/*", "admin", EnumSet.of(PULL))));

        assertThat(policy.permitted(LockedDownPolicy.RELENG, "secret/plans")).isEmpty();
        assertThat(policy.permitted(LockedDownPolicy.ADMIN, "secret/plans")).containsExactly(PULL);
        assertThat(policy.permitted(LockedDownPolicy.RELENG, "secret/plans/deeper")).containsExactlyInAnyOrder(PULL, PUSH);
    }

    @Test
    void theMostSpecificRuleWinsWhateverTheOrderOfRules() {
        PolicyRule broad = forEveryone("**", EnumSet.of(PULL));
        PolicyRule narrow = forEveryone("library/app", EnumSet.of(PUSH));

        for (List<PolicyRule> rules : List.of(List.of(broad, narrow), List.of(narrow, broad))) {
            assertThat(new Policy(rules).permitted(LockedDownPolicy.OSBS, "library/app")).containsExactly(PUSH);
        }
    }

    @Test
    void grantsOfEquallySpecificRulesCombine() {
        Policy policy = new Policy(List.of(
                new PolicyRule(new RepositoryGlob("team/*"), Set.of("releng"), Set.of(), Set.of(), false, false, EnumSet.of(PULL)),
                new PolicyRule(new RepositoryGlob("team/*"), Set.of(), Set.of("releng"), Set.of(), false, false, EnumSet.of(PROMOTE)),
                new PolicyRule(new RepositoryGlob("team/*"), Set.of(), Set.of(), Set.of(), false, true, EnumSet.of(PUSH))));

        assertThat(policy.permitted(LockedDownPolicy.RELENG, "team/app")).containsExactlyInAnyOrder(PULL, PROMOTE, PUSH);
        assertThat(policy.permitted(LockedDownPolicy.OSBS, "team/app")).containsExactly(PUSH);
        assertThat(policy.permitted(LockedDownPolicy.ANONYMOUS, "team/app")).isEmpty();
    }

    @Test
    void adminGrantedByARuleStandsForEveryAction() {
        Policy policy = new Policy(List.of(forUser("**", "admin", EnumSet.of(ADMIN))));

        assertThat(policy.permitted(LockedDownPolicy.ADMIN, "anything")).containsExactlyInAnyOrderElementsOf(EVERYTHING);
    }

    @Test
    void allowEverythingLetsAnonymousDoAnything() {
        assertThat(Policy.allowEverything().permitted(LockedDownPolicy.ANONYMOUS, "any/name"))
                .containsExactlyInAnyOrderElementsOf(EVERYTHING);
    }

    /** A rule for every caller, anonymous or not. */
    private static PolicyRule forEveryone(String pattern, Set<Action> actions) {
        return new PolicyRule(new RepositoryGlob(pattern), Set.of(), Set.of(), Set.of(), true, true, actions);
    }

    private static PolicyRule forUser(String pattern, String user, Set<Action> actions) {
        return new PolicyRule(new RepositoryGlob(pattern), Set.of(user), Set.of(), Set.of(), false, false, actions);
    }
}
