package io.berth.oci;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * The registered digest algorithms of the OCI Image Spec ("Digests", registered algorithms) that
 * Berth verifies content with.
 */
public enum DigestAlgorithm {
    SHA256("sha256", "SHA-256", 64),
    SHA512("sha512", "SHA-512", 128);

    private final String identifier;
    private final String jcaName;
    private final int encodedLength;

    DigestAlgorithm(String identifier, String jcaName, int encodedLength) {
        this.identifier = identifier;
        this.jcaName = jcaName;
        this.encodedLength = encodedLength;
    }

    /** The algorithm component as written in a digest string, e.g. {@code sha256}. */
    public String identifier() {
        return identifier;
    }

    /** Number of lowercase hex characters in the encoded part. */
    public int encodedLength() {
        return encodedLength;
    }

    /** A fresh hasher; the JDK's SHA-2 implementations use CPU intrinsics where available. */
    public MessageDigest newMessageDigest() {
        try {
            return MessageDigest.getInstance(jcaName);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks " + jcaName, e);
        }
    }

    public static Optional<DigestAlgorithm> fromIdentifier(String identifier) {
        for (DigestAlgorithm algorithm : values()) {
            if (algorithm.identifier.equals(identifier)) {
                return Optional.of(algorithm);
            }
        }
        return Optional.empty();
    }
}
