package io.berth.promotion;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.oci.Digest;
import io.berth.oci.DigestAlgorithm;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Whether a transparency log entry's {@code spec} records one signature, by one certificate, of
 * one content, for the entry kinds cosign logs:
 * <ul>
 *   <li>{@code hashedrekord} (a signature, {@code cosign sign}): {@code spec.signature.content},
 *       {@code spec.signature.publicKey.content} (base64 PEM), {@code spec.data.hash} of the payload;</li>
 *   <li>{@code intoto} v0.0.2 (an attestation, {@code cosign attest}): {@code
 *       spec.content.envelope.signatures[]} with {@code sig} and {@code publicKey}, and {@code
 *       spec.content.payloadHash} of the statement;</li>
 *   <li>{@code dsse} v0.0.1 (an attestation, newer clients): {@code spec.signatures[]} with {@code
 *       signature} and {@code verifier}, and {@code spec.payloadHash} of the statement.</li>
 * </ul>
 * The {@code intoto} kind stores the envelope's values base64-encoded once more; both encodings are
 * accepted, as the decoded bytes must equal the signature and certificate either way.
 */
final class LoggedContent {
    static final String HASHED_REKORD = "hashedrekord";
    static final String IN_TOTO = "intoto";
    static final String DSSE = "dsse";

    private LoggedContent() {
    }

    /** Why {@code spec} of kind {@code kind} does not record {@code signature} of {@code content} by {@code certificate}. */
    static Optional<String> mismatch(String kind, JsonNode spec, byte[] signature, X509Certificate certificate,
                                     SignedContent content) {
        return switch (content) {
            case SignedContent.SimpleSigning simple -> kind.equals(HASHED_REKORD)
                    ? hashedRekord(spec, signature, certificate, simple.payload())
                    : Optional.of("transparency log entry of kind '" + kind + "', not " + HASHED_REKORD);
            case SignedContent.Envelope envelope -> switch (kind) {
                case IN_TOTO -> signedBy(spec.path("content").path("envelope").path("signatures"), "sig", "publicKey",
                        signature, certificate)
                        .or(() -> payloadHash(spec.path("content").path("payloadHash"), envelope.payload()));
                case DSSE -> signedBy(spec.path("signatures"), "signature", "verifier", signature, certificate)
                        .or(() -> payloadHash(spec.path("payloadHash"), envelope.payload()));
                default -> Optional.of("transparency log entry of kind '" + kind + "', not " + IN_TOTO + " or " + DSSE);
            };
        };
    }

    private static Optional<String> hashedRekord(JsonNode spec, byte[] signature, X509Certificate certificate, byte[] payload) {
        byte[] logged = base64(spec.path("signature").path("content"));
        if (logged.length == 0 || !Arrays.equals(logged, signature)) {
            return Optional.of("transparency log entry does not name this signature");
        }
        if (!namesCertificate(base64(spec.path("signature").path("publicKey").path("content")), certificate)) {
            return Optional.of("transparency log entry does not name this certificate");
        }
        return payloadHash(spec.path("data").path("hash"), payload);
    }

    /** Why none of {@code signatures} is {@code signature} by {@code certificate}. */
    private static Optional<String> signedBy(JsonNode signatures, String signatureField, String keyField,
                                             byte[] signature, X509Certificate certificate) {
        boolean namedSignature = false;
        for (JsonNode logged : signatures) {
            if (!decodesTo(logged.path(signatureField), signature)) {
                continue;
            }
            namedSignature = true;
            byte[] key = base64(logged.path(keyField));
            if (namesCertificate(key, certificate) || namesCertificate(base64(key), certificate)) {
                return Optional.empty();
            }
        }
        return Optional.of(namedSignature ? "transparency log entry does not name this certificate"
                : "transparency log entry does not name this signature");
    }

    private static Optional<String> payloadHash(JsonNode hash, byte[] payload) {
        String expected = Digest.of(DigestAlgorithm.SHA256, payload).encoded();
        if (!text(hash.path("algorithm")).equals("sha256") || !text(hash.path("value")).equals(expected)) {
            return Optional.of("transparency log entry does not name this payload");
        }
        return Optional.empty();
    }

    /** Whether the base64 text {@code node}, decoded once or twice, is {@code bytes}. */
    private static boolean decodesTo(JsonNode node, byte[] bytes) {
        byte[] once = base64(node);
        return once.length > 0 && (Arrays.equals(once, bytes) || Arrays.equals(base64(once), bytes));
    }

    private static boolean namesCertificate(byte[] pem, X509Certificate certificate) {
        if (pem.length == 0) {
            return false;
        }
        try {
            List<X509Certificate> logged = FulcioCertificate.parsePem(new String(pem, StandardCharsets.US_ASCII));
            return logged.size() == 1 && Arrays.equals(logged.getFirst().getEncoded(), certificate.getEncoded());
        } catch (IllegalArgumentException | CertificateEncodingException unreadable) {
            return false;
        }
    }

    /** The bytes of a base64 text node, none when it is no such thing. */
    private static byte[] base64(JsonNode node) {
        return node.isTextual() ? base64(node.textValue().getBytes(StandardCharsets.US_ASCII)) : new byte[0];
    }

    private static byte[] base64(byte[] text) {
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException notBase64) {
            return new byte[0];
        }
    }

    private static String text(JsonNode node) {
        return node.isTextual() ? node.textValue() : "";
    }
}
