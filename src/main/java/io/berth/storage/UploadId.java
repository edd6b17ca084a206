package io.berth.storage;

import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The identifier of an upload session: a random UUID, as the spec's {@code <location>} requires.
 * Validation keeps any other string (such as {@code ../x}) away from the filesystem.
 */
public record UploadId(String value) {
    private static final Pattern UUID_FORM = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    public UploadId {
        if (value == null || !UUID_FORM.matcher(value).matches()) {
            throw new IllegalArgumentException("not an upload id");
        }
    }

    public static UploadId random() {
        return new UploadId(UUID.randomUUID().toString());
    }

    /** Parses a path component, or empty when it cannot be an upload id. */
    public static java.util.Optional<UploadId> tryParse(String value) {
        if (value == null || !UUID_FORM.matcher(value).matches()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new UploadId(value));
    }

    @Override
    public String toString() {
        return value;
    }
}
