package io.berth.cli;

import io.berth.oci.Digest;
import io.berth.oci.MediaTypes;
import io.berth.oci.RepositoryName;
import io.berth.promotion.RemoteRegistry;
import io.berth.signing.CosignAttachment;
import java.io.ByteArrayInputStream;
import java.util.Optional;

/** Adds a signature or an attestation to the cosign attachment of an image in a registry. */
final class AttachmentPush {
    private AttachmentPush() {
    }

    /**
     * Pushes {@code layer} and a new attachment manifest (what the tag held, plus the layer) under
     * the {@code suffix} tag of {@code subject}.
     *
     * @return the tag written
     */
    static String push(RemoteRegistry registry, RepositoryName repository, Digest subject, String suffix,
                       CosignAttachment.Layer layer) {
        String tag = CosignAttachment.tag(subject, suffix);
        Optional<byte[]> existing = registry.manifest(repository, tag).map(RemoteRegistry.FetchedManifest::content);
        CosignAttachment.Built built = CosignAttachment.with(existing, layer);
        putBlob(registry, repository, layer.digest(), layer.content());
        putBlob(registry, repository, built.configDigest(), built.config());
        registry.putManifest(repository, tag, MediaTypes.OCI_MANIFEST, built.manifest(), built.manifestDigest());
        return tag;
    }

    private static void putBlob(RemoteRegistry registry, RepositoryName repository, Digest digest, byte[] content) {
        if (!registry.hasBlob(repository, digest)) {
            registry.putBlob(repository, digest, content.length, repository, () -> new ByteArrayInputStream(content));
        }
    }
}
