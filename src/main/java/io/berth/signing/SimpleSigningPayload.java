package io.berth.signing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.oci.Digest;

/**
 * The payload of a container image signature in the "simple signing" format cosign and skopeo
 * write: {@code {"critical": {"identity": {"docker-reference": …}, "image":
 * {"docker-manifest-digest": …}, "type": "cosign container image signature"}, "optional": …}}.
 */
public final class SimpleSigningPayload {
    /** The {@code critical.type} of a container image signature. */
    public static final String TYPE = "cosign container image signature";
    /** The media type of the layer that holds the payload. */
    public static final String MEDIA_TYPE = "application/vnd.dev.cosign.simplesigning.v1+json";

    private static final ObjectMapper JSON = new ObjectMapper();

    private SimpleSigningPayload() {
    }

    /** The payload of a signature of {@code digest}, pushed as {@code dockerReference} ({@code host/repository}). */
    public static byte[] of(String dockerReference, Digest digest) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode critical = root.putObject("critical");
        critical.putObject("identity").put("docker-reference", dockerReference);
        critical.putObject("image").put("docker-manifest-digest", digest.toString());
        critical.put("type", TYPE);
        root.putObject("optional").put("creator", "berth sign");
        try {
            return JSON.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
