package io.berth.oci;

import java.util.regex.Pattern;

/**
 * A tag-name pattern: {@code *} matches any run of characters, {@code ?} exactly one, everything
 * else itself. {@code 41.*} matches {@code 41.1} and {@code 41.1-rc2}; {@code latest} only itself.
 */
public final class TagPattern {
    private final String pattern;
    private final Pattern regex;

    public TagPattern(String pattern) {
        if (pattern == null || pattern.isEmpty()) {
            throw new IllegalArgumentException("empty tag pattern");
        }
        this.pattern = pattern;
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        this.regex = Pattern.compile(regex.toString());
    }

    public boolean matches(String tag) {
        return regex.matcher(tag).matches();
    }

    public String pattern() {
        return pattern;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TagPattern that && that.pattern.equals(pattern);
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
