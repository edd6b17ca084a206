package io.berth.gc;

import io.berth.oci.MediaTypes;
import io.berth.testing.ManifestJson;
import io.berth.testing.TestBlob;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * One image a soak pushes: a config and a layer of its own, over layers drawn from a small pool that
 * every image shares, so that pushes, removals and garbage collection keep meeting on the same blobs.
 *
 * @param manifest the exact manifest bytes pushed, and their digest
 * @param blobs    the config first, then the layers
 */
record SoakImage(TestBlob manifest, List<TestBlob> blobs) {

    SoakImage {
        blobs = List.copyOf(blobs);
    }

    /** The layers every image may use; small, so that an image is mostly shared. */
    static List<TestBlob> sharedLayers(int count, long seed) {
        List<TestBlob> layers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            layers.add(TestBlob.random(2_048 + 1_024 * i, seed * 1_000 + i));
        }
        return List.copyOf(layers);
    }

    /** A new image: a unique config and layer, and two or three layers from {@code shared}. */
    static SoakImage next(String id, List<TestBlob> shared, Random random) {
        TestBlob config = TestBlob.of(("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Labels\":{\"soak\":\""
                + id + "\"}}}").getBytes(StandardCharsets.UTF_8));
        List<TestBlob> layers = new ArrayList<>();
        int sharedCount = 2 + random.nextInt(2);
        int first = random.nextInt(shared.size());
        for (int i = 0; i < sharedCount; i++) {
            layers.add(shared.get((first + i) % shared.size()));
        }
        layers.add(TestBlob.random(1_024 + random.nextInt(16_384), random.nextLong()));
        TestBlob manifest = ManifestJson.ociImage(config, layers.toArray(TestBlob[]::new)).build();
        List<TestBlob> blobs = new ArrayList<>();
        blobs.add(config);
        blobs.addAll(layers);
        return new SoakImage(manifest, blobs);
    }

    String mediaType() {
        return MediaTypes.OCI_MANIFEST;
    }

    long blobBytes() {
        return blobs.stream().mapToLong(TestBlob::size).sum();
    }
}
