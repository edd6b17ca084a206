package io.berth.gc;

import java.util.List;

/**
 * What a pass would remove now ({@code berth gc --dry-run}).
 *
 * @param tags       {@code repository:tag} retention would remove
 * @param manifests  {@code repository@digest} that would go: untagged past their age, or left untagged by retention
 * @param links      {@code repository@digest} blob links no kept manifest would reference, past their grace
 * @param blobs      blobs no link would remain to, with their sizes
 */
public record GcPlan(List<String> tags, List<String> manifests, List<String> links, List<PlannedBlob> blobs) {

    public GcPlan {
        tags = List.copyOf(tags);
        manifests = List.copyOf(manifests);
        links = List.copyOf(links);
        blobs = List.copyOf(blobs);
    }

    /** A blob that would go. */
    public record PlannedBlob(String digest, long size) {
    }

    /** The bytes those blobs take. */
    public long bytes() {
        return blobs.stream().mapToLong(PlannedBlob::size).sum();
    }
}
