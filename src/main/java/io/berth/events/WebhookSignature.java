package io.berth.events;

import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signature of a webhook body: {@code X-Berth-Signature: sha256=<hex>}, the HMAC-SHA256 of the
 * exact body bytes under the webhook's secret (RFC 2104), in lower-case hex.
 */
public final class WebhookSignature {
    public static final String HEADER = "X-Berth-Signature";
    private static final String PREFIX = "sha256=";

    private WebhookSignature() {
    }

    /** The header's value for {@code body}. */
    public static String sign(byte[] secret, byte[] body) {
        return PREFIX + HexFormat.of().formatHex(hmac(secret, body));
    }

    /** Whether {@code header} is the signature of {@code body} under {@code secret}, compared in constant time. */
    public static boolean verifies(byte[] secret, byte[] body, String header) {
        return header != null && java.security.MessageDigest.isEqual(
                sign(secret, body).getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                header.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    private static byte[] hmac(byte[] secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }
}
