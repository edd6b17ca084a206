package io.berth.testing;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * A throwaway certificate authority for tests, the server certificates it issues for
 * {@code localhost} and {@code 127.0.0.1}, and the PEM files and client TLS contexts that go with
 * them. Every certificate gets a fresh random serial number, so a test can tell which one a server
 * presents.
 */
public final class TestCertificates {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final JcaX509CertificateConverter CONVERTER = new JcaX509CertificateConverter();

    /** The algorithm of a server certificate's key. */
    public enum KeyType {
        /** RSA 2048, signed with SHA256withRSA by TLS. */
        RSA,
        /** ECDSA over P-256. */
        EC
    }

    /** How a private key is written to its PEM file. */
    public enum KeyFormat {
        /** {@code PRIVATE KEY}: PKCS#8, for either key type. */
        PKCS8,
        /** {@code RSA PRIVATE KEY} (PKCS#1) or {@code EC PRIVATE KEY} (SEC1), as OpenSSL's older tools write them. */
        TRADITIONAL,
        /** {@code ENCRYPTED PRIVATE KEY}: PKCS#8 encrypted with a password. */
        ENCRYPTED_PKCS8
    }

    private final KeyPair authorityKeys;
    private final X509Certificate authority;

    private TestCertificates(KeyPair authorityKeys, X509Certificate authority) {
        this.authorityKeys = authorityKeys;
        this.authority = authority;
    }

