package io.berth.conformance;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.oci.MediaTypes;
import io.berth.testing.TestBlob;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * The content the OCI conformance suite pushes, rebuilt with our own values but the same shapes:
 * one image config per workflow made unique by a random author, one gzip tarball layer shared by
 * all images, image manifests whose config descriptor embeds the config in {@code data} and whose
 * descriptors carry a field no spec defines, a manifest without layers and without
 * {@code mediaType}, and the artifacts and index that refer to a subject for the referrers checks.
 * Every document is pretty-printed with tabs, as the suite sends them, so the registry must keep
 * and serve the exact bytes rather than a re-serialisation.
 */
final class ConformanceContent {
    /** The workflows each get their own config and image: pull, push, discovery, management, referrers. */
    static final int WORKFLOWS = 5;
    static final String CONFIG_TYPE = "application/vnd.oci.image.config.v1+json";
    static final String LAYER_TYPE = "application/vnd.oci.image.layer.v1.tar+gzip";
    /** The digest of {@code {}}, fixed by the OCI image spec's "empty descriptor" guidance. */
    static final String EMPTY_JSON_DIGEST = "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a";
    static final String ARTIFACT_TYPE_ALPHA = "application/vnd.berth.conformance.alpha";
    static final String ARTIFACT_TYPE_BETA = "application/vnd.berth.conformance.beta";
    static final String ARTIFACT_TYPE_BUNDLE = "application/vnd.berth.conformance.bundle";
    static final String ANNOTATION_KEY = "io.berth.conformance.case";
    /** A field that no spec defines; registries must store and serve manifests that carry it. */
    static final String UNSPECIFIED_FIELD = "berthUnspecifiedField";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectWriter TAB_INDENTED = JSON.writer(new DefaultPrettyPrinter()
            .withObjectIndenter(new DefaultIndenter("\t", "\n"))
            .withArrayIndenter(new DefaultIndenter("\t", "\n")));
    private static final String AUTHOR_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-";

    final List<TestBlob> configs;
    final TestBlob layer;
    final List<TestBlob> images;
    /** An image manifest over {@code configs[1]} with an empty layer list and no {@code mediaType}. */
    final TestBlob imageWithoutLayers;
    /** Streamed into the push workflow's repository, then mounted elsewhere. */
    final TestBlob streamedBlob;
    /** Pushed in two chunks; {@link #firstChunkLength} may grow to honour a minimum chunk size. */
    TestBlob chunkedBlob;
    int firstChunkLength;
    /** Never pushed anywhere: the digest every "unknown blob" check asks for. */
    final TestBlob neverPushed = TestBlob.of("no registry should hold this conformance blob");
    final TestBlob emptyJson = TestBlob.of("{}");
    final TestBlob alphaPayload = TestBlob.of("alpha payload of the conformance referrers");
    final TestBlob betaPayload = TestBlob.of("beta payload of the conformance referrers");

    /** Referrers of {@code images[4]}, and one of {@code images[3]}, which is never pushed. */
    final TestBlob alphaConfigArtifact;
    final TestBlob alphaLayerArtifact;
    final TestBlob betaConfigArtifact;
    final TestBlob betaLayerArtifact;
    final TestBlob danglingArtifact;
    final TestBlob bundleIndex;
    /** The annotation value each annotated referrer carries, by digest. */
    final Map<String, String> annotationByDigest = new LinkedHashMap<>();

    /** The push workflow's artifacts and indexes, without subjects. */
    final TestBlob configTypedArtifact;
    final TestBlob artifactTypedArtifact;

