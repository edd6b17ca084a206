package io.berth.oci;

/** The four manifest formats Berth stores and serves. */
public enum ManifestKind {
    /** OCI image manifest (also the carrier of artifacts). */
    OCI_IMAGE(MediaTypes.OCI_MANIFEST, false),
    /** OCI image index. */
    OCI_INDEX(MediaTypes.OCI_INDEX, true),
    /** Docker image manifest, schema 2. */
    DOCKER_IMAGE(MediaTypes.DOCKER_MANIFEST, false),
    /** Docker manifest list. */
    DOCKER_LIST(MediaTypes.DOCKER_MANIFEST_LIST, true);

    private final String mediaType;
    private final boolean index;

    ManifestKind(String mediaType, boolean index) {
        this.mediaType = mediaType;
        this.index = index;
    }

    public String mediaType() {
        return mediaType;
    }

    /** True when the manifest lists other manifests rather than a config and layers. */
    public boolean isIndex() {
        return index;
    }

    public static java.util.Optional<ManifestKind> fromMediaType(String mediaType) {
        for (ManifestKind kind : values()) {
            if (kind.mediaType.equals(mediaType)) {
                return java.util.Optional.of(kind);
            }
        }
        return java.util.Optional.empty();
    }
}
