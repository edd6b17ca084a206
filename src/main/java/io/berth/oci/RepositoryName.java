package io.berth.oci;

/**
 * A repository name ({@code <name>}): path components of lowercase alphanumerics joined by
 * {@code .}, {@code _}, {@code __} or runs of {@code -}, separated by {@code /}
 * (OCI Distribution Spec, "Pulling manifests"). The grammar admits no {@code ..}, no empty
 * component and no leading {@code /}, so a valid name can never address anything outside the
 * registry's own storage.
 *
 * <p>Names are checked on every request, so the grammar is checked by a single scan rather than
 * by the regular expression; {@code RepositoryNameTest} holds the two to the same answers.
 */
public record RepositoryName(String value) implements Comparable<RepositoryName> {
    private static final String COMPONENT = "[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*";
    /** The spec's regular expression, usable inside larger patterns (the route table uses it). */
    public static final String PATTERN = COMPONENT + "(?:/" + COMPONENT + ")*";

    public RepositoryName {
        if (value == null || value.isEmpty() || value.length() > Limits.MAX_REPOSITORY_NAME_LENGTH) {
            throw RegistryException.of(ErrorCode.NAME_INVALID,
                    "repository name must have 1 to " + Limits.MAX_REPOSITORY_NAME_LENGTH + " characters");
        }
        if (!matchesGrammar(value)) {
            throw RegistryException.of(ErrorCode.NAME_INVALID, "repository name must match " + PATTERN);
        }
    }

    /** Whether {@code value} matches {@link #PATTERN}, whatever its length. */
    static boolean matchesGrammar(String value) {
        int length = value.length();
        int at = 0;
        while (true) {
            at = skipAlphanumerics(value, at);
            if (at < 0) {
                return false;
            }
            while (at < length && isSeparatorStart(value.charAt(at))) {
                char separator = value.charAt(at++);
                if (separator == '_' && at < length && value.charAt(at) == '_') {
                    at++;
                } else if (separator == '-') {
                    while (at < length && value.charAt(at) == '-') {
                        at++;
                    }
                }
                at = skipAlphanumerics(value, at);
                if (at < 0) {
                    return false;
                }
            }
            if (at == length) {
                return true;
            }
            if (value.charAt(at++) != '/') {
                return false;
            }
        }
    }

    /** The index after a run of at least one {@code [a-z0-9]} starting at {@code from}; -1 when there is none. */
    private static int skipAlphanumerics(String value, int from) {
        int at = from;
        while (at < value.length() && isLowerAlphanumeric(value.charAt(at))) {
            at++;
        }
        return at > from ? at : -1;
    }

    private static boolean isLowerAlphanumeric(char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    }

    private static boolean isSeparatorStart(char c) {
        return c == '.' || c == '_' || c == '-';
    }

    public static RepositoryName parse(String value) {
        return new RepositoryName(value);
    }

    @Override
    public int compareTo(RepositoryName other) {
        return value.compareTo(other.value);
    }

    /** The first path component: {@code fedora} of {@code fedora/toolbox}, the whole name when it has one component. */
    public String namespace() {
        int slash = value.indexOf('/');
        return slash < 0 ? value : value.substring(0, slash);
    }

    @Override
    public String toString() {
        return value;
    }
}
