package io.berth.oci;

/**
 * The {@code <reference>} path component of a manifest URL: a {@link Digest} or a {@link Tag}
 * (OCI Distribution Spec, "Pulling manifests"). Anything else is invalid.
 */
public sealed interface Reference permits Digest, Tag {

    /**
     * Parses a reference: a string containing {@code :} must be a digest, anything else a tag.
     *
     * @throws RegistryException {@code DIGEST_INVALID} or {@code MANIFEST_INVALID} when malformed
     */
    static Reference parse(String value) {
        if (value.indexOf(':') >= 0) {
            return Digest.parse(value);
        }
        return Tag.parse(value);
    }
}
