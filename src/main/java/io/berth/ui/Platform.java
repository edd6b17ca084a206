package io.berth.ui;

import java.util.Optional;

/**
 * An image's platform as its configuration or an index entry states it (image spec "Image
 * Configuration" {@code os}, {@code architecture}, {@code variant}).
 */
public record Platform(String os, String architecture, Optional<String> variant) {
    /** {@code linux/arm64/v8}, as podman's {@code --platform} takes it. */
    @Override
    public String toString() {
        return os + "/" + architecture + variant.map(value -> "/" + value).orElse("");
    }
}
