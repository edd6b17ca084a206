package io.berth.promotion;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A public key whose simple-signing signatures a {@link RequiredSignature} gate accepts, as cosign
 * and skopeo verify them: ECDSA (ASN.1 DER signature over the SHA-256 of the payload) or RSA
 * (PKCS #1 v1.5 with SHA-256).
 *
 * @param name  how verdicts name the key (its file, say)
 * @param owner the principal who signs with it (a user, {@code robot$NAME}), when declared, for
 *              {@link RequiredSignature#notByPusher()}
 */
public record SigningKey(String name, PublicKey key, Optional<String> owner) {
    /** Smallest RSA modulus accepted: shorter keys are factorable. */
    static final int MINIMUM_RSA_BITS = 2048;

    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN PUBLIC KEY-----([A-Za-z0-9+/=\\s]+)-----END PUBLIC KEY-----");

    /** A key without a declared owner. */
    public SigningKey(String name, PublicKey key) {
        this(name, key, Optional.empty());
    }

    public SigningKey {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a signing key needs a name");
        }
        switch (key) {
            case ECPublicKey ec -> {
                // cosign and skopeo hash with SHA-256 whatever the curve; P-256 is what they generate.
            }
            case RSAPublicKey rsa when rsa.getModulus().bitLength() >= MINIMUM_RSA_BITS -> {
            }
            case RSAPublicKey rsa -> throw new IllegalArgumentException("signing key " + name + " is RSA with "
                    + rsa.getModulus().bitLength() + " bits; at least " + MINIMUM_RSA_BITS + " are needed");
            default -> throw new IllegalArgumentException("signing key " + name + " is " + key.getAlgorithm()
                    + "; ECDSA and RSA keys are supported");
        }
    }

    /**
     * Reads a {@code -----BEGIN PUBLIC KEY-----} PEM block (an X.509 SubjectPublicKeyInfo, RFC 7468
     * section 13), as {@code cosign generate-key-pair} writes {@code cosign.pub}.
     *
     * @throws IllegalArgumentException when the text holds no such block or it is no ECDSA or RSA key
     */
    public static SigningKey fromPem(String name, String pem) {
        Matcher matcher = PEM.matcher(pem);
        if (!matcher.find()) {
            throw new IllegalArgumentException("signing key " + name + " holds no -----BEGIN PUBLIC KEY----- block");
        }
        byte[] der = Base64.getMimeDecoder().decode(matcher.group(1));
        for (String algorithm : new String[]{"EC", "RSA"}) {
            try {
                return new SigningKey(name, KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der)));
            } catch (GeneralSecurityException notThisAlgorithm) {
                // try the next one
            }
        }
        throw new IllegalArgumentException("signing key " + name + " is neither an ECDSA nor an RSA public key");
    }

    /** This key, declared to be {@code owner}'s. */
    public SigningKey ownedBy(String owner) {
        return new SigningKey(name, key, Optional.of(owner));
    }

    /** Whether {@code signature} is this key's signature of {@code payload}. */
    public boolean verifies(byte[] payload, byte[] signature) {
        try {
            Signature verifier = Signature.getInstance(key instanceof ECPublicKey ? "SHA256withECDSA" : "SHA256withRSA");
            verifier.initVerify(key);
            verifier.update(payload);
            return verifier.verify(signature);
        } catch (java.security.SignatureException malformed) {
            return false;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot verify with signing key " + name, e);
        }
    }
}
