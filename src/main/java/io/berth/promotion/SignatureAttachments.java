package io.berth.promotion;

import io.berth.metadata.ManifestRecord;
import io.berth.metadata.MetadataSession;
import io.berth.metadata.StoredManifest;
import io.berth.oci.Descriptor;
import io.berth.oci.Digest;
import io.berth.oci.Manifest;
import io.berth.oci.ManifestParser;
import io.berth.oci.RepositoryName;
import io.berth.oci.Tag;
import io.berth.storage.BlobReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;

/**
 * Signatures and attestations attached by tag, as cosign and skopeo ({@code use-sigstore-attachments})
 * store them: the signatures of manifest {@code sha256:<hex>} are the layers of the manifest tagged
 * {@code sha256-<hex>.sig} in the same repository, its attestations ({@code cosign attest}) the
 * layers of the manifest tagged {@code sha256-<hex>.att}.
 */
public final class SignatureAttachments {
    private SignatureAttachments() {
    }

    /** The tag holding the signatures of {@code digest}: {@code sha256-<hex>.sig}. */
    public static Tag tagOf(Digest digest) {
        return attachmentTag(digest, "sig");
    }

    /** The tag holding the attestations of {@code digest}: {@code sha256-<hex>.att}. */
    public static Tag attestationTagOf(Digest digest) {
        return attachmentTag(digest, "att");
    }

    /** Every attachment tag a promotion carries: the signatures', then the attestations'. */
    static List<Tag> tagsOf(Digest digest) {
        return List.of(tagOf(digest), attestationTagOf(digest));
    }

    private static Tag attachmentTag(Digest digest, String suffix) {
        return Tag.parse(digest.algorithm().identifier() + "-" + digest.encoded() + "." + suffix);
    }

    /** The signature manifest attached to {@code digest} in {@code repository}, if any. */
    public static Optional<StoredManifest> find(MetadataSession session, RepositoryName repository, Digest digest) {
        return session.manifestByTag(repository, tagOf(digest));
    }

    /** The attestation manifest attached to {@code digest} in {@code repository}, if any. */
    public static Optional<StoredManifest> findAttestations(MetadataSession session, RepositoryName repository, Digest digest) {
        return session.manifestByTag(repository, attestationTagOf(digest));
    }

    /**
     * Carries the signatures and attestations of {@code digest} from {@code source} to {@code target}
     * inside the caller's transaction: for each of its attachment tags ({@link #tagsOf}) the source
     * has, links the attached manifest's blobs, stores it and points the target's tag at it, so that
     * clients verifying signatures and attestations find them under the target's name. The
     * attachment tags follow the source's: they are not release tags, and gates and tag protection
     * do not judge them.
     *
     * @return whether the target changed
     */
    static boolean carry(MetadataSession session, RepositoryName source, RepositoryName target, Digest digest) {
        boolean changed = false;
        for (Tag tag : tagsOf(digest)) {
            changed |= carry(session, source, target, tag);
        }
        return changed;
    }

    private static boolean carry(MetadataSession session, RepositoryName source, RepositoryName target, Tag tag) {
        Optional<StoredManifest> attachment = session.manifestByTag(source, tag);
        if (attachment.isEmpty()) {
            return false;
        }
        StoredManifest stored = attachment.get();
        Manifest manifest = ManifestParser.parse(stored.content(), Optional.of(stored.mediaType()));
        if (manifest.kind().isIndex()) {
            return false;
        }
        boolean changed = false;
        for (Descriptor blob : manifest.requiredBlobs()) {
            if (session.linkedBlobSize(target, blob.digest()).isEmpty()) {
                session.linkBlob(target, blob.digest());
                changed = true;
            }
        }
        if (!session.manifestExists(target, stored.digest())) {
            session.putManifest(target, ManifestRecord.of(stored.digest(), manifest, stored.content()));
            changed = true;
        }
        Optional<Digest> before = session.setTag(target, tag, stored.digest());
        return changed || before.filter(stored.digest()::equals).isEmpty();
    }

    /**
     * Sends an attachment of the promoted manifest from {@code source} here to {@code target} of
     * another registry, after the promoted manifest: the blobs it lacks (mounted or uploaded, as
     * {@link RemoteRegistry#putBlob} does), then the attached manifest under the target's
     * {@code attachmentTag} ({@code sha256-<hex>.sig} or {@code .att}), unless that tag already
     * points at it.
     *
     * @param attachment the attached manifest, read here beforehand under {@code attachmentTag}
     * @return whether anything was sent
     */
    static boolean send(RemoteRegistry remote, BlobReader blobs, RepositoryName source, RepositoryName target,
                        Tag attachmentTag, StoredManifest attachment) {
        Manifest manifest = ManifestParser.parse(attachment.content(), Optional.of(attachment.mediaType()));
        if (manifest.kind().isIndex()) {
            return false;
        }
        String tag = attachmentTag.value();
        if (remote.manifestDigest(target, tag).filter(attachment.digest()::equals).isPresent()) {
            return false;
        }
        for (Descriptor blob : manifest.requiredBlobs()) {
            if (!remote.hasBlob(target, blob.digest())) {
                remote.putBlob(target, blob.digest(), blob.size(), source, () -> open(blobs, blob));
            }
        }
        remote.putManifest(target, tag, attachment.mediaType(), attachment.content(), attachment.digest());
        return true;
    }

    private static InputStream open(BlobReader blobs, Descriptor blob) {
        try {
            return blobs.open(blob.digest(), 0, blob.size());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read blob " + blob.digest(), e);
        }
    }
}
