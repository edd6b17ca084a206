package io.berth.signing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A private key that signs images and attestations: an ECDSA (P-256, P-384) or RSA key in a PEM
 * {@code PRIVATE KEY} block (PKCS #8, as {@code openssl genpkey} writes it), or in the encrypted file
 * {@code cosign generate-key-pair} and {@code berth generate-key-pair} write ({@link EncryptedKeyFile}). Signatures are those
 * the promotion gates verify: ECDSA as ASN.1 DER over SHA-256, RSA as PKCS #1 v1.5 with SHA-256.
 */
public final class PrivateSigningKey {
    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]+?)\\s*-----END \\1-----");

    private final PrivateKey key;
    private final String name;

    private PrivateSigningKey(PrivateKey key, String name) {
        this.key = key;
        this.name = name;
    }

    /**
     * Reads the key in {@code file}.
     *
     * @throws IllegalArgumentException naming the file and what is wrong with it
     */
    public static PrivateSigningKey read(Path file) {
        return read(file, () -> {
            throw new IllegalArgumentException(file + ": the key is encrypted and no passphrase was given");
        });
    }

    /**
     * Reads the key in {@code file}: a PEM {@code PRIVATE KEY}, or one cosign encrypted ({@link
     * EncryptedKeyFile}), which {@code passphrase} is asked to open.
     *
     * @throws IllegalArgumentException naming the file and what is wrong with it
     */
    public static PrivateSigningKey read(Path file, Supplier<char[]> passphrase) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException missing) {
            throw new IllegalArgumentException(file + ": not found");
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new IllegalArgumentException(file + ": cannot be read (" + e.getMessage() + ")");
        }
        Matcher block = PEM.matcher(text);
        if (!block.find()) {
            throw new IllegalArgumentException(file + ": holds no PEM block");
        }
        String type = block.group(1);
        boolean encrypted = type.equals(EncryptedKeyFile.PEM_TYPE) || type.equals(EncryptedKeyFile.LEGACY_PEM_TYPE);
        if (!type.equals("PRIVATE KEY") && !encrypted) {
            throw new IllegalArgumentException(file + ": holds a " + type + " block; a PKCS #8 PRIVATE KEY is needed,"
                    + " or a key cosign encrypted (" + EncryptedKeyFile.PEM_TYPE + ")");
        }
        byte[] encoded;
        try {
            encoded = Base64.getMimeDecoder().decode(block.group(2));
        } catch (IllegalArgumentException notBase64) {
            throw new IllegalArgumentException(file + ": the PEM block is not base64");
        }
        if (encrypted) {
            try {
                encoded = EncryptedKeyFile.decrypt(encoded, passphrase.get());
            } catch (IllegalArgumentException unreadable) {
                throw new IllegalArgumentException(file + ": " + unreadable.getMessage());
            }
        }
        for (String algorithm : new String[] {"EC", "RSA"}) {
            try {
                PrivateKey key = KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(encoded));
                return new PrivateSigningKey(key, file.getFileName().toString());
            } catch (GeneralSecurityException notThisKind) {
                // try the next
            }
        }
        throw new IllegalArgumentException(file + ": is neither an ECDSA nor an RSA private key");
    }

    /** The file name the key was read from, for messages. */
    public String name() {
        return name;
    }

    /** The signature of {@code data}. */
    public byte[] sign(byte[] data) {
        try {
            Signature signature = Signature.getInstance(key instanceof ECPrivateKey ? "SHA256withECDSA" : "SHA256withRSA");
            signature.initSign(key);
            signature.update(data);
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with " + name + ": " + e.getMessage(), e);
        }
    }
}
