package io.berth.testing;

import java.util.Optional;

/**
 * The platform an image runs on, as an image config and an index entry state it (OCI Image Spec,
 * "Image Index", {@code platform}).
 */
public record Platform(String os, String architecture, Optional<String> variant) {
    public static final Platform LINUX_AMD64 = new Platform("linux", "amd64", Optional.empty());
    public static final Platform LINUX_ARM64 = new Platform("linux", "arm64", Optional.of("v8"));

    @Override
    public String toString() {
        return os + "/" + architecture + variant.map(value -> "/" + value).orElse("");
    }
}
