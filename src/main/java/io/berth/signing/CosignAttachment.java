package io.berth.signing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.oci.Digest;
import io.berth.oci.DigestAlgorithm;
import io.berth.oci.MediaTypes;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/**
 * The manifests cosign attaches to an image under a tag named after its digest: {@code
 * sha256-<hex>.sig} for signatures, {@code sha256-<hex>.att} for attestations. Each is an OCI image
 * manifest whose layers are the signatures (or envelopes), with a config listing them; a new one is
 * added to what the tag already holds, so several signers can sign one image.
 */
public final class CosignAttachment {
    /** The tag suffix of signatures. */
    public static final String SIGNATURES = "sig";
    /** The tag suffix of attestations. */
    public static final String ATTESTATIONS = "att";
    /** The layer annotation holding a simple-signing layer's base64 signature. */
    public static final String SIGNATURE_ANNOTATION = "dev.cosignproject.cosign/signature";

    private static final ObjectMapper JSON = new ObjectMapper();

    private CosignAttachment() {
    }

    /** One signature or envelope: the layer's blob, media type and annotations. */
    public record Layer(byte[] content, String mediaType, Map<String, String> annotations) {
        public Layer {
            annotations = Map.copyOf(annotations);
        }

        public Digest digest() {
            return Digest.of(DigestAlgorithm.SHA256, content);
        }
    }

    /** A manifest to push, and the config blob it names. */
    public record Built(byte[] config, byte[] manifest) {
        public Digest configDigest() {
            return Digest.of(DigestAlgorithm.SHA256, config);
        }

        public Digest manifestDigest() {
            return Digest.of(DigestAlgorithm.SHA256, manifest);
        }
    }

    /** The tag under which the {@code suffix} attachment of {@code subject} lives. */
    public static String tag(Digest subject, String suffix) {
        return subject.algorithm().identifier() + "-" + subject.encoded() + "." + suffix;
    }

    /**
     * The attachment manifest holding the layers of {@code existing} (the manifest the tag now
     * points at, if any) and {@code added}. A layer with the same blob and annotations (the same
     * signature) is not added twice; the same payload signed again, by another key or by one whose
     * signatures are randomised (ECDSA), is a layer of its own.
     *
     * @throws IllegalArgumentException when {@code existing} is not an image manifest
     */
    public static Built with(Optional<byte[]> existing, Layer added) {
        ArrayNode layers = JSON.createArrayNode();
        if (existing.isPresent()) {
            JsonNode old = read(existing.get());
            if (!old.path("layers").isArray()) {
                throw new IllegalArgumentException("the attachment tag holds a manifest without layers");
            }
            old.path("layers").forEach(layer -> {
                if (!sameLayer(layer, added)) {
                    layers.add(layer);
                }
            });
        }
        ObjectNode layer = layers.addObject();
        layer.put("mediaType", added.mediaType());
        layer.put("size", added.content().length);
        layer.put("digest", added.digest().toString());
        ObjectNode annotations = layer.putObject("annotations");
        added.annotations().forEach(annotations::put);

        ObjectNode config = JSON.createObjectNode();
        config.put("architecture", "");
        config.put("created", "0001-01-01T00:00:00Z");
        config.putArray("history").addObject().put("created", "0001-01-01T00:00:00Z");
        config.put("os", "");
        ObjectNode rootfs = config.putObject("rootfs");
        rootfs.put("type", "layers");
        ArrayNode diffIds = rootfs.putArray("diff_ids");
        layers.forEach(each -> diffIds.add(each.path("digest").asText()));
        config.putObject("config");
        byte[] configBytes = write(config);

        ObjectNode manifest = JSON.createObjectNode();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", MediaTypes.OCI_MANIFEST);
        ObjectNode configDescriptor = manifest.putObject("config");
        configDescriptor.put("mediaType", "application/vnd.oci.image.config.v1+json");
        configDescriptor.put("size", configBytes.length);
        configDescriptor.put("digest", Digest.of(DigestAlgorithm.SHA256, configBytes).toString());
        manifest.set("layers", layers);
        return new Built(configBytes, write(manifest));
    }

    private static boolean sameLayer(JsonNode layer, Layer added) {
        if (!layer.path("digest").asText().equals(added.digest().toString())) {
            return false;
        }
        JsonNode annotations = layer.path("annotations");
        return annotations.size() == added.annotations().size() && added.annotations().entrySet().stream()
                .allMatch(entry -> annotations.path(entry.getKey()).asText("\0").equals(entry.getValue()));
    }

    private static JsonNode read(byte[] content) {
        try {
            return JSON.readTree(content);
        } catch (IOException e) {
            throw new IllegalArgumentException("the attachment tag holds a manifest that is not JSON");
        }
    }

    private static byte[] write(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
