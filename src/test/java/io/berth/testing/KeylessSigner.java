package io.berth.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.oci.Digest;
import io.berth.oci.DigestAlgorithm;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Signs images as {@code cosign sign} does without a key, playing both sigstore services with keys
 * made for the test: a Fulcio (a root CA, an intermediate, and for each signature a fresh key and a
 * ten-minute code-signing certificate naming the signer's email address and OIDC issuer) and a
 * Rekor (a {@code hashedrekord} entry of the signature, and the log's signed entry timestamp over
 * the canonical JSON of the entry's payload). A signature is a {@link SimpleSigner.Signed} whose
 * layer annotations carry the certificate, the chain and the bundle, as cosign writes them.
 */
public final class KeylessSigner {
    public static final String CERTIFICATE_ANNOTATION = "dev.sigstore.cosign/certificate";
    public static final String CHAIN_ANNOTATION = "dev.sigstore.cosign/chain";
    public static final String BUNDLE_ANNOTATION = "dev.sigstore.cosign/bundle";

    /** When certificates are issued unless a test says otherwise. */
    public static final Instant ISSUED = Instant.parse("2026-11-02T09:00:00Z");

    private static final String ISSUER_OID = "1.3.6.1.4.1.57264.1.8";
    private static final String LEGACY_ISSUER_OID = "1.3.6.1.4.1.57264.1.1";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper CANONICAL = new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final X509Certificate root;
    private final KeyPair intermediateKeys;
    private final X509Certificate intermediate;
    private final KeyPair rekorKeys;
    private long logIndex = 100_000;

    private KeylessSigner(X509Certificate root, KeyPair intermediateKeys, X509Certificate intermediate,
                          KeyPair rekorKeys) {
        this.root = root;
        this.intermediateKeys = intermediateKeys;
        this.intermediate = intermediate;
        this.rekorKeys = rekorKeys;
    }

    /** A Fulcio whose root and intermediate are valid for years around {@link #ISSUED}, and a Rekor. */
    public static KeylessSigner generate() {
        try {
            KeyPair rootKeys = ecKeys();
            X500Name rootName = new X500Name("O=sigstore.test, CN=test fulcio root");
            X509Certificate root = sign(authority(rootName, rootName, rootKeys.getPublic(), 1), rootKeys.getPrivate());
            KeyPair intermediateKeys = ecKeys();
            X509Certificate intermediate = sign(authority(rootName, new X500Name("O=sigstore.test, CN=test fulcio intermediate"),
                    intermediateKeys.getPublic(), 0), rootKeys.getPrivate());
            return new KeylessSigner(root, intermediateKeys, intermediate, ecKeys());
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The root CA certificate, as PEM: what {@code fulcio-roots} names. */
    public String fulcioRootPem() {
        return TestCertificates.pem(root);
    }

    /** The intermediate CA certificate that issues the leaves, as PEM. */
    public String fulcioIntermediatePem() {
        return TestCertificates.pem(intermediate);
    }

    /** The transparency log's public key, as PEM: what {@code rekor-keys} names. */
    public String rekorPublicKeyPem() {
        return TestCertificates.pem(rekorKeys.getPublic());
    }

    /** A keyless signature of {@code payload} by {@code subject}, vouched for by the OIDC {@code issuer}. */
    public SimpleSigner.Signed sign(byte[] payload, String subject, String issuer) {
        return signing(payload, subject, issuer).sign();
    }

    /** A keyless signature of {@code payload} to be made with changes a test asks for. */
    public Signing signing(byte[] payload, String subject, String issuer) {
        return new Signing(payload, subject, issuer);
    }

    /** One signature being made: by default as Fulcio, Rekor and cosign would make it. */
    public final class Signing {
        private final byte[] payload;
        private final String subject;
        private final String issuer;
        private Instant issuedAt = ISSUED;
        private Duration loggedAfter = Duration.ofMinutes(1);
        private boolean legacyIssuer;
        private boolean codeSigning = true;
        private Optional<byte[]> loggedPayload = Optional.empty();
        private Optional<PrivateKey> logKey = Optional.empty();

        private Signing(byte[] payload, String subject, String issuer) {
            this.payload = payload.clone();
            this.subject = subject;
            this.issuer = issuer;
        }

        /** The transparency log takes the entry {@code delay} after the certificate is issued (default a minute). */
        public Signing loggedAfter(Duration delay) {
            this.loggedAfter = delay;
            return this;
        }

        /** The issuer goes in the legacy extension, as raw UTF-8, as Fulcio wrote it before 2022. */
        public Signing legacyIssuer() {
            this.legacyIssuer = true;
            return this;
        }

        /** The certificate's extended key usage is TLS client authentication, not code signing. */
        public Signing notForCodeSigning() {
            this.codeSigning = false;
            return this;
        }

        /** The log entry records a signature of {@code other} instead, made with the same certificate. */
        public Signing loggingSignatureOf(byte[] other) {
            this.loggedPayload = Optional.of(other.clone());
            return this;
        }

        /** The signed entry timestamp is made with {@code key}, not this Rekor's. */
        public Signing logSignedWith(PrivateKey key) {
            this.logKey = Optional.of(key);
            return this;
        }

        public SimpleSigner.Signed sign() {
            try {
                KeyPair ephemeral = ecKeys();
                X509Certificate leaf = leaf(ephemeral.getPublic(), this);
                byte[] signature = ecdsa(ephemeral.getPrivate(), payload);
                byte[] logged = loggedPayload.map(other -> ecdsa(ephemeral.getPrivate(), other)).orElse(signature);
                String bundle = bundle(hashedRekord(logged, leaf, loggedPayload.orElse(payload)),
                        issuedAt.plus(loggedAfter), logKey.orElse(rekorKeys.getPrivate()));
                Map<String, String> annotations = new LinkedHashMap<>();
                annotations.put(CERTIFICATE_ANNOTATION, TestCertificates.pem(leaf));
                annotations.put(CHAIN_ANNOTATION, TestCertificates.pem(intermediate) + TestCertificates.pem(root));
                annotations.put(BUNDLE_ANNOTATION, bundle);
                return new SimpleSigner.Signed(payload, Base64.getEncoder().encodeToString(signature), annotations);
            } catch (GeneralSecurityException | CertIOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** A keyless attestation as {@code cosign attest} writes it: the DSSE envelope, and the layer's annotations. */
    public record Attestation(byte[] envelope, Map<String, String> annotations) {
    }

    /**
     * A keyless in-toto attestation of {@code statement} by {@code subject} from {@code issuer}, logged
     * as an entry of {@code kind} ({@code intoto} v0.0.2, as cosign attest writes it, or {@code dsse}
     * v0.0.1) naming the hash of {@code loggedStatement}.
     */
    public Attestation attest(byte[] statement, String subject, String issuer, String kind, byte[] loggedStatement) {
        try {
            KeyPair ephemeral = ecKeys();
            X509Certificate leaf = leaf(ephemeral.getPublic(), signing(statement, subject, issuer));
            String payloadType = "application/vnd.in-toto+json";
            byte[] signature = ecdsa(ephemeral.getPrivate(), InTotoAttester.preAuthenticationEncoding(payloadType, statement));
            String sig = Base64.getEncoder().encodeToString(signature);
            byte[] envelope = InTotoAttester.envelope(payloadType, statement, List.of(sig));
            String pem = Base64.getEncoder().encodeToString(TestCertificates.pem(leaf).getBytes(StandardCharsets.US_ASCII));
            String payloadHash = Digest.of(DigestAlgorithm.SHA256, loggedStatement).encoded();
            ObjectNode entry = JSON.createObjectNode();
            if (kind.equals("intoto")) {
                entry.put("apiVersion", "0.0.2").put("kind", "intoto");
                ObjectNode content = entry.putObject("spec").putObject("content");
                ObjectNode logged = content.putObject("envelope").put("payloadType", payloadType);
                logged.putArray("signatures").addObject()
                        .put("sig", Base64.getEncoder().encodeToString(sig.getBytes(StandardCharsets.US_ASCII)))
                        .put("publicKey", Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.US_ASCII)));
                content.putObject("hash").put("algorithm", "sha256").put("value", Digest.of(DigestAlgorithm.SHA256, envelope).encoded());
                content.putObject("payloadHash").put("algorithm", "sha256").put("value", payloadHash);
            } else {
                entry.put("apiVersion", "0.0.1").put("kind", kind);
                ObjectNode spec = entry.putObject("spec");
                spec.putObject("envelopeHash").put("algorithm", "sha256").put("value", Digest.of(DigestAlgorithm.SHA256, envelope).encoded());
                spec.putObject("payloadHash").put("algorithm", "sha256").put("value", payloadHash);
                spec.putArray("signatures").addObject().put("signature", sig).put("verifier", pem);
            }
            String body = Base64.getEncoder().encodeToString(JSON.writeValueAsBytes(entry));
            Map<String, String> annotations = new LinkedHashMap<>();
            annotations.put("predicateType", "https://berth.dev/test-result/v1");
            annotations.put(SimpleSigner.SIGNATURE_ANNOTATION, "");
            annotations.put(CERTIFICATE_ANNOTATION, TestCertificates.pem(leaf));
            annotations.put(CHAIN_ANNOTATION, TestCertificates.pem(intermediate) + TestCertificates.pem(root));
            annotations.put(BUNDLE_ANNOTATION, bundle(body, ISSUED.plus(Duration.ofMinutes(1)), rekorKeys.getPrivate()));
            return new Attestation(envelope, annotations);
        } catch (GeneralSecurityException | CertIOException | JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A leaf as Fulcio issues it: empty subject, the identity in a critical SAN, valid ten minutes. */
    private X509Certificate leaf(PublicKey key, Signing signing) throws GeneralSecurityException, CertIOException {
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                X500Name.getInstance(intermediate.getSubjectX500Principal().getEncoded()), new BigInteger(128, RANDOM),
                Date.from(signing.issuedAt), Date.from(signing.issuedAt.plus(Duration.ofMinutes(10))), new X500Name(new RDN[0]), key)
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                .addExtension(Extension.extendedKeyUsage, false,
                        new ExtendedKeyUsage(signing.codeSigning ? KeyPurposeId.id_kp_codeSigning : KeyPurposeId.id_kp_clientAuth))
                .addExtension(Extension.subjectAlternativeName, true, new GeneralNames(subjectName(signing.subject)));
        if (signing.legacyIssuer) {
            builder.addExtension(new ASN1ObjectIdentifier(LEGACY_ISSUER_OID), false,
                    signing.issuer.getBytes(StandardCharsets.UTF_8));
        } else {
            builder.addExtension(new ASN1ObjectIdentifier(ISSUER_OID), false, new DERUTF8String(signing.issuer));
        }
        return sign(builder, intermediateKeys.getPrivate());
    }

    private static GeneralName subjectName(String subject) {
        return subject.contains("://") ? new GeneralName(GeneralName.uniformResourceIdentifier, subject)
                : new GeneralName(GeneralName.rfc822Name, subject);
    }

    /** The base64 {@code hashedrekord} entry of {@code signature} of {@code payload} by {@code leaf}. */
    private static String hashedRekord(byte[] signature, X509Certificate leaf, byte[] payload) {
        ObjectNode entry = JSON.createObjectNode();
        entry.put("apiVersion", "0.0.1");
        entry.put("kind", "hashedrekord");
        ObjectNode spec = entry.putObject("spec");
        ObjectNode hash = spec.putObject("data").putObject("hash");
        hash.put("algorithm", "sha256");
        hash.put("value", Digest.of(DigestAlgorithm.SHA256, payload).encoded());
        ObjectNode signed = spec.putObject("signature");
        signed.put("content", Base64.getEncoder().encodeToString(signature));
        signed.putObject("publicKey").put("content",
                Base64.getEncoder().encodeToString(TestCertificates.pem(leaf).getBytes(StandardCharsets.US_ASCII)));
        try {
            return Base64.getEncoder().encodeToString(JSON.writeValueAsBytes(entry));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The bundle of the entry {@code body}, integrated at {@code integrated}, its payload signed by {@code logKey}. */
    private String bundle(String body, Instant integrated, PrivateKey logKey) throws GeneralSecurityException {
        Map<String, Object> payload = new TreeMap<>();
        payload.put("body", body);
        payload.put("integratedTime", integrated.getEpochSecond());
        payload.put("logIndex", logIndex++);
        payload.put("logID", HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(rekorKeys.getPublic().getEncoded())));
        try {
            byte[] canonical = CANONICAL.writeValueAsBytes(payload);
            Map<String, Object> bundle = new LinkedHashMap<>();
            bundle.put("SignedEntryTimestamp", Base64.getEncoder().encodeToString(ecdsa(logKey, canonical)));
            bundle.put("Payload", payload);
            return JSON.writeValueAsString(bundle);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509v3CertificateBuilder authority(X500Name issuer, X500Name subject, PublicKey key, int pathLength)
            throws CertIOException {
        Instant from = ISSUED.minus(Duration.ofDays(365));
        return new JcaX509v3CertificateBuilder(issuer, new BigInteger(128, RANDOM), Date.from(from),
                Date.from(from.plus(Duration.ofDays(3650))), subject, key)
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(pathLength))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key) throws GeneralSecurityException {
        try {
            return new JcaX509CertificateConverter().getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key)));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    private static byte[] ecdsa(PrivateKey key, byte[] data) {
        try {
            Signature signature = Signature.getInstance("SHA256withECDSA");
            signature.initSign(key);
            signature.update(data);
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A fresh ECDSA P-256 key pair, as cosign makes for each keyless signature. */
    public static KeyPair ecKeys() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
