package io.berth.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.oci.Digest;
import io.berth.oci.DigestAlgorithm;
import io.berth.oci.MediaTypes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Reads an OCI image layout (OCI Image Spec, "Image Layout"), whoever wrote it: {@link
 * OciLayoutBuilder} or a client such as {@code skopeo copy ... oci:DIR:TAG}.
 */
public record OciLayout(Path root) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Opens a layout, refusing a directory without the {@code oci-layout} marker. */
    public static OciLayout open(Path root) {
        if (!Files.isRegularFile(root.resolve("oci-layout"))) {
            throw new IllegalArgumentException(root + " is not an OCI image layout: no oci-layout file");
        }
        return new OciLayout(root);
    }

    public JsonNode index() {
        return readJson(root.resolve("index.json"));
    }

    /** The descriptor {@code index.json} names {@code tag}. */
    public Optional<LayoutBlob> tagged(String tag) {
        for (JsonNode entry : index().path("manifests")) {
            if (tag.equals(entry.path("annotations").path(OciLayoutBuilder.REF_NAME).asText(null))) {
                return Optional.of(new LayoutBlob(entry.path("mediaType").asText(),
                        Digest.parse(entry.path("digest").asText()), entry.path("size").asLong()));
            }
        }
        return Optional.empty();
    }

    public LayoutBlob requireTagged(String tag) {
        return tagged(tag).orElseThrow(() -> new AssertionError(
                "index.json of " + root + " names no manifest " + tag + ": " + index()));
    }

    public byte[] blob(Digest digest) {
        try {
            return Files.readAllBytes(blobPath(digest));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public JsonNode json(Digest digest) {
        return readJson(blobPath(digest));
    }

    /**
     * Every file under {@code blobs/}, by digest, with its size.
     *
     * @throws AssertionError when a file's content does not match the digest its name claims
     */
    public Map<Digest, Long> blobs() {
        Map<Digest, Long> blobs = new TreeMap<>((left, right) -> left.toString().compareTo(right.toString()));
        try (Stream<Path> files = Files.list(root.resolve("blobs").resolve("sha256"))) {
            for (Path file : files.toList()) {
                Digest named = Digest.parse("sha256:" + file.getFileName());
                byte[] content = Files.readAllBytes(file);
                Digest actual = Digest.of(DigestAlgorithm.SHA256, content);
                if (!actual.equals(named)) {
                    throw new AssertionError("blob file " + file + " holds content with digest " + actual);
                }
                blobs.put(named, (long) content.length);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return blobs;
    }

    /** The manifest and every blob it reaches: an index's children and their configs and layers. */
    public Set<Digest> reachableFrom(Digest manifest) {
        Set<Digest> reached = new LinkedHashSet<>();
        reached.add(manifest);
        JsonNode node = json(manifest);
        for (JsonNode child : node.path("manifests")) {
            reached.addAll(reachableFrom(Digest.parse(child.path("digest").asText())));
        }
        if (node.has("config")) {
            reached.add(Digest.parse(node.path("config").path("digest").asText()));
        }
        for (JsonNode layer : node.path("layers")) {
            reached.add(Digest.parse(layer.path("digest").asText()));
        }
        return reached;
    }

    /**
     * Pushes the manifest this layout names {@code layoutTag}, and everything it reaches, into
     * {@code repository} over the registry API: blobs first, an index's children next (by digest),
     * then the manifest itself under {@code registryTag}.
     *
     * @return the digest of the pushed manifest
     */
    public Digest push(RegistryHttp http, String layoutTag, String repository, String registryTag) {
        LayoutBlob tagged = requireTagged(layoutTag);
        pushManifest(http, repository, tagged.digest(), registryTag);
        return tagged.digest();
    }

    private void pushManifest(RegistryHttp http, String repository, Digest digest, String reference) {
        JsonNode manifest = json(digest);
        List<Digest> blobs = new ArrayList<>();
        if (manifest.has("config")) {
            blobs.add(Digest.parse(manifest.path("config").path("digest").asText()));
        }
        manifest.path("layers").forEach(layer -> blobs.add(Digest.parse(layer.path("digest").asText())));
        for (Digest blob : blobs) {
            http.pushBlob(repository, blob(blob));
        }
        for (JsonNode child : manifest.path("manifests")) {
            Digest childDigest = Digest.parse(child.path("digest").asText());
            pushManifest(http, repository, childDigest, childDigest.toString());
        }
        String mediaType = manifest.path("mediaType").asText(
                manifest.has("manifests") ? MediaTypes.OCI_INDEX : MediaTypes.OCI_MANIFEST);
        http.pushManifest(repository, reference, mediaType, blob(digest));
    }

    private Path blobPath(Digest digest) {
        return root.resolve("blobs").resolve(digest.algorithm().identifier()).resolve(digest.encoded());
    }

    private static JsonNode readJson(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
