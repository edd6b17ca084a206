package io.berth.oci;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A content descriptor (OCI Image Spec, "Content Descriptors"): what a manifest says about a blob
 * or another manifest it points at.
 */
public record Descriptor(String mediaType, Digest digest, long size, Optional<String> artifactType,
                         Map<String, String> annotations, List<String> urls) {
    /** RFC 6838 section 4.2 media type names, as the image spec requires. */
    private static final Pattern MEDIA_TYPE = Pattern.compile(
            "[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}");

    public Descriptor {
        if (!isValidMediaType(mediaType)) {
            throw RegistryException.of(ErrorCode.MANIFEST_INVALID, "descriptor has an invalid mediaType: " + mediaType);
        }
        if (size < 0) {
            throw RegistryException.of(ErrorCode.MANIFEST_INVALID, "descriptor size must not be negative");
        }
        annotations = Map.copyOf(annotations);
        urls = List.copyOf(urls);
    }

    public static Descriptor of(String mediaType, Digest digest, long size) {
        return new Descriptor(mediaType, digest, size, Optional.empty(), Map.of(), List.of());
    }

    public static boolean isValidMediaType(String mediaType) {
        return mediaType != null && MEDIA_TYPE.matcher(mediaType).matches();
    }

    /** True for layers that clients fetch from their {@code urls}, not from the registry. */
    public boolean isNonDistributable() {
        return MediaTypes.NON_DISTRIBUTABLE_LAYERS.contains(mediaType) && !urls.isEmpty();
    }
}
