package io.berth.signing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import org.bouncycastle.crypto.engines.XSalsa20Engine;
import org.bouncycastle.crypto.generators.SCrypt;
import org.bouncycastle.crypto.macs.Poly1305;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;

/**
 * The encrypted private key files cosign writes ({@code cosign generate-key-pair}, PEM type {@code
 * ENCRYPTED SIGSTORE PRIVATE KEY}, formerly {@code ENCRYPTED COSIGN PRIVATE KEY}) and skopeo's
 * {@code --sign-by-sigstore-private-key} reads. The PEM block holds a JSON document:
 *
 * <pre>{@code
 * {"kdf": {"name": "scrypt", "params": {"N": 65536, "r": 8, "p": 1}, "salt": "<base64, 32 bytes>"},
 *  "cipher": {"name": "nacl/secretbox", "nonce": "<base64, 24 bytes>"},
 *  "ciphertext": "<base64>"}
 * }</pre>
 *
 * <p>The key is scrypt of the passphrase with those parameters (32 bytes); the ciphertext is NaCl's
 * secretbox (XSalsa20 and Poly1305: a 16-byte tag, then the encrypted bytes) of the PKCS #8 private
 * key. scrypt's work factor is bounded when reading, so a crafted file cannot make Berth spend
 * gigabytes of memory.
 */
public final class EncryptedKeyFile {
    /** The PEM type cosign writes today. */
    public static final String PEM_TYPE = "ENCRYPTED SIGSTORE PRIVATE KEY";
    /** The PEM type older cosign releases wrote. */
    public static final String LEGACY_PEM_TYPE = "ENCRYPTED COSIGN PRIVATE KEY";

    private static final int SCRYPT_N = 65536;
    private static final int SCRYPT_R = 8;
    private static final int SCRYPT_P = 1;
    /** Largest scrypt cost read: N × r × 128 bytes of memory, 128 MiB at N = 2^17, r = 8. */
    private static final long MAX_SCRYPT_MEMORY = 128L * 1024 * 1024;
    private static final int KEY_BYTES = 32;
    private static final int NONCE_BYTES = 24;
    private static final int TAG_BYTES = 16;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    private EncryptedKeyFile() {
    }

    /**
     * The PKCS #8 bytes inside {@code document} (the PEM block's decoded bytes).
     *
     * @throws IllegalArgumentException when the document is not such a file, or the passphrase is wrong
     */
    public static byte[] decrypt(byte[] document, char[] passphrase) {
        JsonNode root;
        try {
            root = JSON.readTree(document);
        } catch (java.io.IOException notJson) {
            throw new IllegalArgumentException("the encrypted key is not cosign's format (not JSON)");
        }
        JsonNode kdf = root == null ? JSON.missingNode() : root.path("kdf");
        JsonNode params = kdf.path("params");
        if (!kdf.path("name").asText().equals("scrypt") || !root.path("cipher").path("name").asText().equals("nacl/secretbox")) {
            throw new IllegalArgumentException("the encrypted key uses a key derivation or cipher other than scrypt and nacl/secretbox");
        }
        int n = params.path("N").asInt(0);
        int r = params.path("r").asInt(0);
        int p = params.path("p").asInt(0);
        if (n < 2 || Integer.bitCount(n) != 1 || r < 1 || p < 1 || p > 16 || (long) n * r * 128 > MAX_SCRYPT_MEMORY) {
            throw new IllegalArgumentException("the encrypted key's scrypt parameters are out of range");
        }
        byte[] salt = base64(root.path("kdf").path("salt"));
        byte[] nonce = base64(root.path("cipher").path("nonce"));
        byte[] sealed = base64(root.path("ciphertext"));
        if (nonce.length != NONCE_BYTES || sealed.length <= TAG_BYTES || salt.length == 0) {
            throw new IllegalArgumentException("the encrypted key is not cosign's format");
        }
        byte[] key = SCrypt.generate(utf8(passphrase), salt, n, r, p, KEY_BYTES);
        return open(key, nonce, sealed);
    }

    /** {@code pkcs8} encrypted under {@code passphrase}, as the JSON document a PEM block of {@link #PEM_TYPE} holds. */
    public static byte[] encrypt(byte[] pkcs8, char[] passphrase) {
        byte[] salt = new byte[32];
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(salt);
        RANDOM.nextBytes(nonce);
        byte[] key = SCrypt.generate(utf8(passphrase), salt, SCRYPT_N, SCRYPT_R, SCRYPT_P, KEY_BYTES);
        ObjectNode root = JSON.createObjectNode();
        ObjectNode kdf = root.putObject("kdf");
        kdf.put("name", "scrypt");
        kdf.putObject("params").put("N", SCRYPT_N).put("r", SCRYPT_R).put("p", SCRYPT_P);
        kdf.put("salt", Base64.getEncoder().encodeToString(salt));
        root.putObject("cipher").put("name", "nacl/secretbox").put("nonce", Base64.getEncoder().encodeToString(nonce));
        root.put("ciphertext", Base64.getEncoder().encodeToString(seal(key, nonce, pkcs8)));
        try {
            return JSON.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** secretbox: the Poly1305 tag (keyed by the first 32 keystream bytes), then the encrypted bytes. */
    private static byte[] seal(byte[] key, byte[] nonce, byte[] plain) {
        XSalsa20Engine cipher = cipher(key, nonce);
        byte[] macKey = keystream(cipher, KEY_BYTES);
        byte[] encrypted = new byte[plain.length];
        cipher.processBytes(plain, 0, plain.length, encrypted, 0);
        byte[] sealed = new byte[TAG_BYTES + encrypted.length];
        System.arraycopy(tag(macKey, encrypted), 0, sealed, 0, TAG_BYTES);
        System.arraycopy(encrypted, 0, sealed, TAG_BYTES, encrypted.length);
        return sealed;
    }

    private static byte[] open(byte[] key, byte[] nonce, byte[] sealed) {
        XSalsa20Engine cipher = cipher(key, nonce);
        byte[] macKey = keystream(cipher, KEY_BYTES);
        byte[] encrypted = Arrays.copyOfRange(sealed, TAG_BYTES, sealed.length);
        if (!MessageDigest.isEqual(tag(macKey, encrypted), Arrays.copyOf(sealed, TAG_BYTES))) {
            throw new IllegalArgumentException("wrong passphrase for the encrypted key (or the file is damaged)");
        }
        byte[] plain = new byte[encrypted.length];
        cipher.processBytes(encrypted, 0, encrypted.length, plain, 0);
        return plain;
    }

    private static XSalsa20Engine cipher(byte[] key, byte[] nonce) {
        XSalsa20Engine cipher = new XSalsa20Engine();
        cipher.init(true, new ParametersWithIV(new KeyParameter(key), nonce));
        return cipher;
    }

    private static byte[] keystream(XSalsa20Engine cipher, int length) {
        byte[] stream = new byte[length];
        cipher.processBytes(new byte[length], 0, length, stream, 0);
        return stream;
    }

    private static byte[] tag(byte[] macKey, byte[] message) {
        Poly1305 mac = new Poly1305();
        mac.init(new KeyParameter(macKey));
        mac.update(message, 0, message.length);
        byte[] tag = new byte[TAG_BYTES];
        mac.doFinal(tag, 0);
        return tag;
    }

    private static byte[] utf8(char[] passphrase) {
        return new String(passphrase).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] base64(JsonNode node) {
        try {
            return node.isTextual() ? Base64.getDecoder().decode(node.textValue()) : new byte[0];
        } catch (IllegalArgumentException notBase64) {
            return new byte[0];
        }
    }
}
