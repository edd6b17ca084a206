package io.berth.server;

import io.berth.config.ConfigException;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * A certificate chain and its private key read from PEM files (the form web servers and ACME
 * clients write), held as an in-memory {@link KeyStore} for Jetty's {@code SslContextFactory}.
 *
 * <p>The certificate file holds one or more {@code CERTIFICATE} blocks, the server's own
 * certificate first, then the intermediates. The key file holds one unencrypted private key, RSA or
 * EC, as PKCS#8 ({@code PRIVATE KEY}), PKCS#1 ({@code RSA PRIVATE KEY}) or SEC1
 * ({@code EC PRIVATE KEY}, optionally after an {@code EC PARAMETERS} block). The key must belong to
 * the first certificate. Every failure is a {@link ConfigException} naming the file.
 */
final class PemKeyStore {
    /** The one entry of {@link #keyStore()}. */
    static final String ALIAS = "berth";
    /**
     * Unlocks the entry of the in-memory key store; it protects nothing, since the store is never
     * written anywhere, but the JDK's key managers need one.
     */
    static final String KEY_PASSWORD = "berth-in-memory";

    private static final JcaX509CertificateConverter CERTIFICATES = new JcaX509CertificateConverter();
    private static final JcaPEMKeyConverter KEYS = new JcaPEMKeyConverter();

    private final KeyStore keyStore;
    private final List<X509Certificate> chain;

    private PemKeyStore(KeyStore keyStore, List<X509Certificate> chain) {
        this.keyStore = keyStore;
        this.chain = List.copyOf(chain);
    }

    /**
     * Reads and checks a certificate chain and its key.
     *
     * @throws ConfigException when a file is missing or unreadable, holds no or unexpected PEM
     *                         blocks, holds an encrypted key, or when the key does not belong to the
     *                         first certificate
     */
    static PemKeyStore read(Path certificateFile, Path keyFile) {
        List<X509Certificate> chain = readCertificates(certificateFile);
        PrivateKey key = readKey(keyFile);
        if (!belongTogether(key, chain.getFirst().getPublicKey())) {
            throw new ConfigException("the TLS key " + keyFile + " does not belong to the first certificate in "
                    + certificateFile + " (the file must start with the server's own certificate)");
        }
        try {
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            keyStore.load(null, null);
            keyStore.setKeyEntry(ALIAS, key, KEY_PASSWORD.toCharArray(), chain.toArray(X509Certificate[]::new));
            return new PemKeyStore(keyStore, chain);
        } catch (GeneralSecurityException | IOException e) {
            throw new ConfigException("cannot hold the TLS key " + keyFile + " in a key store: " + e.getMessage(), e);
        }
    }

    /** A PKCS#12 store in memory with one key entry, {@link #ALIAS}, locked with {@link #KEY_PASSWORD}. */
    KeyStore keyStore() {
        return keyStore;
    }

    /** The certificate chain, the server's own certificate first. */
    List<X509Certificate> chain() {
        return chain;
    }

    /** The server's own certificate. */
    X509Certificate leaf() {
        return chain.getFirst();
    }

    /**
     * What makes clients refuse the chain at {@code now}: the first certificate, the server's own
     * first, that has expired or is not valid yet (RFC 5280 section 4.1.2.5); empty when every one
     * is within its validity period.
     */
    Optional<String> validityProblem(Instant now) {
        for (X509Certificate certificate : chain) {
            String subject = "'" + certificate.getSubjectX500Principal().getName() + "'";
            if (now.isAfter(certificate.getNotAfter().toInstant())) {
                return Optional.of(subject + " expired at " + certificate.getNotAfter().toInstant());
            }
            if (now.isBefore(certificate.getNotBefore().toInstant())) {
                return Optional.of(subject + " is not valid before " + certificate.getNotBefore().toInstant());
            }
        }
        return Optional.empty();
    }

    /** One line for the log: whom the certificate names, its serial number and when it expires. */
    String summary() {
        X509Certificate leaf = leaf();
        return "'" + leaf.getSubjectX500Principal().getName() + "' (serial " + leaf.getSerialNumber().toString(16)
                + ", valid until " + leaf.getNotAfter().toInstant() + ")";
    }

