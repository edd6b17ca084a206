package io.berth.oci;

import com.fasterxml.jackson.core.JsonToken;
import io.berth.oci.StrictJsonReader.ObjectKeys;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Parses and validates the manifest formats of the OCI Image Spec ("Image Manifest", "Image Index")
 * and Docker's "Image Manifest Version 2, Schema 2" (manifest and manifest list). Schema 1 is
 * refused. Validation is structural: references to blobs and manifests are checked against the
 * repository by the caller.
 *
 * <p>The bytes are read once, streaming, through {@link StrictJsonReader}, so that a manifest is
 * accepted only when Go clients read the same manifest from it: the same JSON, no keys that Go
 * would match to one field case-insensitively ({@code layers} and {@code Layers}), known fields
 * spelled exactly, every known field of the type Go decodes it into ({@code size} an integer that
 * fits {@code int64}, {@code urls} strings, {@code platform} fields strings, {@code data} base64),
 * and within the parsing limits of {@link Limits}. Unknown fields are read past without being kept.
 */
public final class ManifestParser {
    private static final Map<String, String> ROOT_FIELDS = ObjectKeys.fields(
            "schemaVersion", "mediaType", "artifactType", "config", "layers", "manifests", "subject", "annotations");
    private static final Map<String, String> DESCRIPTOR_FIELDS = ObjectKeys.fields(
            "mediaType", "digest", "size", "urls", "annotations", "data", "platform", "artifactType");
    private static final Map<String, String> PLATFORM_FIELDS = ObjectKeys.fields(
            "architecture", "os", "os.version", "os.features", "variant", "features");

    private ManifestParser() {
    }

    /**
     * Parses {@code bytes} sent with {@code contentType} (which may be absent or carry parameters).
     *
     * @throws RegistryException {@code MANIFEST_INVALID} for malformed JSON, an unknown or
     *                           mismatched media type, schema 1, or an invalid descriptor
     */
    public static Manifest parse(byte[] bytes, Optional<String> contentType) {
        Root root;
        try (StrictJsonReader json = StrictJsonReader.of(bytes)) {
            JsonToken first = json.next();
            if (first == null) {
                throw invalid("empty manifest");
            }
            if (first != JsonToken.START_OBJECT) {
                throw invalid("a manifest must be a JSON object");
            }
            root = readRoot(json);
            json.requireEnd();
        } catch (StrictJsonException e) {
            throw invalid(e.getMessage());
        }
        if (root.schemaVersion.equals(OptionalInt.of(1))) {
            throw RegistryException.of(ErrorCode.MANIFEST_INVALID,
                    "Docker image manifest schema 1 is unsupported: push schema 2 or OCI manifests");
        }
        if (!root.schemaVersion.equals(OptionalInt.of(2))) {
            throw invalid("schemaVersion must be 2");
        }
        Optional<String> header = contentType.map(MediaTypes::essence).filter(type -> !type.isEmpty());
        ManifestKind kind = kindOf(root, root.mediaType, header);
        return switch (kind) {
            case OCI_IMAGE, DOCKER_IMAGE -> image(root, kind);
            case OCI_INDEX, DOCKER_LIST -> index(root, kind);
        };
    }

    /** The top-level fields, as read; {@code present} names every field that appeared, even as {@code null}. */
    private static final class Root {
        final Set<String> present = new HashSet<>();
        OptionalInt schemaVersion = OptionalInt.empty();
        Optional<String> mediaType = Optional.empty();
        Optional<String> artifactType = Optional.empty();
        Optional<Descriptor> config = Optional.empty();
        Optional<List<Descriptor>> layers = Optional.empty();
        Optional<List<Descriptor>> manifests = Optional.empty();
        Optional<Descriptor> subject = Optional.empty();
        Map<String, String> annotations = Map.of();
    }

    private static Root readRoot(StrictJsonReader json) {
        Root root = new Root();
        ObjectKeys keys = new ObjectKeys(ROOT_FIELDS);
        while (json.next() == JsonToken.FIELD_NAME) {
            String name = keys.add(json.text());
            json.next();
            root.present.add(name);
            switch (name) {
                case "schemaVersion" -> {
                    OptionalLong version = json.integer();
                    if (version.isPresent() && version.getAsLong() >= 0 && version.getAsLong() <= Integer.MAX_VALUE) {
                        root.schemaVersion = OptionalInt.of((int) version.getAsLong());
                    }
                }
                case "mediaType" -> root.mediaType = optionalText(json, name);
                case "artifactType" -> root.artifactType = artifactType(json);
                case "config" -> root.config = optionalDescriptor(json, "config", "config descriptor must be a JSON object");
                case "layers" -> root.layers = optionalDescriptors(json, "layer", "the layers array must be a JSON array");
                case "manifests" -> root.manifests = optionalDescriptors(json, "manifests entry",
                        "the manifests array must be a JSON array");
                case "subject" -> root.subject = optionalDescriptor(json, "subject", "subject must be a descriptor object");
                case "annotations" -> root.annotations = annotations(json);
                default -> json.skipValue();
            }
        }
        return root;
    }

