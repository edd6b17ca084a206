package io.berth.oci;

import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A content digest {@code algorithm ":" encoded} (OCI Image Spec, "Digests"), restricted to the
 * registered algorithms whose encoded part is lowercase hex of a fixed length.
 */
public record Digest(DigestAlgorithm algorithm, String encoded) implements Reference {
    /** The general grammar from the image spec, used to tell malformed from unsupported. */
    private static final Pattern GRAMMAR = Pattern.compile("[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+");

    public Digest {
        if (encoded.length() != algorithm.encodedLength() || !isLowerHex(encoded)) {
            throw RegistryException.of(ErrorCode.DIGEST_INVALID,
                    "a " + algorithm.identifier() + " digest needs " + algorithm.encodedLength() + " lowercase hex characters");
        }
    }

    /**
     * Parses {@code sha256:<64 hex>} or {@code sha512:<128 hex>}.
     *
     * @throws RegistryException {@code DIGEST_INVALID} (400) for any other string
     */
    public static Digest parse(String value) {
        // The common case, checked without the grammar's regular expression (manifests hold thousands).
        for (DigestAlgorithm algorithm : DigestAlgorithm.values()) {
            String identifier = algorithm.identifier();
            if (value != null && value.length() == identifier.length() + 1 + algorithm.encodedLength()
                    && value.startsWith(identifier) && value.charAt(identifier.length()) == ':'
                    && isLowerHex(value.substring(identifier.length() + 1))) {
                return new Digest(algorithm, value.substring(identifier.length() + 1));
            }
        }
        if (value == null || value.length() > 200 || !GRAMMAR.matcher(value).matches()) {
            throw RegistryException.of(ErrorCode.DIGEST_INVALID, "malformed digest");
        }
        int colon = value.indexOf(':');
        String identifier = value.substring(0, colon);
        DigestAlgorithm algorithm = DigestAlgorithm.fromIdentifier(identifier).orElseThrow(
                () -> RegistryException.of(ErrorCode.DIGEST_INVALID, "unsupported digest algorithm " + identifier));
        return new Digest(algorithm, value.substring(colon + 1));
    }

    /** The digest of {@code bytes} under {@code algorithm}. */
    public static Digest of(DigestAlgorithm algorithm, byte[] bytes) {
        return fromHash(algorithm, algorithm.newMessageDigest().digest(bytes));
    }

    /** Wraps a finished hash. */
    public static Digest fromHash(DigestAlgorithm algorithm, byte[] hash) {
        return new Digest(algorithm, HexFormat.of().formatHex(hash));
    }

    private static boolean isLowerHex(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return algorithm.identifier() + ":" + encoded;
    }
}
