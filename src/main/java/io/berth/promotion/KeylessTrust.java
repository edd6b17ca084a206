package io.berth.promotion;

import io.berth.oci.Limits;
import io.berth.promotion.Signers.Trusted;
import io.berth.promotion.Signers.Untrusted;
import io.berth.promotion.Signers.Verdict;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import javax.security.auth.x500.X500Principal;

/**
 * The trust root of keyless (sigstore) signatures, verified offline: a signature counts when the
 * certificate in its layer chains to one of {@code fulcioRoots} at the time the transparency log
 * took the entry, is for code signing and names one of {@code identities}; the signature verifies
 * with the certificate's key; and the log entry in the layer's bundle is signed by one of {@code
 * rekorKeys}, was taken while the certificate was valid (Fulcio's certificates live ten minutes),
 * and records this signature, certificate and payload.
 *
 * @param fulcioRoots the CA certificates trusted as anchors (roots; an intermediate given here is an anchor too)
 * @param rekorKeys   the transparency logs' public keys (ECDSA)
 * @param identities  the identities whose signatures count
 */
public record KeylessTrust(List<X509Certificate> fulcioRoots, List<SigningKey> rekorKeys, List<KeylessIdentity> identities) {

    public KeylessTrust {
        fulcioRoots = List.copyOf(fulcioRoots);
        rekorKeys = List.copyOf(rekorKeys);
        identities = List.copyOf(identities);
        if (fulcioRoots.isEmpty() || rekorKeys.isEmpty() || identities.isEmpty()) {
            throw new IllegalArgumentException("keyless signatures need a Fulcio root, a Rekor key and an identity");
        }
        for (SigningKey key : rekorKeys) {
            if (!(key.key() instanceof ECPublicKey)) {
                throw new IllegalArgumentException("Rekor key " + key.name() + " is not an ECDSA key");
            }
        }
    }

    /** Who made {@code signature} over {@code content}, by the keyless signature layer's {@code annotations}. */
    Verdict verify(SignedContent content, byte[] signature, Map<String, String> annotations) {
        Optional<String> oversized = oversized(annotations);
        if (oversized.isPresent()) {
            return new Untrusted(oversized.get());
        }
        String bundle = annotations.getOrDefault(SignatureLayers.BUNDLE_ANNOTATION, "");
        if (bundle.isEmpty()) {
            return new Untrusted("keyless signature without a transparency log bundle");
        }
        FulcioCertificate leaf;
        List<X509Certificate> chain;
        RekorEntry entry;
        try {
            leaf = FulcioCertificate.fromPem(annotations.get(SignatureLayers.CERTIFICATE_ANNOTATION));
        } catch (IllegalArgumentException e) {
            return new Untrusted("certificate annotation " + e.getMessage());
        }
        try {
            String chainPem = annotations.getOrDefault(SignatureLayers.CHAIN_ANNOTATION, "");
            chain = chainPem.isEmpty() ? List.of() : FulcioCertificate.parsePem(chainPem);
        } catch (IllegalArgumentException e) {
            return new Untrusted("certificate chain annotation " + e.getMessage());
        }
        try {
            entry = RekorEntry.fromBundle(bundle);
        } catch (IllegalArgumentException e) {
            return new Untrusted("transparency log " + e.getMessage());
        }
        if (entry.signedBy(rekorKeys).isEmpty()) {
            return new Untrusted("transparency log entry not signed by a configured Rekor key");
        }
        Instant signedAt = entry.integratedAt();
        if (!leaf.validAt(signedAt)) {
            return new Untrusted("signed at " + signedAt + ", outside the certificate's validity ("
                    + leaf.certificate().getNotBefore().toInstant() + " to " + leaf.certificate().getNotAfter().toInstant() + ")");
        }
        if (!chainsToRoot(leaf.certificate(), chain, signedAt)) {
            return new Untrusted("certificate does not chain to a configured Fulcio root");
        }
        if (!leaf.forCodeSigning()) {
            return new Untrusted("certificate is not for code signing");
        }
        List<String> subjects = leaf.subjects();
        Optional<String> issuer = leaf.issuer();
        Optional<KeylessIdentity> identity = identities.stream()
                .filter(candidate -> issuer.isPresent() && candidate.matches(subjects, issuer.get())).findFirst();
        if (identity.isEmpty()) {
            return new Untrusted("certificate for " + (subjects.isEmpty() ? "no email or URI" : String.join(", ", subjects))
                    + " from " + issuer.orElse("no issuer") + " matches no identity");
        }
        if (!leaf.verifies(content.signedBytes(), signature)) {
            return new Untrusted("signature does not verify with the certificate's key");
        }
        Optional<String> mismatch = entry.mismatch(signature, leaf.certificate(), content);
        if (mismatch.isPresent()) {
            return new Untrusted(mismatch.get());
        }
        return new Trusted(new Signer(identity.get().describe() + ", keyless", identity.get().owner()));
    }

    /** Why an annotation is over its limit ({@link Limits}), if one is. */
    private static Optional<String> oversized(Map<String, String> annotations) {
        for (var limit : List.of(
                Map.entry(SignatureLayers.CERTIFICATE_ANNOTATION, Limits.MAX_SIGNATURE_CERTIFICATE_BYTES),
                Map.entry(SignatureLayers.CHAIN_ANNOTATION, Limits.MAX_SIGNATURE_CHAIN_BYTES),
                Map.entry(SignatureLayers.BUNDLE_ANNOTATION, Limits.MAX_SIGNATURE_BUNDLE_BYTES))) {
            int bytes = annotations.getOrDefault(limit.getKey(), "").getBytes(StandardCharsets.UTF_8).length;
            if (bytes > limit.getValue()) {
                return Optional.of(limit.getKey() + " annotation of " + bytes + " bytes is over the limit of " + limit.getValue());
            }
        }
        return Optional.empty();
    }

    /**
     * Whether {@code leaf} chains to a Fulcio root at {@code when}, through certificates of {@code
     * chain}: the path is built by issuer names, then validated (PKIX, RFC 5280 section 6, without
     * revocation, which short-lived certificates do not publish).
     */
    private boolean chainsToRoot(X509Certificate leaf, List<X509Certificate> chain, Instant when) {
        Set<X500Principal> anchorNames = fulcioRoots.stream()
                .map(X509Certificate::getSubjectX500Principal).collect(Collectors.toSet());
        List<X509Certificate> path = new ArrayList<>(List.of(leaf));
        X509Certificate current = leaf;
        while (!anchorNames.contains(current.getIssuerX500Principal())) {
            X509Certificate issuer = null;
            for (X509Certificate candidate : chain) {
                if (!path.contains(candidate) && candidate.getSubjectX500Principal().equals(current.getIssuerX500Principal())) {
                    issuer = candidate;
                    break;
                }
            }
            if (issuer == null) {
                return false;
            }
            path.add(issuer);
            current = issuer;
        }
        try {
            PKIXParameters parameters = new PKIXParameters(fulcioRoots.stream()
                    .map(root -> new TrustAnchor(root, null)).collect(Collectors.toSet()));
            parameters.setRevocationEnabled(false);
            parameters.setDate(Date.from(when));
            CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509").generateCertPath(path), parameters);
            return true;
        } catch (CertPathValidatorException invalid) {
            return false;
        } catch (InvalidAlgorithmParameterException e) {
            throw new IllegalStateException("cannot use the Fulcio roots as trust anchors", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot validate a certificate path", e);
        }
    }
}
