package io.berth.promotion;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A Rekor transparency log entry as cosign records it in a signature layer's {@code
 * dev.sigstore.cosign/bundle} annotation, with the log's promise to include it (the signed entry
 * timestamp):
 * <pre>{@code
 * {"SignedEntryTimestamp": "MEUCIQ…",
 *  "Payload": {"body": "eyJhcGlWZXJzaW9uIjoi…", "integratedTime": 1733400000, "logIndex": 153412345,
 *              "logID": "c0d23d6ad406973f9559f3ba2d1ca01f84147d8ffc5b8445c224f98b9591801d"}}
 * }</pre>
 * Rekor signs the canonical JSON of {@code Payload} (RFC 8785: keys sorted, no whitespace) with its
 * ECDSA key over SHA-256. The body is the base64 JSON of the entry; for a cosign signature its kind
 * is {@code hashedrekord} ({@code pkg/types/hashedrekord/v0.0.1/hashedrekord_v0_0_1_schema.json}):
 * the signature, the certificate (base64 PEM) and the SHA-256 of the signed payload; for an
 * attestation it is {@code intoto} or {@code dsse} ({@link LoggedContent}).
 *
 * @param signedEntryTimestamp the log's signature of {@link #canonicalPayload()}
 * @param body                 the base64 entry, as logged
 * @param integratedTime       when the log took the entry, in seconds since the epoch
 * @param logIndex             the entry's index in the log
 * @param logId                the hex SHA-256 of the log's public key
 */
public record RekorEntry(byte[] signedEntryTimestamp, String body, long integratedTime, long logIndex, String logId) {
    /** The entry kind cosign logs for a signature of a payload blob. */
    public static final String HASHED_REKORD = LoggedContent.HASHED_REKORD;

    private static final ObjectMapper JSON = JsonMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();
    private static final Pattern BASE64 = Pattern.compile("[A-Za-z0-9+/]*={0,2}");
    private static final Pattern HEX = Pattern.compile("[0-9a-f]+");

    public RekorEntry {
        signedEntryTimestamp = signedEntryTimestamp.clone();
        // Only these alphabets keep the canonical JSON free of escapes, so that it is the bytes Rekor signed.
        if (!BASE64.matcher(body).matches() || body.isEmpty()) {
            throw new IllegalArgumentException("entry body is not base64");
        }
        if (!HEX.matcher(logId).matches()) {
            throw new IllegalArgumentException("log ID is not lowercase hex");
        }
        if (integratedTime < 0 || logIndex < 0) {
            throw new IllegalArgumentException("negative integrated time or log index");
        }
    }

    /**
     * The entry in a {@code dev.sigstore.cosign/bundle} annotation.
     *
     * @throws IllegalArgumentException naming what is missing or malformed
     */
    public static RekorEntry fromBundle(String bundle) {
        JsonNode root;
        try {
            root = JSON.readTree(bundle);
        } catch (IOException e) {
            throw new IllegalArgumentException("bundle is not JSON");
        }
        JsonNode payload = root.path("Payload");
        JsonNode timestamp = root.path("SignedEntryTimestamp");
        if (!timestamp.isTextual() || !payload.isObject()) {
            throw new IllegalArgumentException("bundle without SignedEntryTimestamp or Payload");
        }
        JsonNode body = payload.path("body");
        JsonNode integratedTime = payload.path("integratedTime");
        JsonNode logIndex = payload.path("logIndex");
        JsonNode logId = payload.path("logID");
        if (!body.isTextual() || !logId.isTextual() || !integratedTime.isIntegralNumber() || !integratedTime.canConvertToLong()
                || !logIndex.isIntegralNumber() || !logIndex.canConvertToLong()) {
            throw new IllegalArgumentException("bundle Payload needs body, integratedTime, logIndex and logID");
        }
        byte[] signature;
        try {
            signature = Base64.getDecoder().decode(timestamp.textValue());
        } catch (IllegalArgumentException notBase64) {
            throw new IllegalArgumentException("SignedEntryTimestamp is not base64");
        }
        return new RekorEntry(signature, body.textValue(), integratedTime.longValue(), logIndex.longValue(), logId.textValue());
    }

    @Override
    public byte[] signedEntryTimestamp() {
        return signedEntryTimestamp.clone();
    }

    /** The instant the log took the entry. */
    public Instant integratedAt() {
        return Instant.ofEpochSecond(integratedTime);
    }

    /** The bytes the log signed: the canonical JSON of the bundle's {@code Payload}. */
    public byte[] canonicalPayload() {
        return ("{\"body\":\"" + body + "\",\"integratedTime\":" + integratedTime + ",\"logID\":\"" + logId
                + "\",\"logIndex\":" + logIndex + "}").getBytes(StandardCharsets.UTF_8);
    }

    /** The first of {@code logKeys} whose signature the signed entry timestamp is. */
    public Optional<SigningKey> signedBy(List<SigningKey> logKeys) {
        byte[] signed = canonicalPayload();
        return logKeys.stream().filter(key -> key.verifies(signed, signedEntryTimestamp)).findFirst();
    }

    /**
     * Why this entry does not record {@code signature} of {@code payload} (a simple-signing payload)
     * by {@code certificate}, or empty when it does.
     */
    public Optional<String> mismatch(byte[] signature, X509Certificate certificate, byte[] payload) {
        return mismatch(signature, certificate, new SignedContent.SimpleSigning(payload));
    }

    /**
     * Why this entry does not record {@code signature} of {@code content} by {@code certificate}, or
     * empty when it does ({@link LoggedContent} says what each entry kind must name).
     */
    public Optional<String> mismatch(byte[] signature, X509Certificate certificate, SignedContent content) {
        JsonNode entry;
        try {
            entry = JSON.readTree(Base64.getDecoder().decode(body));
        } catch (IOException | IllegalArgumentException unreadable) {
            return Optional.of("transparency log entry is not JSON");
        }
        String kind = entry.path("kind").isTextual() ? entry.path("kind").textValue() : "";
        return LoggedContent.mismatch(kind, entry.path("spec"), signature, certificate, content);
    }
}