    private static List<X509Certificate> readCertificates(Path file) {
        List<X509Certificate> chain = new ArrayList<>();
        try (PEMParser parser = new PEMParser(open(file))) {
            for (Object block = parser.readObject(); block != null; block = parser.readObject()) {
                if (!(block instanceof X509CertificateHolder holder)) {
                    throw new ConfigException("the TLS certificate file " + file + " holds a " + describe(block)
                            + " where only CERTIFICATE blocks belong");
                }
                chain.add(CERTIFICATES.getCertificate(holder));
            }
        } catch (IOException | GeneralSecurityException | IllegalArgumentException | IllegalStateException e) {
            throw unreadable("certificate", file, e);
        }
        if (chain.isEmpty()) {
            throw new ConfigException("the TLS certificate file " + file + " holds no PEM CERTIFICATE block");
        }
        return chain;
    }

    private static PrivateKey readKey(Path file) {
        List<PrivateKey> keys = new ArrayList<>();
        try (PEMParser parser = new PEMParser(open(file))) {
            for (Object block = parser.readObject(); block != null; block = parser.readObject()) {
                switch (block) {
                    case PrivateKeyInfo pkcs8 -> keys.add(KEYS.getPrivateKey(pkcs8));
                    case PEMKeyPair traditional -> keys.add(KEYS.getPrivateKey(traditional.getPrivateKeyInfo()));
                    // The EC PARAMETERS block that `openssl ecparam -genkey` writes before the key.
                    case ASN1ObjectIdentifier namedCurve -> { }
                    case X9ECParameters explicitCurve -> { }
                    case PEMEncryptedKeyPair encrypted -> throw encrypted(file);
                    case PKCS8EncryptedPrivateKeyInfo encrypted -> throw encrypted(file);
                    default -> throw new ConfigException("the TLS key file " + file + " holds a " + describe(block)
                            + " where a private key belongs");
                }
            }
        } catch (IOException | IllegalArgumentException | IllegalStateException e) {
            throw unreadable("key", file, e);
        }
        if (keys.size() != 1) {
            throw new ConfigException("the TLS key file " + file + " must hold exactly one private key, not " + keys.size());
        }
        return keys.getFirst();
    }

    private static Reader open(Path file) throws IOException {
        try {
            return Files.newBufferedReader(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            throw new ConfigException("the TLS file " + file + " does not exist");
        }
    }

    /** Whether the private key signs what the certificate's public key verifies. */
    private static boolean belongTogether(PrivateKey key, PublicKey certified) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> throw new ConfigException("TLS keys must be RSA or EC, not " + key.getAlgorithm());
        };
        if (!key.getAlgorithm().equals(certified.getAlgorithm())) {
            return false;
        }
        byte[] challenge = "berth: does this key belong to this certificate?".getBytes(StandardCharsets.US_ASCII);
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certified);
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static ConfigException encrypted(Path file) {
        return new ConfigException("the TLS key file " + file + " holds an encrypted key; Berth reads unencrypted keys"
                + " only (decrypt it with `openssl pkey -in ENCRYPTED -out " + file.getFileName() + "`"
                + " and keep the file readable by Berth's user alone)");
    }

    private static ConfigException unreadable(String what, Path file, Exception cause) {
        String why = cause instanceof java.nio.file.AccessDeniedException ? "permission denied"
                : cause instanceof java.io.IOException ? "it cannot be read" : "it is not valid PEM";
        return new ConfigException("cannot read the TLS " + what + " file " + file + ": " + why, cause);
    }

    /** What a PEM block holds, in PEM's words rather than the parser's class names. */
    private static String describe(Object block) {
        return switch (block.getClass().getSimpleName()) {
            case "X509CertificateHolder" -> "certificate";
            case "PEMKeyPair", "PrivateKeyInfo" -> "private key";
            case "SubjectPublicKeyInfo" -> "public key";
            case "PKCS10CertificationRequest" -> "certificate signing request";
            case "X509CRLHolder" -> "certificate revocation list";
            case "ASN1ObjectIdentifier" -> "key parameters block";
            default -> "block of another kind";
        };
    }
}
