package io.berth.signing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Dead Simple Signing Envelopes (DSSE v1), as in-toto attestations are signed: the signature is over
 * the pre-authentication encoding of the payload type and the payload, never the payload alone.
 */
public final class Dsse {
    /** The media type of a layer holding an envelope. */
    public static final String ENVELOPE_MEDIA_TYPE = "application/vnd.dsse.envelope.v1+json";
    /** The payload type of an in-toto statement. */
    public static final String IN_TOTO_PAYLOAD_TYPE = "application/vnd.in-toto+json";

    private static final ObjectMapper JSON = new ObjectMapper();

    private Dsse() {
    }

    /**
     * PAE(type, body) = {@code "DSSEv1" SP len(type) SP type SP len(body) SP body}, the lengths as
     * decimal byte counts.
     */
    public static byte[] preAuthenticationEncoding(String payloadType, byte[] payload) {
        byte[] type = payloadType.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length + type.length + 32);
        out.writeBytes(("DSSEv1 " + type.length + " ").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(type);
        out.writeBytes((" " + payload.length + " ").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(payload);
        return out.toByteArray();
    }

    /** The envelope of {@code payload}, signed with {@code key}. */
    public static byte[] envelope(String payloadType, byte[] payload, PrivateSigningKey key) {
        byte[] signature = key.sign(preAuthenticationEncoding(payloadType, payload));
        ObjectNode envelope = JSON.createObjectNode();
        envelope.put("payloadType", payloadType);
        envelope.put("payload", Base64.getEncoder().encodeToString(payload));
        envelope.putArray("signatures").addObject().put("keyid", "").put("sig", Base64.getEncoder().encodeToString(signature));
        try {
            return JSON.writeValueAsBytes(envelope);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
