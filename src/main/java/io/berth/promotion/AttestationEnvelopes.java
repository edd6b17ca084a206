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
import io.berth.signing.Dsse;
import io.berth.storage.BlobReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds the in-toto attestations of a candidate, in the two places clients put them: the layers of
 * the manifest tagged {@code sha256-<hex>.att} ({@code cosign attest}), then the layers of referrers
 * whose {@code subject} is the candidate (OCI 1.1). A layer counts when its media type is
 * {@value Dsse#ENVELOPE_MEDIA_TYPE}; its blob is the envelope. cosign also annotates each layer with
 * the {@code predicateType}; that annotation is not signed and not read.
 *
 * <p>What one candidate costs is bounded by {@link Limits#MAX_ATTESTATION_MANIFESTS},
 * {@link Limits#MAX_ATTESTATION_LAYERS} and {@link Limits#MAX_ATTESTATION_ENVELOPE_BYTES}: layers past
 * the limit are not read, envelopes over it are not read.
 */
public final class AttestationEnvelopes {
    private AttestationEnvelopes() {
    }

    /** The envelope layers of {@code digest} in {@code repository}, envelopes read, at most the limits. */
    public static List<AttestationLayer> read(MetadataSession session, BlobReader blobs, RepositoryName repository,
                                              Digest digest) {
        List<Found> manifests = new ArrayList<>();
        SignatureAttachments.findAttestations(session, repository, digest).ifPresent(stored ->
                manifests.add(new Found("tag " + SignatureAttachments.attestationTagOf(digest), stored)));
        for (ReferrerRecord referrer : session.referrers(repository, digest, Optional.empty())) {
            if (manifests.size() >= Limits.MAX_ATTESTATION_MANIFESTS) {
                break;
            }
            session.manifest(repository, referrer.digest())
                    .ifPresent(stored -> manifests.add(new Found("referrer " + stored.digest(), stored)));
        }
        List<AttestationLayer> layers = new ArrayList<>();
        for (Found found : manifests) {
            Manifest manifest = ManifestParser.parse(found.manifest().content(), Optional.of(found.manifest().mediaType()));
            for (Descriptor layer : manifest.layers()) {
                if (!layer.mediaType().equals(Dsse.ENVELOPE_MEDIA_TYPE)) {
                    continue;
                }
                if (layers.size() >= Limits.MAX_ATTESTATION_LAYERS) {
                    return List.copyOf(layers);
                }
                layers.add(new AttestationLayer(found.where(), layer, envelope(blobs, layer)));
            }
        }
        return List.copyOf(layers);
    }

    /** A manifest that may hold attestations, and where it was found. */
    private record Found(String where, StoredManifest manifest) {
    }

    /** The envelope blob's bytes, unless it is over the limit or missing. */
    private static Optional<byte[]> envelope(BlobReader blobs, Descriptor layer) {
        if (layer.size() > Limits.MAX_ATTESTATION_ENVELOPE_BYTES) {
            return Optional.empty();
        }
        try (InputStream in = blobs.open(layer.digest(), 0, layer.size())) {
            return Optional.of(in.readNBytes(Limits.MAX_ATTESTATION_ENVELOPE_BYTES + 1));
        } catch (NoSuchFileException missing) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read attestation envelope " + layer.digest(), e);
        }
    }
}
