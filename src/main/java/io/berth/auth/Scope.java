package io.berth.auth;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A resource scope of Docker's token protocol ({@code specs/docker/scope.md}):
 * {@code type:name:action[,action…]}, for example {@code repository:fedora/41:pull,push} or
 * {@code registry:catalog:*}. Repository names may contain colons only after a registry host,
 * which Berth never sees, so the last colon separates the actions.
 */
public record Scope(String type, String name, Set<Action> actions) {
    public static final String REPOSITORY = "repository";
    public static final String REGISTRY = "registry";
    public static final String CATALOG = "catalog";

    public Scope {
        actions = actions.isEmpty() ? EnumSet.noneOf(Action.class) : EnumSet.copyOf(actions);
    }

    public static Scope repository(String name, Set<Action> actions) {
        return new Scope(REPOSITORY, name, actions);
    }

    public static Scope catalog() {
        return new Scope(REGISTRY, CATALOG, EnumSet.allOf(Action.class));
    }

    /** Parses one scope; unknown actions are dropped (they grant nothing), malformed scopes are empty. */
    public static Optional<Scope> parse(String text) {
        int first = text.indexOf(':');
        int last = text.lastIndexOf(':');
        if (first <= 0 || last <= first || last == text.length() - 1 && text.endsWith(":")) {
            return Optional.empty();
        }
        String type = text.substring(0, first);
        String name = text.substring(first + 1, last);
        if (name.isEmpty()) {
            return Optional.empty();
        }
        Set<Action> actions = EnumSet.noneOf(Action.class);
        for (String action : text.substring(last + 1).split(",")) {
            if (action.equals("*")) {
                actions.addAll(EnumSet.allOf(Action.class));
            } else {
                Action.fromWireName(action.trim()).ifPresent(actions::add);
            }
        }
        return Optional.of(new Scope(type, name, actions));
    }

    /** Parses every scope in query parameters, each of which may hold several separated by spaces. */
    public static List<Scope> parseAll(List<String> values) {
        List<Scope> scopes = new ArrayList<>();
        for (String value : values) {
            for (String part : value.trim().split("\\s+")) {
                if (!part.isEmpty()) {
                    parse(part).ifPresent(scopes::add);
                }
            }
        }
        return scopes;
    }

    /** {@code repository}, or {@code repository(plugin)}, which {@code scope.md} treats as equal. */
    public boolean isRepository() {
        return REPOSITORY.equals(type) || type.startsWith(REPOSITORY + "(");
    }

    public boolean isCatalog() {
        return REGISTRY.equals(type) && CATALOG.equals(name);
    }

    /** The scope in the grammar; every action at once is written {@code *}, as in {@code registry:catalog:*}. */
    @Override
    public String toString() {
        String names = actions.equals(EnumSet.allOf(Action.class)) ? "*"
                : actions.stream().map(Action::wireName).collect(Collectors.joining(","));
        return type + ":" + name + ":" + names;
    }
}