    private static ManifestKind kindOf(Root root, Optional<String> declared, Optional<String> header) {
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
        if (root.present.contains("manifests") && !root.present.contains("config")) {
            return ManifestKind.OCI_INDEX;
        }
        if (root.present.contains("config")) {
            return ManifestKind.OCI_IMAGE;
        }
        throw invalid("cannot tell the manifest's type: set mediaType");
    }

    private static boolean isSchema1(String mediaType) {
        return mediaType.equals(MediaTypes.DOCKER_SCHEMA1) || mediaType.equals(MediaTypes.DOCKER_SCHEMA1_SIGNED);
    }

    private static Manifest image(Root root, ManifestKind kind) {
        Descriptor config = root.config.orElseThrow(() -> invalid("an image manifest needs a config descriptor"));
        List<Descriptor> layers = root.layers.orElseThrow(() -> invalid("an image manifest needs a layers array"));
        if (root.present.contains("manifests")) {
            throw invalid("an image manifest must not have manifests");
        }
        return new Manifest(kind, kind.mediaType(), Optional.of(config), layers, List.of(),
                root.subject, root.artifactType, root.annotations);
    }

    private static Manifest index(Root root, ManifestKind kind) {
        List<Descriptor> children = root.manifests.orElseThrow(() -> invalid("an index needs a manifests array"));
        if (root.present.contains("config") || root.present.contains("layers")) {
            throw invalid("an index must not have a config or layers");
        }
        return new Manifest(kind, kind.mediaType(), Optional.empty(), List.of(), children,
                root.subject, root.artifactType, root.annotations);
    }

    private static Optional<Descriptor> optionalDescriptor(StrictJsonReader json, String role, String notAnObject) {
        if (json.isNull()) {
            return Optional.empty();
        }
        if (json.token() != JsonToken.START_OBJECT) {
            throw invalid(notAnObject);
        }
        return Optional.of(descriptor(json, role));
    }

    private static Optional<List<Descriptor>> optionalDescriptors(StrictJsonReader json, String role, String notAnArray) {
        if (json.isNull()) {
            return Optional.empty();
        }
        if (json.token() != JsonToken.START_ARRAY) {
            throw invalid(notAnArray);
        }
        List<Descriptor> descriptors = new ArrayList<>();
        while (json.next() != JsonToken.END_ARRAY) {
            if (descriptors.size() == Limits.MAX_JSON_ELEMENTS) {
                throw invalid("more than " + Limits.MAX_JSON_ELEMENTS + " descriptors in one array");
            }
            descriptors.add(descriptor(json, role));
        }
        return Optional.of(descriptors);
    }

    /** Reads one descriptor whose first token is current, naming {@code role} in errors. */
    private static Descriptor descriptor(StrictJsonReader json, String role) {
        if (json.token() != JsonToken.START_OBJECT) {
            throw invalid(role + " must be a descriptor object");
        }
        ObjectKeys keys = new ObjectKeys(DESCRIPTOR_FIELDS);
        Optional<String> mediaType = Optional.empty();
        Optional<String> digestText = Optional.empty();
        boolean hasSize = false;
        OptionalLong size = OptionalLong.empty();
        Optional<String> artifactType = Optional.empty();
        Map<String, String> annotations = Map.of();
        List<String> urls = List.of();
        Optional<String> data = Optional.empty();
        while (json.next() == JsonToken.FIELD_NAME) {
            String name = keys.add(json.text());
            json.next();
            switch (name) {
                case "mediaType" -> mediaType = optionalText(json, name);
                case "digest" -> digestText = optionalText(json, name);
                case "size" -> {
                    hasSize = true;
                    size = json.integer();
                }
                case "urls" -> urls = strings(json, "urls");
                case "annotations" -> annotations = annotations(json);
                case "data" -> data = optionalText(json, name);
                case "platform" -> platform(json);
                case "artifactType" -> artifactType = artifactType(json);
                default -> json.skipValue();
            }
        }
        String validMediaType = mediaType.orElseThrow(() -> invalid(role + " lacks mediaType"));
        String validDigestText = digestText.orElseThrow(() -> invalid(role + " lacks digest"));
        if (!hasSize || size.isEmpty()) {
            throw invalid(role + " needs an integer size that fits in 64 bits");
        }
        Digest digest;
        try {
            digest = Digest.parse(validDigestText);
        } catch (RegistryException e) {
            throw invalid(role + " has an invalid digest: " + e.getMessage());
        }
        Descriptor descriptor = new Descriptor(validMediaType, digest, size.getAsLong(), artifactType, annotations, urls);
        data.ifPresent(encoded -> requireEmbeddedData(encoded, descriptor, role));
        return descriptor;
    }

