package io.berth.auth;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What a caller may do to a repository. {@code pull}, {@code push} and {@code delete} are the
 * actions of Docker's token scope grammar; {@code promote} and {@code admin} are Berth's own.
 * {@code admin} implies every other action; {@code *} in a requested scope means all of them.
 */
public enum Action {
    PULL, PUSH, DELETE, PROMOTE, ADMIN;

    /** The name used in scopes, policies and tokens. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Action> fromWireName(String name) {
        for (Action action : values()) {
            if (action.wireName().equals(name)) {
                return Optional.of(action);
            }
        }
        return Optional.empty();
    }

    /** The actions a set of granted actions permits: {@code admin} stands for all of them. */
    public static Set<Action> expand(Set<Action> granted) {
        if (granted.contains(ADMIN)) {
            return EnumSet.allOf(Action.class);
        }
        return granted.isEmpty() ? EnumSet.noneOf(Action.class) : EnumSet.copyOf(granted);
    }
}
