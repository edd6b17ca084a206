package io.berth.oci;

import java.util.Set;

/** The media types Berth recognises, from the OCI Image Spec and Docker's schema 2 document. */
public final class MediaTypes {
    private MediaTypes() {
    }

    public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    public static final String OCI_EMPTY = "application/vnd.oci.empty.v1+json";
    public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    public static final String DOCKER_MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    public static final String DOCKER_SCHEMA1 = "application/vnd.docker.distribution.manifest.v1+json";
    public static final String DOCKER_SCHEMA1_SIGNED = "application/vnd.docker.distribution.manifest.v1+prettyjws";
    public static final String OCTET_STREAM = "application/octet-stream";
    public static final String JSON = "application/json";

    /** Layer types that clients fetch from {@code urls} rather than from the registry. */
    public static final Set<String> NON_DISTRIBUTABLE_LAYERS = Set.of(
            "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip",
            "application/vnd.oci.image.layer.nondistributable.v1.tar",
            "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip",
            "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd");

    /** Manifest types accepted on PUT and served on GET. */
    public static final Set<String> MANIFESTS = Set.of(OCI_MANIFEST, OCI_INDEX, DOCKER_MANIFEST, DOCKER_MANIFEST_LIST);

    /** Drops parameters such as {@code ; charset=utf-8} and lowercases, per RFC 9110 section 8.3.1. */
    public static String essence(String contentType) {
        int semicolon = contentType.indexOf(';');
        String type = semicolon >= 0 ? contentType.substring(0, semicolon) : contentType;
        return type.trim().toLowerCase(java.util.Locale.ROOT);
    }
}
