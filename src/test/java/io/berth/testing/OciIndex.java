package io.berth.testing;

import io.berth.oci.Digest;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** A multi-platform image index written by {@link OciLayoutBuilder}, with one image per platform. */
public record OciIndex(LayoutBlob manifest, List<OciImage> images) implements LayoutManifest {

    public OciIndex {
        images = List.copyOf(images);
    }

    /** The image for {@code platform}. */
    public OciImage image(Platform platform) {
        return images.stream().filter(image -> image.platform().equals(platform)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("the index has no image for " + platform));
    }

    @Override
    public Set<Digest> blobs() {
        Set<Digest> blobs = new LinkedHashSet<>();
        blobs.add(manifest.digest());
        images.forEach(image -> blobs.addAll(image.blobs()));
        return blobs;
    }
}
