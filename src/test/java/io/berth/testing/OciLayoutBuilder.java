package io.berth.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.oci.Digest;
import io.berth.oci.DigestAlgorithm;
import io.berth.oci.MediaTypes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * Writes an OCI image layout (OCI Image Spec, "Image Layout") in plain Java: the {@code oci-layout}
 * marker, {@code blobs/sha256/<hex>} for every blob, and {@code index.json} naming the tagged
 * manifests with {@code org.opencontainers.image.ref.name}, the annotation that
 * {@code skopeo copy oci:DIR:TAG} and {@code podman pull oci:DIR:TAG} look up.
 *
 * <p>Images are real: each layer is a gzip-compressed ustar archive, the config carries
 * {@code architecture}, {@code os}, {@code rootfs.diff_ids} (the sha256 of each uncompressed
 * archive) and one {@code history} entry per layer. Everything is deterministic, so the same calls
 * always produce the same digests.
 *
 * <pre>{@code
 * OciLayoutBuilder layout = OciLayoutBuilder.create(directory);
 * OciImage image = layout.image(Platform.LINUX_AMD64)
 *         .layer(LayerContent.empty().directory("etc").file("etc/motd", "hello"))
 *         .build();
 * layout.tag("1", image).write();
 * }</pre>
 */
public final class OciLayoutBuilder {
    public static final String REF_NAME = "org.opencontainers.image.ref.name";
    public static final String CONFIG_MEDIA_TYPE = "application/vnd.oci.image.config.v1+json";
    public static final String LAYER_MEDIA_TYPE = "application/vnd.oci.image.layer.v1.tar+gzip";
    /** Every image's {@code created} time, fixed so configs are reproducible. */
    public static final String CREATED = "2024-01-01T00:00:00Z";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path root;
    private final List<ObjectNode> tagged = new ArrayList<>();

    private OciLayoutBuilder(Path root) {
        this.root = root;
    }

