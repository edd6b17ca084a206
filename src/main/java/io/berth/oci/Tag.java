package io.berth.oci;

import java.util.regex.Pattern;

/**
 * A tag: {@code [a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}} (OCI Distribution Spec, "Pulling manifests").
 */
public record Tag(String value) implements Reference {
    private static final Pattern GRAMMAR = Pattern.compile("[a-zA-Z0-9_][a-zA-Z0-9._-]{0," + (Limits.MAX_TAG_LENGTH - 1) + "}");

    public Tag {
        if (value == null || value.length() > Limits.MAX_TAG_LENGTH || !GRAMMAR.matcher(value).matches()) {
            throw RegistryException.of(ErrorCode.MANIFEST_INVALID, "invalid tag: it must match "
                    + GRAMMAR.pattern());
        }
    }

    public static Tag parse(String value) {
        return new Tag(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
