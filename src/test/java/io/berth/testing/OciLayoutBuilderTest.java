package io.berth.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.oci.Digest;
import io.berth.oci.DigestAlgorithm;
import io.berth.oci.MediaTypes;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The layout fixture writes what the OCI Image Spec describes, byte for byte reproducibly. */
class OciLayoutBuilderTest {
    @TempDir
    Path temporary;

    private static final LayerContent LAYER = LayerContent.empty()
            .directory("etc")
            .file("etc/motd", "hello\n")
            .randomFile("data/payload.bin", 70_000, 7);

    @Test
    void layersAreGzippedUstarArchivesWhoseDiffIdsHashTheUncompressedBytes() throws IOException {
        OciLayoutBuilder builder = OciLayoutBuilder.create(temporary.resolve("layout"));
        OciImage image = builder.image(Platform.LINUX_AMD64).layer(LAYER).build();
        OciLayout layout = builder.tag("1", image).write();

        byte[] tar = gunzip(layout.blob(image.layers().getFirst().digest()));
        assertThat(Digest.of(DigestAlgorithm.SHA256, tar)).isEqualTo(image.diffIds().getFirst());
        assertThat(tar.length % 512).isZero();
        assertThat(entries(tar)).containsExactly(
                new TarEntry("etc/", '5', 0),
                new TarEntry("etc/motd", '0', 6),
                new TarEntry("data/payload.bin", '0', 70_000));
    }

    @Test
    void theConfigDeclaresThePlatformDiffIdsAndOneHistoryEntryPerLayer() {
        OciLayoutBuilder builder = OciLayoutBuilder.create(temporary.resolve("layout"));
        OciImage image = builder.image(Platform.LINUX_ARM64).layer(LAYER).layer(LayerContent.empty().file("a", "b"))
                .label("key", "value").build();
        OciLayout layout = builder.tag("1", image).write();

        JsonNode config = layout.json(image.config().digest());
        assertThat(config.path("architecture").asText()).isEqualTo("arm64");
        assertThat(config.path("variant").asText()).isEqualTo("v8");
        assertThat(config.path("os").asText()).isEqualTo("linux");
        assertThat(config.path("rootfs").path("type").asText()).isEqualTo("layers");
        List<String> diffIds = new ArrayList<>();
        config.path("rootfs").path("diff_ids").forEach(node -> diffIds.add(node.asText()));
        assertThat(diffIds).containsExactlyElementsOf(image.diffIds().stream().map(Digest::toString).toList());
        assertThat(config.path("history")).hasSize(2);
        assertThat(config.path("config").path("Labels").path("key").asText()).isEqualTo("value");

        JsonNode manifest = layout.json(image.manifest().digest());
        assertThat(manifest.path("mediaType").asText()).isEqualTo(MediaTypes.OCI_MANIFEST);
        assertThat(manifest.path("config").path("digest").asText()).isEqualTo(image.config().digest().toString());
        assertThat(manifest.path("layers")).hasSize(2);
    }

    @Test
    void anIndexEntryCarriesEachImagesPlatformAndIndexJsonNamesTheTag() throws IOException {
        OciLayoutBuilder builder = OciLayoutBuilder.create(temporary.resolve("layout"));
        OciImage amd64 = builder.image(Platform.LINUX_AMD64).layer(LAYER).build();
        OciImage arm64 = builder.image(Platform.LINUX_ARM64).layer(LAYER).build();
        OciIndex index = builder.index(List.of(amd64, arm64));
        OciLayout layout = builder.tag("multi", index).write();

        JsonNode entries = layout.json(index.manifest().digest()).path("manifests");
        assertThat(entries).hasSize(2);
        assertThat(entries.get(0).path("platform").path("architecture").asText()).isEqualTo("amd64");
        assertThat(entries.get(1).path("platform").path("architecture").asText()).isEqualTo("arm64");
        assertThat(entries.get(1).path("platform").path("variant").asText()).isEqualTo("v8");
        assertThat(layout.requireTagged("multi").digest()).isEqualTo(index.manifest().digest());
        assertThat(layout.reachableFrom(index.manifest().digest())).containsExactlyInAnyOrderElementsOf(index.blobs());
        assertThat(layout.blobs().keySet()).containsExactlyInAnyOrderElementsOf(index.blobs());
        assertThat(Files.readString(layout.root().resolve("oci-layout"))).contains("\"imageLayoutVersion\":\"1.0.0\"");
    }

    @Test
    void theSameCallsGiveTheSameDigests() {
        OciImage first = OciLayoutBuilder.create(temporary.resolve("first")).image(Platform.LINUX_AMD64).layer(LAYER).build();
        OciImage second = OciLayoutBuilder.create(temporary.resolve("second")).image(Platform.LINUX_AMD64).layer(LAYER).build();

        assertThat(second).isEqualTo(first);
    }

    @Test
    void longPathsUseTheUstarPrefixField() {
        String directory = "a".repeat(120);
        byte[] tar = LayerContent.empty().file(directory + "/file.txt", "x").tar();

        assertThat(new String(tar, 345, 120, StandardCharsets.US_ASCII)).isEqualTo(directory);
        assertThat(entries(tar)).containsExactly(new TarEntry(directory + "/file.txt", '0', 1));
        assertThatThrownBy(() -> LayerContent.empty().file("b".repeat(300), "x").tar())
                .isInstanceOf(IllegalArgumentException.class);
    }

    private record TarEntry(String path, char type, long size) {
    }

    /** The archive's members, read back by {@link TarReader} (which verifies every header checksum). */
    private static List<TarEntry> entries(byte[] tar) {
        byte[] end = Arrays.copyOfRange(tar, tar.length - 1024, tar.length);
        assertThat(end).as("two zero blocks end the archive").containsOnly(0);
        return TarReader.read(tar).stream()
                .map(entry -> new TarEntry(entry.path(), entry.type(), entry.content().length))
                .toList();
    }

    private static byte[] gunzip(byte[] compressed) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed))) {
            return in.readAllBytes();
        }
    }
}
