package io.berth.ui;

import io.berth.mirror.ProbeState;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The mirror page: the newest generation of the mirror tree, each mirror, and the CDN.
 *
 * @param publishedGeneration the newest generation {@code berth mirror export} published
 * @param readAt              when this node last read the catalogue
 * @param cdn                 the CDN with what this node's probes found, when one is configured
 * @param mirrors             the mirrors the visitor may see (private ones for registry admins only)
 */
public record MirrorOverview(OptionalLong publishedGeneration, Instant readAt, Optional<Cdn> cdn, List<MirrorRow> mirrors) {
    public MirrorOverview {
        mirrors = List.copyOf(mirrors);
    }

    public record Cdn(URI url, ProbeState probe) {
    }
}
