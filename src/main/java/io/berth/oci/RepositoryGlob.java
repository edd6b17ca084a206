package io.berth.oci;

import java.util.regex.Pattern;

/**
 * A repository-name pattern: {@code *} matches within one path component, {@code **} any number
 * of components. {@code candidate/**} matches {@code candidate/app} and {@code candidate/a/b};
 * {@code fedora/*} matches {@code fedora/41} only; {@code **} matches everything.
 */
public final class RepositoryGlob {
    private final String pattern;
    private final Pattern regex;

    public RepositoryGlob(String pattern) {
        if (pattern == null || pattern.isBlank()) {
            throw new IllegalArgumentException("empty repository pattern");
        }
        this.pattern = pattern;
        this.regex = Pattern.compile(toRegex(pattern));
    }

    private static String toRegex(String pattern) {
        StringBuilder regex = new StringBuilder();
        String[] parts = pattern.split("/", -1);
        for (int i = 0; i < parts.length; i++) {
            boolean last = i == parts.length - 1;
            if (parts[i].equals("**")) {
                regex.append(last ? ".+" : "(?:[^/]+/)*");
                continue;
            }
            String[] literals = parts[i].split("\\*", -1);
            for (int j = 0; j < literals.length; j++) {
                if (j > 0) {
                    regex.append("[^/]*");
                }
                regex.append(Pattern.quote(literals[j]));
            }
            if (!last) {
                regex.append('/');
            }
        }
        return regex.toString();
    }

    public boolean matches(String repository) {
        return regex.matcher(repository).matches();
    }

    /** How specific the pattern is: its count of literal characters; more is more specific. */
    public int specificity() {
        return pattern.replace("*", "").length();
    }

    public String pattern() {
        return pattern;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RepositoryGlob glob && glob.pattern.equals(pattern);
    }

    @Override
    public int hashCode() {
        return pattern.hashCode();
    }

    @Override
    public String toString() {
        return pattern;
    }
}
