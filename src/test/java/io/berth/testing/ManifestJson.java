package io.berth.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.oci.Digest;
import io.berth.oci.MediaTypes;

/** Builds manifest JSON for tests, field by field. */
public final class ManifestJson {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ObjectNode root = JSON.createObjectNode();

    private ManifestJson(String mediaType) {
        root.put("schemaVersion", 2);
        if (mediaType != null) {
            root.put("mediaType", mediaType);
        }
    }

    /** An OCI image manifest with the given config and layers. */
    public static ManifestJson ociImage(TestBlob config, TestBlob... layers) {
        return image(MediaTypes.OCI_MANIFEST, "application/vnd.oci.image.config.v1+json",
                "application/vnd.oci.image.layer.v1.tar+gzip", config, layers);
    }

    /** A Docker schema 2 image manifest. */
    public static ManifestJson dockerImage(TestBlob config, TestBlob... layers) {
        return image(MediaTypes.DOCKER_MANIFEST, "application/vnd.docker.container.image.v1+json",
                "application/vnd.docker.image.rootfs.diff.tar.gzip", config, layers);
    }

    private static ManifestJson image(String mediaType, String configType, String layerType, TestBlob config,
                                      TestBlob... layers) {
        ManifestJson manifest = new ManifestJson(mediaType);
        manifest.root.set("config", descriptor(configType, config.digest(), config.size()));
        ArrayNode layerArray = manifest.root.putArray("layers");
        for (TestBlob layer : layers) {
            layerArray.add(descriptor(layerType, layer.digest(), layer.size()));
        }
        return manifest;
    }

    /** An index (OCI or Docker list, by media type) over child manifests. */
    public static ManifestJson index(String mediaType, String childType, TestBlob... children) {
        ManifestJson manifest = new ManifestJson(mediaType);
        ArrayNode manifests = manifest.root.putArray("manifests");
        for (TestBlob child : children) {
            ObjectNode entry = descriptor(childType, child.digest(), child.size());
            ObjectNode platform = entry.putObject("platform");
            platform.put("architecture", "amd64");
            platform.put("os", "linux");
            manifests.add(entry);
        }
        return manifest;
    }

    public static ObjectNode descriptor(String mediaType, Digest digest, long size) {
        ObjectNode node = JSON.createObjectNode();
        node.put("mediaType", mediaType);
        node.put("digest", digest.toString());
        node.put("size", size);
        return node;
    }

    public ManifestJson subject(TestBlob subject, String mediaType) {
        root.set("subject", descriptor(mediaType, subject.digest(), subject.size()));
        return this;
    }

    /** Replaces the config descriptor's media type (artifacts use their own or the empty type). */
    public ManifestJson configMediaType(String mediaType) {
        ((ObjectNode) root.get("config")).put("mediaType", mediaType);
        return this;
    }

    public ManifestJson artifactType(String artifactType) {
        root.put("artifactType", artifactType);
        return this;
    }

    public ManifestJson annotation(String key, String value) {
        ObjectNode annotations = root.has("annotations") ? (ObjectNode) root.get("annotations") : root.putObject("annotations");
        annotations.put(key, value);
        return this;
    }

    public ManifestJson without(String field) {
        root.remove(field);
        return this;
    }

    public ObjectNode root() {
        return root;
    }

    public TestBlob build() {
        try {
            return TestBlob.of(JSON.writeValueAsBytes(root));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