    /** A new self-signed certificate authority with an EC P-256 key, valid for a day. */
    public static TestCertificates newAuthority() {
        KeyPair keys = generate(KeyType.EC);
        X500Name name = new X500Name("CN=Berth Test CA " + serialNumber().toString(16));
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = builder(name, name, keys)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            extensions.createSubjectKeyIdentifier(keys.getPublic()));
            return new TestCertificates(keys, sign(builder, keys.getPrivate()));
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("cannot create a test certificate authority", e);
        }
    }

    /** The authority's own certificate, which clients are told to trust. */
    public X509Certificate authority() {
        return authority;
    }

    /**
     * A server certificate for DNS name {@code localhost} and IP address {@code 127.0.0.1},
     * signed by this authority, valid for a day, with a new key of {@code type}.
     */
    public IssuedCertificate issueServerCertificate(KeyType type) {
        Instant now = Instant.now();
        return issueServerCertificate(type, now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(1)));
    }

    /** As {@link #issueServerCertificate(KeyType)}, valid from {@code notBefore} to {@code notAfter}: expired, or not valid yet. */
    public IssuedCertificate issueServerCertificate(KeyType type, Instant notBefore, Instant notAfter) {
        KeyPair keys = generate(type);
        int usage = type == KeyType.RSA ? KeyUsage.digitalSignature | KeyUsage.keyEncipherment : KeyUsage.digitalSignature;
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            GeneralNames names = new GeneralNames(new GeneralName[]{
                    new GeneralName(GeneralName.dNSName, "localhost"),
                    new GeneralName(GeneralName.iPAddress, "127.0.0.1")});
            X509v3CertificateBuilder builder = builder(X500Name.getInstance(authority.getSubjectX500Principal().getEncoded()),
                    new X500Name("CN=localhost"), keys, notBefore, notAfter)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(usage))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                    .addExtension(Extension.subjectAlternativeName, false, names)
                    .addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(keys.getPublic()))
                    .addExtension(Extension.authorityKeyIdentifier, false, extensions.createAuthorityKeyIdentifier(authority));
            return new IssuedCertificate(sign(builder, authorityKeys.getPrivate()), keys.getPrivate(), authority);
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("cannot issue a test server certificate", e);
        }
    }

    /** A client TLS context that trusts this authority and nothing else. */
    public SSLContext clientContext() {
        try {
            KeyStore trusted = KeyStore.getInstance("PKCS12");
            trusted.load(null, null);
            trusted.setCertificateEntry("authority", authority);
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), RANDOM);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build a client TLS context", e);
        }
    }

    /** Writes the authority's certificate as PEM, e.g. as {@code ca.crt} of a containers {@code --cert-dir}. */
    public void writeAuthority(Path file) {
        replace(file, pem(authority));
    }

    /**
     * A server certificate and its key.
     *
     * @param certificate the server's certificate
     * @param key         its private key
     * @param issuer      the authority that signed it
     */
    public record IssuedCertificate(X509Certificate certificate, PrivateKey key, X509Certificate issuer) {

        public BigInteger serialNumber() {
            return certificate.getSerialNumber();
        }

        /** Writes the chain and a PKCS#8 key, replacing each file in one atomic move. */
        public void write(Path certificateFile, Path keyFile) {
            writeChain(certificateFile);
            writeKey(keyFile, KeyFormat.PKCS8);
        }

        /** Writes the certificate then its issuer, as PEM, replacing the file in one atomic move. */
        public void writeChain(Path file) {
            replace(file, pem(certificate) + pem(issuer));
        }

        /**
         * The key as OpenSSL writes an {@code EC PRIVATE KEY} (RFC 5915): with the curve's name and
         * the public key, which BouncyCastle's PEM writer leaves out when given a JDK key.
         */
        private PemObject sec1() throws IOException {
            ECParameterSpec curve = ((ECPrivateKey) key).getParams();
            SubjectPublicKeyInfo publicKey = SubjectPublicKeyInfo.getInstance(certificate.getPublicKey().getEncoded());
            org.bouncycastle.asn1.sec.ECPrivateKey encoded = new org.bouncycastle.asn1.sec.ECPrivateKey(
                    curve.getOrder().bitLength(), ((ECPrivateKey) key).getS(), publicKey.getPublicKeyData(),
                    publicKey.getAlgorithm().getParameters());
            return new PemObject("EC PRIVATE KEY", encoded.getEncoded());
        }

        /** Writes the key in {@code format} ({@code ENCRYPTED_PKCS8} uses the password "secret"), replacing the file in one atomic move. */
        public void writeKey(Path file, KeyFormat format) {
            try {
                Object block = switch (format) {
                    case PKCS8 -> new JcaPKCS8Generator(key, null).generate();
                    case TRADITIONAL -> key.getAlgorithm().equals("EC") ? sec1() : key;
                    case ENCRYPTED_PKCS8 -> new JcaPKCS8Generator(key,
                            new JceOpenSSLPKCS8EncryptorBuilder(JcaPKCS8Generator.AES_256_CBC)
                                    .setProvider(new BouncyCastleProvider()).setPassword("secret".toCharArray())
                                    .setRandom(RANDOM).build()).generate();
                };
                replace(file, pem(block));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (OperatorCreationException e) {
                throw new IllegalStateException("cannot encrypt a test key", e);
            }
        }
    }

    /** Writes {@code text} to a new file beside {@code file}, then moves it over {@code file} atomically. */
    public static void replace(Path file, String text) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path staged = Files.createTempFile(parent, file.getFileName() + ".", ".new");
            Files.writeString(staged, text, StandardCharsets.US_ASCII);
            Files.move(staged, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The PEM text of a certificate, key or other object BouncyCastle's PEM writer knows. */
    public static String pem(Object object) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(object);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keys) {
        Instant now = Instant.now();
        return builder(issuer, subject, keys, now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(1)));
    }

    private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keys, Instant notBefore,
                                                    Instant notAfter) {
        return new JcaX509v3CertificateBuilder(issuer, serialNumber(), Date.from(notBefore), Date.from(notAfter), subject,
                keys.getPublic());
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer) throws GeneralSecurityException {
        String algorithm = signer.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
        try {
            return CONVERTER.getCertificate(builder.build(new JcaContentSignerBuilder(algorithm).build(signer)));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    private static KeyPair generate(KeyType type) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(type.name());
            switch (type) {
                case RSA -> generator.initialize(2048, RANDOM);
                case EC -> generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            }
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate a " + type + " key", e);
        }
    }

    /** A positive random 120-bit serial number (RFC 5280 section 4.1.2.2 allows up to 20 octets). */
    private static BigInteger serialNumber() {
        return new BigInteger(120, RANDOM).setBit(119);
    }
}