    private ConformanceContent(long seed) {
        SecureRandom random = new SecureRandom();
        List<TestBlob> configList = new ArrayList<>();
        for (int i = 0; i < WORKFLOWS; i++) {
            configList.add(config(randomAuthor(random)));
        }
        configs = List.copyOf(configList);
        layer = gzipTarball("conformance.txt", "a layer with one small file\n");
        List<TestBlob> imageList = new ArrayList<>();
        for (TestBlob config : configs) {
            ObjectNode manifest = manifestRoot(MediaTypes.OCI_MANIFEST);
            manifest.set("config", configDescriptor(config));
            manifest.putArray("layers").add(descriptor(LAYER_TYPE, layer));
            imageList.add(serialise(manifest));
        }
        images = List.copyOf(imageList);

        ObjectNode withoutLayers = manifestRoot(null);
        withoutLayers.set("config", configDescriptor(configs.get(1)));
        withoutLayers.putArray("layers");
        imageWithoutLayers = serialise(withoutLayers);

        streamedBlob = TestBlob.random(42, seed + 1);
        resizeChunkedBlob(42, seed + 2);

        TestBlob subject = images.get(4);
        alphaConfigArtifact = annotated(configArtifact(ARTIFACT_TYPE_ALPHA, alphaPayload, subject), "alpha as config");
        betaConfigArtifact = annotated(configArtifact(ARTIFACT_TYPE_BETA, betaPayload, subject), "beta as config");
        alphaLayerArtifact = annotated(layerArtifact(ARTIFACT_TYPE_ALPHA, alphaPayload, subject), "alpha as layer");
        betaLayerArtifact = annotated(layerArtifact(ARTIFACT_TYPE_BETA, betaPayload, subject), "beta as layer");
        danglingArtifact = serialise(layerArtifact(ARTIFACT_TYPE_BETA, betaPayload, images.get(3)));
        ObjectNode bundle = index(ARTIFACT_TYPE_BUNDLE, List.of(
                descriptor(MediaTypes.OCI_MANIFEST, alphaConfigArtifact),
                descriptor(MediaTypes.OCI_MANIFEST, alphaLayerArtifact)));
        bundle.set("subject", descriptor(MediaTypes.OCI_MANIFEST, subject));
        bundleIndex = annotated(bundle, "bundle index");

        configTypedArtifact = serialise(configArtifact(ARTIFACT_TYPE_ALPHA, alphaPayload, null));
        artifactTypedArtifact = serialise(layerArtifact(ARTIFACT_TYPE_ALPHA, alphaPayload, null));
    }

    /** Fresh content: new random authors, hence new config and image digests, on every call. */
    static ConformanceContent generate(long seed) {
        return new ConformanceContent(seed);
    }

    /** Rebuilds the chunked blob at {@code size} bytes, split after {@code size / 2 + 1} bytes. */
    void resizeChunkedBlob(int size, long seed) {
        chunkedBlob = TestBlob.random(size, seed);
        firstChunkLength = size / 2 + 1;
    }

    byte[] firstChunk() {
        return Arrays.copyOfRange(chunkedBlob.content(), 0, firstChunkLength);
    }

    byte[] secondChunk() {
        return Arrays.copyOfRange(chunkedBlob.content(), firstChunkLength, chunkedBlob.content().length);
    }

    /** {@code Content-Range} of the first chunk: {@code 0-(first length - 1)}. */
    String firstChunkRange() {
        return "0-" + (firstChunkLength - 1);
    }

    String secondChunkRange() {
        return firstChunkLength + "-" + (chunkedBlob.content().length - 1);
    }

    /** An index of artifact type {@link #ARTIFACT_TYPE_BUNDLE} over the given manifests. */
    TestBlob indexOver(String childMediaType, TestBlob... children) {
        List<ObjectNode> entries = new ArrayList<>();
        for (TestBlob child : children) {
            entries.add(descriptor(childMediaType, child));
        }
        ObjectNode index = index(ARTIFACT_TYPE_BUNDLE, entries);
        index.putObject("annotations").put(ANNOTATION_KEY, "index over " + children.length);
        return serialise(index);
    }

    private static TestBlob config(String author) {
        ObjectNode config = JSON.createObjectNode();
        config.put("author", author);
        config.put("architecture", "amd64");
        config.put("os", "linux");
        ObjectNode rootfs = config.putObject("rootfs");
        rootfs.put("type", "layers");
        rootfs.putArray("diff_ids");
        return serialise(config);
    }

    private static ObjectNode manifestRoot(String mediaType) {
        ObjectNode root = JSON.createObjectNode();
        root.put("schemaVersion", 2);
        if (mediaType != null) {
            root.put("mediaType", mediaType);
        }
        return root;
    }

