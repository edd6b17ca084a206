package io.berth.oci;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Parses and validates the manifest formats of the OCI Image Spec ("Image Manifest", "Image Index")
 * and Docker's "Image Manifest Version 2, Schema 2" (manifest and manifest list). Schema 1 is
 * refused. Validation is structural: references to blobs and manifests are checked against the
 * repository by the caller.
 */
public final class ManifestParser {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private ManifestParser() {
    }

    /**
     * Parses {@code bytes} sent with {@code contentType} (which may be absent or carry parameters).
     *
     * @throws RegistryException {@code MANIFEST_INVALID} for malformed JSON, an unknown or
     *                           mismatched media type, schema 1, or an invalid descriptor
     */
    public static Manifest parse(byte[] bytes, Optional<String> contentType) {
        JsonNode root = readTree(bytes);
        if (!root.isObject()) {
            throw invalid("a manifest must be a JSON object");
        }
        JsonNode schemaVersion = root.get("schemaVersion");
        if (schemaVersion != null && schemaVersion.isInt() && schemaVersion.intValue() == 1) {
            throw RegistryException.of(ErrorCode.MANIFEST_INVALID,
                    "Docker image manifest schema 1 is unsupported: push schema 2 or OCI manifests");
        }
        if (schemaVersion == null || !schemaVersion.isInt() || schemaVersion.intValue() != 2) {
            throw invalid("schemaVersion must be 2");
        }
        Optional<String> declared = optionalText(root, "mediaType");
        Optional<String> header = contentType.map(MediaTypes::essence).filter(type -> !type.isEmpty());
        ManifestKind kind = kindOf(root, declared, header);
        return switch (kind) {
            case OCI_IMAGE, DOCKER_IMAGE -> parseImage(root, kind);
            case OCI_INDEX, DOCKER_LIST -> parseIndex(root, kind);
        };
    }

    private static ManifestKind kindOf(JsonNode root, Optional<String> declared, Optional<String> header) {
        for (Optional<String> type : List.of(declared, header)) {
            if (type.isPresent() && isSchema1(type.get())) {
                throw RegistryException.of(ErrorCode.MANIFEST_INVALID,
                        "Docker image manifest schema 1 is unsupported: push schema 2 or OCI manifests");
            }
        }
        if (declared.isPresent()) {
            if (header.isPresent() && !header.get().equals(declared.get())) {
                throw invalid("Content-Type " + header.get() + " does not match the manifest's mediaType " + declared.get());
            }
            return ManifestKind.fromMediaType(declared.get())
                    .orElseThrow(() -> invalid("unsupported manifest mediaType " + declared.get()));
        }
        if (header.isPresent() && ManifestKind.fromMediaType(header.get()).isPresent()) {
            ManifestKind kind = ManifestKind.fromMediaType(header.get()).orElseThrow();
            if (kind == ManifestKind.DOCKER_IMAGE || kind == ManifestKind.DOCKER_LIST) {
                throw invalid("a Docker schema 2 manifest must declare its mediaType");
            }
            return kind;
        }
        if (header.isPresent() && !header.get().equals(MediaTypes.JSON) && !header.get().equals(MediaTypes.OCTET_STREAM)) {
            throw invalid("unsupported manifest media type " + header.get());
        }
        // No usable type anywhere: the OCI formats may omit mediaType, so tell them apart by shape.
        if (root.has("manifests") && !root.has("config")) {
            return ManifestKind.OCI_INDEX;
        }
        if (root.has("config")) {
            return ManifestKind.OCI_IMAGE;
        }
        throw invalid("cannot tell the manifest's type: set mediaType");
    }

    private static boolean isSchema1(String mediaType) {
        return mediaType.equals(MediaTypes.DOCKER_SCHEMA1) || mediaType.equals(MediaTypes.DOCKER_SCHEMA1_SIGNED);
    }