    /** Starts a layout in {@code root}, creating the directory and the {@code oci-layout} marker. */
    public static OciLayoutBuilder create(Path root) {
        try {
            Files.createDirectories(root.resolve("blobs").resolve("sha256"));
            Files.writeString(root.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new OciLayoutBuilder(root);
    }

    public Path root() {
        return root;
    }

    /** Starts an image for {@code platform}; {@link ImageBuilder#build()} writes its blobs. */
    public ImageBuilder image(Platform platform) {
        return new ImageBuilder(platform);
    }

    /** Writes an image index over {@code images}, each entry carrying its image's platform. */
    public OciIndex index(List<OciImage> images) {
        ObjectNode index = JSON.createObjectNode();
        index.put("schemaVersion", 2);
        index.put("mediaType", MediaTypes.OCI_INDEX);
        ArrayNode manifests = index.putArray("manifests");
        for (OciImage image : images) {
            ObjectNode entry = descriptor(image.manifest());
            ObjectNode platform = entry.putObject("platform");
            platform.put("architecture", image.platform().architecture());
            platform.put("os", image.platform().os());
            image.platform().variant().ifPresent(variant -> platform.put("variant", variant));
            manifests.add(entry);
        }
        return new OciIndex(writeBlob(MediaTypes.OCI_INDEX, json(index)), images);
    }

    /** Names {@code manifest} {@code tag} in {@code index.json}. */
    public OciLayoutBuilder tag(String tag, LayoutManifest manifest) {
        ObjectNode entry = descriptor(manifest.manifest());
        entry.putObject("annotations").put(REF_NAME, tag);
        tagged.add(entry);
        return this;
    }

    /** Writes {@code index.json}; the layout is complete and can be read back. */
    public OciLayout write() {
        ObjectNode index = JSON.createObjectNode();
        index.put("schemaVersion", 2);
        index.put("mediaType", MediaTypes.OCI_INDEX);
        index.putArray("manifests").addAll(tagged);
        try {
            Files.write(root.resolve("index.json"), json(index));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return OciLayout.open(root);
    }

    /** Stores {@code content} under {@code blobs/sha256/}. */
    public LayoutBlob writeBlob(String mediaType, byte[] content) {
        Digest digest = Digest.of(DigestAlgorithm.SHA256, content);
        try {
            Files.write(root.resolve("blobs").resolve("sha256").resolve(digest.encoded()), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new LayoutBlob(mediaType, digest, content.length);
    }

    /** One image: its layers, and the runtime settings its config declares. */
    public final class ImageBuilder {
        private final Platform platform;
        private final List<LayerContent> layers = new ArrayList<>();
        private final Map<String, String> labels = new LinkedHashMap<>();
        private final List<String> env = new ArrayList<>(List.of("PATH=/usr/local/bin:/usr/bin:/bin"));
        private List<String> cmd = List.of("/bin/sh");

        private ImageBuilder(Platform platform) {
            this.platform = platform;
        }

        public ImageBuilder layer(LayerContent layer) {
            layers.add(layer);
            return this;
        }

        public ImageBuilder label(String key, String value) {
            labels.put(key, value);
            return this;
        }

        public ImageBuilder env(String variable) {
            env.add(variable);
            return this;
        }

        public ImageBuilder cmd(String... arguments) {
            cmd = List.of(arguments);
            return this;
        }

        /** Writes the layers, the config and the manifest. */
        public OciImage build() {
            List<LayoutBlob> layerBlobs = new ArrayList<>();
            List<Digest> diffIds = new ArrayList<>();
            for (LayerContent layer : layers) {
                byte[] tar = layer.tar();
                diffIds.add(Digest.of(DigestAlgorithm.SHA256, tar));
                layerBlobs.add(writeBlob(LAYER_MEDIA_TYPE, gzip(tar)));
            }
            LayoutBlob config = writeBlob(CONFIG_MEDIA_TYPE, json(config(diffIds)));

            ObjectNode manifest = JSON.createObjectNode();
            manifest.put("schemaVersion", 2);
            manifest.put("mediaType", MediaTypes.OCI_MANIFEST);
            manifest.set("config", descriptor(config));
            ArrayNode layerArray = manifest.putArray("layers");
            layerBlobs.forEach(layer -> layerArray.add(descriptor(layer)));
            LayoutBlob manifestBlob = writeBlob(MediaTypes.OCI_MANIFEST, json(manifest));
            return new OciImage(manifestBlob, config, layerBlobs, diffIds, platform);
        }

        /** The image config (OCI Image Spec, "Image Configuration"). */
        private ObjectNode config(List<Digest> diffIds) {
            ObjectNode config = JSON.createObjectNode();
            config.put("created", CREATED);
            config.put("architecture", platform.architecture());
            config.put("os", platform.os());
            platform.variant().ifPresent(variant -> config.put("variant", variant));
            ObjectNode runtime = config.putObject("config");
            env.forEach(runtime.putArray("Env")::add);
            cmd.forEach(runtime.putArray("Cmd")::add);
            runtime.put("WorkingDir", "/");
            if (!labels.isEmpty()) {
                ObjectNode labelNode = runtime.putObject("Labels");
                labels.forEach(labelNode::put);
            }
            ObjectNode rootfs = config.putObject("rootfs");
            rootfs.put("type", "layers");
            ArrayNode diffIdArray = rootfs.putArray("diff_ids");
            diffIds.forEach(diffId -> diffIdArray.add(diffId.toString()));
            ArrayNode history = config.putArray("history");
            for (int i = 0; i < diffIds.size(); i++) {
                ObjectNode step = history.addObject();
                step.put("created", CREATED);
                step.put("created_by", "OciLayoutBuilder layer " + (i + 1));
            }
            return config;
        }
    }

    private static ObjectNode descriptor(LayoutBlob blob) {
        ObjectNode node = JSON.createObjectNode();
        node.put("mediaType", blob.mediaType());
        node.put("digest", blob.digest().toString());
        node.put("size", blob.size());
        return node;
    }

    private static byte[] gzip(byte[] content) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(content.length / 2 + 64);
        try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
            gzip.write(content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static byte[] json(ObjectNode node) {
        try {
            return JSON.writeValueAsString(node).getBytes(StandardCharsets.UTF_8);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
