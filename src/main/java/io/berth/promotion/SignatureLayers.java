package io.berth.promotion;

import io.berth.metadata.MetadataSession;
import io.berth.metadata.ReferrerRecord;
import io.berth.metadata.StoredManifest;
import io.berth.oci.Descriptor;
import io.berth.oci.Digest;
import io.berth.oci.Limits;
import io.berth.oci.Manifest;
import io.berth.oci.ManifestParser;
import io.berth.oci.RepositoryName;
import io.berth.storage.BlobReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds the sigstore "simple signing" signatures of a candidate, in the two places clients put
 * them: the layers of the manifest tagged {@code sha256-<hex>.sig} (cosign, skopeo with {@code
 * use-sigstore-attachments}), then the layers of referrers whose {@code subject} is the candidate
 * (OCI 1.1). A layer counts when its media type is {@value #SIMPLE_SIGNING_MEDIA_TYPE}; its blob is
 * the payload and its annotation {@value #SIGNATURE_ANNOTATION} the base64 signature of it.
 *
 * <p>What one candidate costs is bounded by {@link Limits#MAX_SIGNATURE_MANIFESTS},
 * {@link Limits#MAX_SIGNATURE_LAYERS} and {@link Limits#MAX_SIGNATURE_PAYLOAD_BYTES}: layers past
 * the limit are not read, payloads over it are not read.
 */
public final class SignatureLayers {
    /** The media type of a simple-signing payload layer. */
    public static final String SIMPLE_SIGNING_MEDIA_TYPE = "application/vnd.dev.cosign.simplesigning.v1+json";

    /** The layer annotation holding the base64 signature of the payload blob's bytes. */
    public static final String SIGNATURE_ANNOTATION = "dev.cosignproject.cosign/signature";

    /** The layer annotation of a keyless signature holding the PEM certificate Fulcio issued to the signer. */
    public static final String CERTIFICATE_ANNOTATION = "dev.sigstore.cosign/certificate";

    /** The layer annotation of a keyless signature holding the PEM certificates above the signer's. */
    public static final String CHAIN_ANNOTATION = "dev.sigstore.cosign/chain";

    /** The layer annotation holding the transparency log entry of the signature ({@link RekorEntry}). */
    public static final String BUNDLE_ANNOTATION = "dev.sigstore.cosign/bundle";

    private SignatureLayers() {
    }

    /** The simple-signing layers of {@code digest} in {@code repository}, payloads read, at most the limits. */
    public static List<SignatureLayer> read(MetadataSession session, BlobReader blobs, RepositoryName repository,
                                            Digest digest) {
        List<Found> manifests = new ArrayList<>();
        SignatureAttachments.find(session, repository, digest)
                .ifPresent(stored -> manifests.add(new Found("tag " + SignatureAttachments.tagOf(digest), stored)));
        for (ReferrerRecord referrer : session.referrers(repository, digest, Optional.empty())) {
            if (manifests.size() >= Limits.MAX_SIGNATURE_MANIFESTS) {
                break;
            }
            session.manifest(repository, referrer.digest())
                    .ifPresent(stored -> manifests.add(new Found("referrer " + stored.digest(), stored)));
        }
        List<SignatureLayer> layers = new ArrayList<>();
        for (Found found : manifests) {
            Manifest manifest = ManifestParser.parse(found.manifest().content(), Optional.of(found.manifest().mediaType()));
            for (Descriptor layer : manifest.layers()) {
                if (!layer.mediaType().equals(SIMPLE_SIGNING_MEDIA_TYPE)) {
                    continue;
                }
                if (layers.size() >= Limits.MAX_SIGNATURE_LAYERS) {
                    return List.copyOf(layers);
                }
                layers.add(new SignatureLayer(found.where(), layer, payload(blobs, layer)));
            }
        }
        return List.copyOf(layers);
    }

    /** A manifest that may hold signatures, and where it was found. */
    private record Found(String where, StoredManifest manifest) {
    }

    /** The payload blob's bytes, unless it is over the limit or missing. */
    private static Optional<byte[]> payload(BlobReader blobs, Descriptor layer) {
        if (layer.size() > Limits.MAX_SIGNATURE_PAYLOAD_BYTES) {
            return Optional.empty();
        }
        try (InputStream in = blobs.open(layer.digest(), 0, layer.size())) {
            return Optional.of(in.readNBytes(Limits.MAX_SIGNATURE_PAYLOAD_BYTES + 1));
        } catch (NoSuchFileException missing) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read signature payload " + layer.digest(), e);
        }
    }
}
