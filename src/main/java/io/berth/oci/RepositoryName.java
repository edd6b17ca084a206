package io.berth.oci;

import java.util.regex.Pattern;

/**
 * A repository name ({@code <name>}): path components of lowercase alphanumerics joined by
 * {@code .}, {@code _}, {@code __} or runs of {@code -}, separated by {@code /}
 * (OCI Distribution Spec, "Pulling manifests"). The grammar admits no {@code ..}, no empty
 * component and no leading {@code /}, so a valid name can never address anything outside the
 * registry's own storage.
 */
public record RepositoryName(String value) implements Comparable<RepositoryName> {
    private static final String COMPONENT = "[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*";
    /** The spec's regular expression, usable inside larger patterns (the route table uses it). */
    public static final String PATTERN = COMPONENT + "(?:/" + COMPONENT + ")*";
    private static final Pattern GRAMMAR = Pattern.compile(PATTERN);

    public RepositoryName {
        if (value == null || value.isEmpty() || value.length() > Limits.MAX_REPOSITORY_NAME_LENGTH) {
            throw RegistryException.of(ErrorCode.NAME_INVALID,
                    "repository name must have 1 to " + Limits.MAX_REPOSITORY_NAME_LENGTH + " characters");
        }
        if (!GRAMMAR.matcher(value).matches()) {
            throw RegistryException.of(ErrorCode.NAME_INVALID, "repository name must match " + PATTERN);
        }
    }

    public static RepositoryName parse(String value) {
        return new RepositoryName(value);
    }

    @Override
    public int compareTo(RepositoryName other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
