package io.berth.oci;

/**
 * A tag: {@code [a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}} (OCI Distribution Spec, "Pulling manifests"),
 * checked by a scan rather than the regular expression because tags are checked on every request.
 */
public record Tag(String value) implements Reference {
    /** The spec's regular expression, for messages; {@code TagTest} holds the scan to it. */
    static final String PATTERN = "[a-zA-Z0-9_][a-zA-Z0-9._-]{0," + (Limits.MAX_TAG_LENGTH - 1) + "}";

    public Tag {
        if (value == null || !matchesGrammar(value)) {
            throw RegistryException.of(ErrorCode.MANIFEST_INVALID, "invalid tag: it must match " + PATTERN);
        }
    }

    /** Whether {@code value} matches {@link #PATTERN}. */
    static boolean matchesGrammar(String value) {
        if (value.isEmpty() || value.length() > Limits.MAX_TAG_LENGTH) {
            return false;
        }
        char first = value.charAt(0);
        if (!isWordCharacter(first)) {
            return false;
        }
        for (int i = 1; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!isWordCharacter(c) && c != '.' && c != '-') {
                return false;
            }
        }
        return true;
    }

    private static boolean isWordCharacter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    }

    public static Tag parse(String value) {
        return new Tag(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
