package io.berth.ui;

import io.berth.oci.Digest;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One tag as a repository's page lists it.
 *
 * @param tag       the tag
 * @param digest    the manifest it points at
 * @param kind      what the manifest is ({@link ImageKind})
 * @param size      an image's config and layers together; empty for an index, whose images are counted apart
 * @param platforms the image's platform, or the platforms an index lists
 * @param created   when the image says it was built (its configuration, or an index's
 *                  {@code org.opencontainers.image.created} annotation)
 */
public record ImageSummary(String tag, Digest digest, ImageKind kind, OptionalLong size, List<Platform> platforms,
                           Optional<Instant> created) {
    public ImageSummary {
        platforms = List.copyOf(platforms);
    }
}
