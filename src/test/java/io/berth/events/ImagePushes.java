package io.berth.events;

import io.berth.oci.Digest;
import io.berth.oci.MediaTypes;
import io.berth.testing.ManifestJson;
import io.berth.testing.RegistryHttp;
import io.berth.testing.TestBlob;

/** Small images pushed over the registry API, each different by its seed. */
final class ImagePushes {
    private ImagePushes() {
    }

    /** Pushes a one-layer image under {@code reference} and returns the manifest. */
    static TestBlob push(RegistryHttp http, String repository, String reference, long seed) {
        TestBlob config = TestBlob.of("{\"os\":\"linux\",\"seed\":" + seed + "}");
        TestBlob layer = TestBlob.random(700, seed);
        TestBlob manifest = ManifestJson.ociImage(config, layer).build();
        http.pushBlob(repository, config.content());
        http.pushBlob(repository, layer.content());
        Digest pushed = http.pushManifest(repository, reference, MediaTypes.OCI_MANIFEST, manifest.content());
        if (!pushed.equals(manifest.digest())) {
            throw new AssertionError("the registry stored " + pushed + " for " + manifest.digest());
        }
        return manifest;
    }
}
