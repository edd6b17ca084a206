package io.berth.testing;

import io.berth.oci.Digest;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * An image written by {@link OciLayoutBuilder}.
 *
 * @param manifest the image manifest blob
 * @param config   the image config blob; its digest is the image ID that podman and buildah show
 * @param layers   the gzip-compressed layer blobs, base first
 * @param diffIds  the sha256 of each layer's uncompressed tar ({@code rootfs.diff_ids})
 * @param platform the platform the config declares
 */
public record OciImage(LayoutBlob manifest, LayoutBlob config, List<LayoutBlob> layers, List<Digest> diffIds,
                       Platform platform) implements LayoutManifest {

    public OciImage {
        layers = List.copyOf(layers);
        diffIds = List.copyOf(diffIds);
    }

    public List<Digest> layerDigests() {
        return layers.stream().map(LayoutBlob::digest).toList();
    }

    @Override
    public Set<Digest> blobs() {
        Set<Digest> blobs = new LinkedHashSet<>();
        blobs.add(manifest.digest());
        blobs.add(config.digest());
        blobs.addAll(layerDigests());
        return blobs;
    }
}
