package io.berth.promotion;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.berth.oci.Limits;
import io.berth.signing.Dsse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The Dead Simple Signing Envelope (DSSE v1, {@code secure-systems-lab/dsse}: {@code envelope.md}
 * and {@code protocol.md}), as cosign writes one per attestation layer:
 *
 * <pre>{@code
 * {"payloadType": "application/vnd.in-toto+json",
 *  "payload": "<base64 of the statement>",
 *  "signatures": [{"keyid": "", "sig": "<base64>"}]}
 * }</pre>
 *
 * <p>A signature is over {@link Dsse#preAuthenticationEncoding the pre-authentication encoding} of
 * the payload type and the decoded payload, never over the envelope's JSON, so the payload type
 * cannot be swapped. The reading is strict, as verifying a gate needs; the format itself is
 * {@link Dsse}'s.
 */
final class DsseEnvelope {
    private static final ObjectMapper JSON = JsonMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();

    private DsseEnvelope() {
    }

    /**
     * A parsed envelope, not yet verified.
     *
     * @param payloadType the type the signatures bind the payload to
     * @param payload     the decoded payload bytes
     * @param signatures  the decoded signatures, in the envelope's order
     */
    record Envelope(String payloadType, byte[] payload, List<byte[]> signatures) {
        Envelope {
            signatures = List.copyOf(signatures);
        }

        /** The bytes each signature is over. */
        byte[] signed() {
            return Dsse.preAuthenticationEncoding(payloadType, payload);
        }
    }

    /** Why an envelope cannot be read; the message is the verdict's reason. */
    static final class Unreadable extends Exception {
        Unreadable(String reason) {
            super(reason, null, false, false);
        }
    }

    /**
     * Reads an envelope's JSON; a duplicate key makes it unreadable, as readers that keep the first
     * and readers that keep the last would see different envelopes.
     *
     * @throws Unreadable when it is not such a JSON object, a payload or signature is not base64, or it
     *                    has no signature or more than {@link Limits#MAX_ATTESTATION_SIGNATURES}
     */
    static Envelope parse(byte[] json) throws Unreadable {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException notJson) {
            throw new Unreadable("envelope is not JSON");
        }
        if (root == null || !root.isObject()) {
            throw new Unreadable("envelope is not JSON");
        }
        String payloadType = root.path("payloadType").isTextual() ? root.path("payloadType").textValue() : "";
        byte[] payload = base64(root.path("payload"))
                .orElseThrow(() -> new Unreadable("envelope payload is not base64"));
        if (root.path("signatures").size() > Limits.MAX_ATTESTATION_SIGNATURES) {
            throw new Unreadable("envelope has " + root.path("signatures").size() + " signatures, over the limit of "
                    + Limits.MAX_ATTESTATION_SIGNATURES);
        }
        List<byte[]> signatures = new ArrayList<>();
        for (JsonNode signature : root.path("signatures")) {
            signatures.add(base64(signature.path("sig")).orElseThrow(() -> new Unreadable("envelope signature is not base64")));
        }
        if (signatures.isEmpty()) {
            throw new Unreadable("envelope has no signature");
        }
        return new Envelope(payloadType, payload, signatures);
    }

    /** Standard base64, or the URL-safe alphabet, as DSSE implementations accept both. */
    private static Optional<byte[]> base64(JsonNode node) {
        if (!node.isTextual()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Base64.getDecoder().decode(node.textValue()));
        } catch (IllegalArgumentException notStandard) {
            try {
                return Optional.of(Base64.getUrlDecoder().decode(node.textValue()));
            } catch (IllegalArgumentException notUrlSafe) {
                return Optional.empty();
            }
        }
    }
}
