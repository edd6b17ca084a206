package io.berth.auth;

import io.berth.oci.RepositoryGlob;
import java.util.EnumSet;
import java.util.Set;

/**
 * One policy rule: on repositories matching {@code repositories}, the listed callers may do
 * {@code actions}.
 *
 * @param users         user names from the htpasswd file
 * @param groups        group names from the configuration
 * @param robots        robot account names
 * @param anonymous     whether callers without credentials are included
 * @param authenticated whether every authenticated caller (user or robot) is included; holders of
 *                      external issuers' tokens never are
 */
public record PolicyRule(RepositoryGlob repositories, Set<String> users, Set<String> groups, Set<String> robots,
                         boolean anonymous, boolean authenticated, Set<Action> actions) {

    public PolicyRule {
        users = Set.copyOf(users);
        groups = Set.copyOf(groups);
        robots = Set.copyOf(robots);
        actions = actions.isEmpty() ? EnumSet.noneOf(Action.class) : EnumSet.copyOf(actions);
    }

    /** Whether this rule speaks of {@code principal}. */
    public boolean appliesTo(Principal principal) {
        return switch (principal) {
            case Principal.Anonymous anonymousCaller -> anonymous;
            case Principal.User user -> authenticated || users.contains(user.name())
                    || user.groups().stream().anyMatch(groups::contains);
            case Principal.Robot robot -> authenticated || robots.contains(robot.name());
            // Judged by its token's access claim alone (Principal.External): no rule speaks of it.
            case Principal.External external -> false;
        };
    }
}
