package io.berth.promotion;

import io.berth.oci.RepositoryName;
import java.util.Optional;

/**
 * A pair of namespaces between which promotion is allowed: {@code candidate/fedora → fedora} names
 * one repository on each side; {@code candidate/* → *} maps every repository under {@code candidate/}
 * to the same name without it ({@code candidate/app → app}, {@code candidate/a/b → a/b}). A {@code *}
 * stands for one or more path components and may only end a pattern; both sides have one or neither.
 */
public record NamespaceMapping(String from, String to) {

    public NamespaceMapping {
        boolean fromWild = wildcard(from);
        boolean toWild = wildcard(to);
        if (fromWild != toWild) {
            throw new IllegalArgumentException("promotion namespaces " + from + " -> " + to
                    + ": both sides end in '*' or neither does");
        }
        if (!fromWild) {
            RepositoryName.parse(from);
            RepositoryName.parse(to);
        }
    }

    private static boolean wildcard(String pattern) {
        int star = pattern.indexOf('*');
        if (star < 0) {
            return false;
        }
        if (star != pattern.length() - 1 || !(star == 0 || pattern.charAt(star - 1) == '/')) {
            throw new IllegalArgumentException("promotion namespace '" + pattern
                    + "': '*' may only stand alone or end the pattern after a '/'");
        }
        return true;
    }

    /** The repository {@code source} promotes into under this mapping, if it maps at all. */
    public Optional<RepositoryName> targetOf(RepositoryName source) {
        if (!from.endsWith("*")) {
            return source.value().equals(from) ? Optional.of(RepositoryName.parse(to)) : Optional.empty();
        }
        String prefix = from.substring(0, from.length() - 1);
        if (!source.value().startsWith(prefix) || source.value().length() == prefix.length()) {
            return Optional.empty();
        }
        String rest = source.value().substring(prefix.length());
        return Optional.of(RepositoryName.parse(to.substring(0, to.length() - 1) + rest));
    }

    @Override
    public String toString() {
        return from + " -> " + to;
    }
}
