package io.berth.promotion;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * A short-lived certificate Fulcio issues to an OIDC identity (sigstore's Fulcio, {@code
 * docs/oid-info.md}): the identity is the subject alternative name (an email address or a URI),
 * the OIDC issuer that vouched for it is an extension, and the extended key usage is code signing.
 *
 * @param certificate the X.509 certificate
 */
public record FulcioCertificate(X509Certificate certificate) {
    /** The OIDC issuer, a DER UTF8String (Fulcio since 2022). */
    static final String ISSUER_OID = "1.3.6.1.4.1.57264.1.8";

    /** The OIDC issuer as raw UTF-8 bytes, as older Fulcio certificates carry it. */
    static final String LEGACY_ISSUER_OID = "1.3.6.1.4.1.57264.1.1";

    /** id-kp-codeSigning (RFC 5280 section 4.2.1.12). */
    static final String CODE_SIGNING_OID = "1.3.6.1.5.5.7.3.3";

    private static final int RFC822_NAME = 1;
    private static final int URI_NAME = 6;
    private static final int DER_OCTET_STRING = 0x04;
    private static final int DER_UTF8_STRING = 0x0C;

    public FulcioCertificate {
        if (certificate == null) {
            throw new IllegalArgumentException("a Fulcio certificate needs a certificate");
        }
    }

    /**
     * The certificates of the {@code -----BEGIN CERTIFICATE-----} blocks in {@code pem}, in order.
     *
     * @throws IllegalArgumentException when the text holds no certificate or one that does not parse
     */
    public static List<X509Certificate> parsePem(String pem) {
        if (!pem.contains("-----BEGIN CERTIFICATE-----")) {
            throw new IllegalArgumentException("holds no -----BEGIN CERTIFICATE----- block");
        }
        try {
            Collection<? extends java.security.cert.Certificate> parsed = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
            List<X509Certificate> certificates = new ArrayList<>();
            for (java.security.cert.Certificate each : parsed) {
                certificates.add((X509Certificate) each);
            }
            if (certificates.isEmpty()) {
                throw new IllegalArgumentException("holds no certificate");
            }
            return List.copyOf(certificates);
        } catch (CertificateException e) {
            throw new IllegalArgumentException("holds a certificate that does not parse: " + e.getMessage(), e);
        }
    }

    /** The one certificate in {@code pem}. */
    public static FulcioCertificate fromPem(String pem) {
        List<X509Certificate> certificates = parsePem(pem);
        if (certificates.size() != 1) {
            throw new IllegalArgumentException("holds " + certificates.size() + " certificates, not one");
        }
        return new FulcioCertificate(certificates.getFirst());
    }

    /** The email addresses and URIs among the subject alternative names: the signer's identity. */
    public List<String> subjects() {
        try {
            Collection<List<?>> names = certificate.getSubjectAlternativeNames();
            if (names == null) {
                return List.of();
            }
            List<String> subjects = new ArrayList<>();
            for (List<?> name : names) {
                if (name.get(0) instanceof Integer type && (type == RFC822_NAME || type == URI_NAME)
                        && name.get(1) instanceof String value) {
                    subjects.add(value);
                }
            }
            return List.copyOf(subjects);
        } catch (CertificateParsingException unreadable) {
            return List.of();
        }
    }

    /** The OIDC issuer that vouched for the subject, from the current extension or else the legacy one. */
    public Optional<String> issuer() {
        Optional<byte[]> current = extension(ISSUER_OID).flatMap(value -> derContents(value, DER_UTF8_STRING));
        if (current.isPresent()) {
            return current.map(bytes -> new String(bytes, StandardCharsets.UTF_8));
        }
        return extension(LEGACY_ISSUER_OID).map(bytes -> new String(bytes, StandardCharsets.UTF_8));
    }

    /** Whether the extended key usage allows code signing. */
    public boolean forCodeSigning() {
        try {
            List<String> usages = certificate.getExtendedKeyUsage();
            return usages != null && usages.contains(CODE_SIGNING_OID);
        } catch (CertificateParsingException unreadable) {
            return false;
        }
    }

    /** Whether {@code instant} lies within the certificate's validity, both ends included. */
    public boolean validAt(Instant instant) {
        return !instant.isBefore(certificate.getNotBefore().toInstant()) && !instant.isAfter(certificate.getNotAfter().toInstant());
    }

    /** Whether {@code signature} is the signature of {@code signed} by the certificate's key. */
    public boolean verifies(byte[] signed, byte[] signature) {
        try {
            return new SigningKey("certificate", certificate.getPublicKey()).verifies(signed, signature);
        } catch (IllegalArgumentException unsupportedKey) {
            return false;
        }
    }

    /** The value of the extension {@code oid}: what its DER OCTET STRING wraps. */
    private Optional<byte[]> extension(String oid) {
        byte[] encoded = certificate.getExtensionValue(oid);
        return encoded == null ? Optional.empty() : derContents(encoded, DER_OCTET_STRING);
    }

    /**
     * The contents of {@code der} when it is exactly one DER element with {@code tag} (X.690
     * section 8.1: tag, definite length in short or long form, contents).
     */
    static Optional<byte[]> derContents(byte[] der, int tag) {
        if (der.length < 2 || (der[0] & 0xFF) != tag) {
            return Optional.empty();
        }
        int first = der[1] & 0xFF;
        int offset = 2;
        long length;
        if (first < 0x80) {
            length = first;
        } else {
            int octets = first & 0x7F;
            if (octets == 0 || octets > 4 || der.length < offset + octets) {
                return Optional.empty();
            }
            length = 0;
            for (int i = 0; i < octets; i++) {
                length = (length << 8) | (der[offset++] & 0xFF);
            }
        }
        if (length != der.length - offset) {
            return Optional.empty();
        }
        return Optional.of(Arrays.copyOfRange(der, offset, der.length));
    }
}
