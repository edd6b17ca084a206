package io.berth.auth;

import io.berth.oci.Digest;
import io.berth.oci.DigestAlgorithm;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Robot secrets: 256 random bits, shown once at creation and stored only as a SHA-256 hash. A
 * secret of that strength needs no slow password hash; the comparison takes constant time.
 */
public final class RobotSecrets {
    private static final SecureRandom RANDOM = new SecureRandom();

    private RobotSecrets() {
    }

    public static String newSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public static String hash(String secret) {
        return Digest.of(DigestAlgorithm.SHA256, secret.getBytes(StandardCharsets.UTF_8)).toString();
    }

    public static boolean matches(String secret, String storedHash) {
        return MessageDigest.isEqual(hash(secret).getBytes(StandardCharsets.US_ASCII),
                storedHash.getBytes(StandardCharsets.US_ASCII));
    }
}
