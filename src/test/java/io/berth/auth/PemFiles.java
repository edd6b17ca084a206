package io.berth.auth;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;

/** Keys and the PEM files operators hand Berth, made the way {@code openssl} makes them. */
final class PemFiles {
    private PemFiles() {
    }

    /** An EC key pair on a named curve: {@code secp256r1} (P-256) or {@code secp384r1} (P-384). */
    static KeyPair ecKeyPair(String curve) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec(curve));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static KeyPair rsaKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * {@code -----BEGIN EC PRIVATE KEY-----}: SEC1 ({@code openssl ecparam -genkey}), with the curve
     * named in the key and the public point included.
     */
    static Path sec1(Path file, KeyPair pair) {
        ECPrivateKey privateKey = (ECPrivateKey) pair.getPrivate();
        SubjectPublicKeyInfo publicKey = SubjectPublicKeyInfo.getInstance(pair.getPublic().getEncoded());
        ASN1ObjectIdentifier curve = ASN1ObjectIdentifier.getInstance(publicKey.getAlgorithm().getParameters());
        BigInteger scalar = privateKey.getS();
        org.bouncycastle.asn1.sec.ECPrivateKey sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(
                privateKey.getParams().getOrder().bitLength(), scalar, publicKey.getPublicKeyData(), curve);
        try {
            return write(file, "EC PRIVATE KEY", sec1.getEncoded());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code -----BEGIN PRIVATE KEY-----}: PKCS#8 ({@code openssl genpkey}). */
    static Path pkcs8(Path file, KeyPair pair) {
        return write(file, "PRIVATE KEY", pair.getPrivate().getEncoded());
    }

    /** {@code -----BEGIN PUBLIC KEY-----}: X.509 SubjectPublicKeyInfo ({@code openssl pkey -pubout}). */
    static Path publicKey(Path file, KeyPair pair) {
        return write(file, "PUBLIC KEY", pair.getPublic().getEncoded());
    }

    /** {@code -----BEGIN CERTIFICATE-----}: a self-signed certificate of the pair's public key. */
    static Path certificate(Path file, KeyPair pair, String signatureAlgorithm) {
        try {
            Instant now = Instant.now();
            X500Name name = new X500Name("CN=token issuer");
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
                    new JcaX509v3CertificateBuilder(name, BigInteger.ONE, Date.from(now.minus(1, ChronoUnit.DAYS)),
                            Date.from(now.plus(1, ChronoUnit.DAYS)), name, pair.getPublic())
                            .build(new JcaContentSignerBuilder(signatureAlgorithm).build(pair.getPrivate())));
            return write(file, "CERTIFICATE", certificate.getEncoded());
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path write(Path file, String type, byte[] der) {
        StringWriter text = new StringWriter();
        try (PemWriter writer = new PemWriter(text)) {
            writer.writeObject(new PemObject(type, der));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            return Files.writeString(file, text.toString(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