    /** A config descriptor that embeds the config in {@code data} and sets the unspecified field. */
    private static ObjectNode configDescriptor(TestBlob config) {
        ObjectNode descriptor = descriptor(CONFIG_TYPE, config);
        descriptor.put("data", Base64.getEncoder().encodeToString(config.content()));
        descriptor.put(UNSPECIFIED_FIELD, Base64.getEncoder().encodeToString(
                "any content at all".getBytes(StandardCharsets.UTF_8)));
        return descriptor;
    }

    /** A descriptor with the unspecified field present but {@code null}. */
    static ObjectNode descriptor(String mediaType, TestBlob blob) {
        ObjectNode descriptor = JSON.createObjectNode();
        descriptor.put("mediaType", mediaType);
        descriptor.put("digest", blob.digest().toString());
        descriptor.put("size", blob.size());
        descriptor.putNull(UNSPECIFIED_FIELD);
        return descriptor;
    }

    /** An artifact whose type is its config's media type; the payload is the config. */
    private ObjectNode configArtifact(String artifactType, TestBlob payload, TestBlob subject) {
        ObjectNode manifest = manifestRoot(MediaTypes.OCI_MANIFEST);
        manifest.set("config", descriptor(artifactType, payload));
        manifest.putArray("layers").add(descriptor(MediaTypes.OCI_EMPTY, emptyJson));
        if (subject != null) {
            manifest.set("subject", descriptor(MediaTypes.OCI_MANIFEST, subject));
        }
        return manifest;
    }

    /** An artifact with {@code artifactType} set, the empty config, and the payload as its layer. */
    private ObjectNode layerArtifact(String artifactType, TestBlob payload, TestBlob subject) {
        ObjectNode manifest = manifestRoot(MediaTypes.OCI_MANIFEST);
        manifest.put("artifactType", artifactType);
        manifest.set("config", descriptor(MediaTypes.OCI_EMPTY, emptyJson));
        manifest.putArray("layers").add(descriptor(artifactType, payload));
        if (subject != null) {
            manifest.set("subject", descriptor(MediaTypes.OCI_MANIFEST, subject));
        }
        return manifest;
    }

    private static ObjectNode index(String artifactType, List<ObjectNode> entries) {
        ObjectNode index = manifestRoot(MediaTypes.OCI_INDEX);
        index.put("artifactType", artifactType);
        ArrayNode manifests = index.putArray("manifests");
        entries.forEach(manifests::add);
        return index;
    }

    private TestBlob annotated(ObjectNode manifest, String value) {
        manifest.putObject("annotations").put(ANNOTATION_KEY, value);
        TestBlob blob = serialise(manifest);
        annotationByDigest.put(blob.digest().toString(), value);
        return blob;
    }

    private static TestBlob serialise(ObjectNode node) {
        try {
            return TestBlob.of(TAB_INDENTED.writeValueAsBytes(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String randomAuthor(SecureRandom random) {
        StringBuilder author = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            author.append(AUTHOR_ALPHABET.charAt(random.nextInt(AUTHOR_ALPHABET.length())));
        }
        return author.toString();
    }

    /** A gzip-compressed POSIX tar archive holding one regular file. */
    static TestBlob gzipTarball(String fileName, String fileContent) {
        byte[] data = fileContent.getBytes(StandardCharsets.UTF_8);
        byte[] header = new byte[512];
        put(header, 0, fileName);
        put(header, 100, "0000644\0");
        put(header, 108, "0000000\0");
        put(header, 116, "0000000\0");
        put(header, 124, String.format("%011o\0", data.length));
        put(header, 136, String.format("%011o\0", 0));
        Arrays.fill(header, 148, 156, (byte) ' ');
        header[156] = '0';
        put(header, 257, "ustar\0");
        put(header, 263, "00");
        int checksum = 0;
        for (byte b : header) {
            checksum += b & 0xff;
        }
        put(header, 148, String.format("%06o\0 ", checksum));
        int padded = (data.length + 511) / 512 * 512;
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(compressed)) {
            gzip.write(header);
            gzip.write(Arrays.copyOf(data, padded));
            gzip.write(new byte[1024]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return TestBlob.of(compressed.toByteArray());
    }

    private static void put(byte[] target, int offset, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(bytes, 0, target, offset, bytes.length);
    }
}