    private static Manifest parseImage(JsonNode root, ManifestKind kind) {
        JsonNode config = root.get("config");
        if (config == null || !config.isObject()) {
            throw invalid("an image manifest needs a config descriptor");
        }
        JsonNode layers = root.get("layers");
        if (layers == null || !layers.isArray()) {
            throw invalid("an image manifest needs a layers array");
        }
        if (root.has("manifests")) {
            throw invalid("an image manifest must not have manifests");
        }
        List<Descriptor> layerList = new ArrayList<>();
        for (JsonNode layer : layers) {
            layerList.add(descriptor(layer, "layer"));
        }
        return new Manifest(kind, kind.mediaType(), Optional.of(descriptor(config, "config")), layerList, List.of(),
                subject(root), artifactType(root), annotations(root));
    }

    private static Manifest parseIndex(JsonNode root, ManifestKind kind) {
        JsonNode manifests = root.get("manifests");
        if (manifests == null || !manifests.isArray()) {
            throw invalid("an index needs a manifests array");
        }
        if (root.has("config") || root.has("layers")) {
            throw invalid("an index must not have a config or layers");
        }
        List<Descriptor> children = new ArrayList<>();
        for (JsonNode child : manifests) {
            children.add(descriptor(child, "manifests entry"));
        }
        return new Manifest(kind, kind.mediaType(), Optional.empty(), List.of(), children,
                subject(root), artifactType(root), annotations(root));
    }

    private static Optional<Descriptor> subject(JsonNode root) {
        JsonNode subject = root.get("subject");
        if (subject == null || subject.isNull()) {
            return Optional.empty();
        }
        return Optional.of(descriptor(subject, "subject"));
    }

    private static Optional<String> artifactType(JsonNode root) {
        Optional<String> artifactType = optionalText(root, "artifactType");
        if (artifactType.isPresent() && !Descriptor.isValidMediaType(artifactType.get())) {
            throw invalid("artifactType must be a media type");
        }
        return artifactType;
    }

    /** Parses one descriptor, naming {@code role} in errors. */
    static Descriptor descriptor(JsonNode node, String role) {
        if (!node.isObject()) {
            throw invalid(role + " must be a descriptor object");
        }
        String mediaType = optionalText(node, "mediaType").orElseThrow(() -> invalid(role + " lacks mediaType"));
        String digestText = optionalText(node, "digest").orElseThrow(() -> invalid(role + " lacks digest"));
        JsonNode size = node.get("size");
        if (size == null || !size.canConvertToExactIntegral() || !size.canConvertToLong()) {
            throw invalid(role + " needs an integer size");
        }
        Digest digest;
        try {
            digest = Digest.parse(digestText);
        } catch (RegistryException e) {
            throw invalid(role + " has an invalid digest: " + e.getMessage());
        }
        List<String> urls = new ArrayList<>();
        JsonNode urlNode = node.get("urls");
        if (urlNode != null && urlNode.isArray()) {
            urlNode.forEach(url -> urls.add(url.asText()));
        }
        return new Descriptor(mediaType, digest, size.longValue(), artifactType(node), annotations(node), urls);
    }

    private static Map<String, String> annotations(JsonNode node) {
        JsonNode annotations = node.get("annotations");
        if (annotations == null || annotations.isNull()) {
            return Map.of();
        }
        if (!annotations.isObject()) {
            throw invalid("annotations must be an object of strings");
        }
        Map<String, String> result = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : annotations.properties()) {
            if (!entry.getValue().isTextual()) {
                throw invalid("annotation " + entry.getKey() + " must be a string");
            }
            result.put(entry.getKey(), entry.getValue().textValue());
        }
        return result;
    }

    private static Optional<String> optionalText(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw invalid(field + " must be a string");
        }
        return Optional.of(value.textValue());
    }

    private static JsonNode readTree(byte[] bytes) {
        try {
            JsonNode node = JSON.readTree(bytes);
            if (node == null || node.isMissingNode()) {
                throw invalid("empty manifest");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw invalid("malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw invalid("unreadable manifest");
        }
    }

    private static RegistryException invalid(String message) {
        return RegistryException.of(ErrorCode.MANIFEST_INVALID, message);
    }
}
