package io.berth.cli;

import io.berth.oci.Digest;
import io.berth.promotion.RemoteRegistry;

/** The digest a command signs or attests: the image reference's, resolved once at the registry. */
final class Subjects {
    private Subjects() {
    }

    /** @throws IllegalArgumentException when the registry has no such image */
    static Digest resolve(RemoteRegistry registry, ImageReference reference) {
        return registry.manifestDigest(reference.repository(), reference.reference())
                .orElseThrow(() -> new IllegalArgumentException(reference.dockerReference() + ":" + reference.reference()
                        + " does not exist (or may not be read with these credentials)"));
    }
}