    /**
     * Image spec "Content Descriptors", {@code data}: base64 (RFC 4648 section 4, padded, as Go's
     * {@code base64.StdEncoding} reads it, which skips line breaks), and the decoded bytes MUST match
     * the descriptor's size and digest. A client that uses the embedded bytes skips the fetch that
     * would have verified them.
     */
    private static void requireEmbeddedData(String encoded, Descriptor descriptor, String role) {
        String base64 = encoded.replace("\r", "").replace("\n", "");
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw invalid(role + " has data that is not base64");
        }
        if (base64.length() % 4 != 0 || !Base64.getEncoder().encodeToString(decoded).equals(base64)) {
            throw invalid(role + " has data that is not padded base64");
        }
        if (decoded.length != descriptor.size()
                || !Digest.of(descriptor.digest().algorithm(), decoded).equals(descriptor.digest())) {
            throw invalid(role + " has data that does not match its size and digest");
        }
    }

    /** Image spec "Image Index", {@code platform}: an object of strings and arrays of strings, or null. */
    private static void platform(StrictJsonReader json) {
        if (json.isNull()) {
            return;
        }
        if (json.token() != JsonToken.START_OBJECT) {
            throw invalid("platform must be an object");
        }
        ObjectKeys keys = new ObjectKeys(PLATFORM_FIELDS);
        while (json.next() == JsonToken.FIELD_NAME) {
            String name = keys.add(json.text());
            json.next();
            switch (name) {
                case "architecture", "os", "os.version", "variant" -> optionalText(json, "platform " + name);
                case "os.features", "features" -> strings(json, "platform " + name);
                default -> json.skipValue();
            }
        }
    }

    private static Optional<String> artifactType(StrictJsonReader json) {
        Optional<String> artifactType = optionalText(json, "artifactType");
        if (artifactType.isPresent() && !Descriptor.isValidMediaType(artifactType.get())) {
            throw invalid("artifactType must be a media type");
        }
        return artifactType;
    }

    /** An object of strings (Go: {@code map[string]string}, so keys are exact and only exact duplicates collide), or null. */
    private static Map<String, String> annotations(StrictJsonReader json) {
        if (json.isNull()) {
            return Map.of();
        }
        if (json.token() != JsonToken.START_OBJECT) {
            throw invalid("annotations must be an object of strings");
        }
        Map<String, String> result = new LinkedHashMap<>();
        while (json.next() == JsonToken.FIELD_NAME) {
            String key = json.text();
            if (json.next() != JsonToken.VALUE_STRING) {
                throw invalid("annotation " + key + " must be a string");
            }
            if (result.size() == Limits.MAX_JSON_ELEMENTS) {
                throw invalid("more than " + Limits.MAX_JSON_ELEMENTS + " annotations in one object");
            }
            result.put(key, json.text());
        }
        return result;
    }

    /** An array of strings (Go: {@code []string}), or null. */
    private static List<String> strings(StrictJsonReader json, String field) {
        if (json.isNull()) {
            return List.of();
        }
        if (json.token() != JsonToken.START_ARRAY) {
            throw invalid(field + " must be an array of strings");
        }
        List<String> result = new ArrayList<>();
        while (json.next() != JsonToken.END_ARRAY) {
            if (json.token() != JsonToken.VALUE_STRING) {
                throw invalid(field + " must be an array of strings");
            }
            if (result.size() == Limits.MAX_JSON_ELEMENTS) {
                throw invalid("more than " + Limits.MAX_JSON_ELEMENTS + " elements in " + field);
            }
            result.add(json.text());
        }
        return result;
    }

    /** A string, or empty for null; anything else is refused (Go cannot decode it into a string). */
    private static Optional<String> optionalText(StrictJsonReader json, String field) {
        if (json.isNull()) {
            return Optional.empty();
        }
        if (json.token() != JsonToken.VALUE_STRING) {
            throw invalid(field + " must be a string");
        }
        return Optional.of(json.text());
    }

    private static RegistryException invalid(String message) {
        return RegistryException.of(ErrorCode.MANIFEST_INVALID, message);
    }
}
