package io.berth.gc;

import java.time.Duration;

/**
 * What one garbage-collection pass did.
 *
 * @param skipped          why the pass did nothing (read-only mode), or empty text
 * @param tagsRemoved      tags retention removed
 * @param manifestsRemoved manifests removed (untagged past their age, or left untagged by retention)
 * @param linksRemoved     blob links no manifest of their repository referenced
 * @param blobsRemoved     blobs no repository linked, record and bytes
 * @param bytesReclaimed   the size of those blobs
 * @param repositoriesRemoved empty repositories
 * @param generationsRemoved  mirror generations no blob belongs to any more
 * @param reviewsQueued    reviews still queued after the pass (not yet due, or left for the next pass)
 * @param deadlocks        statements and review batches rolled back because PostgreSQL chose them as a
 *                         deadlock's victim (SQLSTATE 40P01); their work is taken up again by a later round or pass
 * @param took             how long the pass ran
 */
public record GcReport(String skipped, long tagsRemoved, long manifestsRemoved, long linksRemoved, long blobsRemoved,
                       long bytesReclaimed, long repositoriesRemoved, long generationsRemoved, long reviewsQueued,
                       long deadlocks, Duration took) {

    /** True when the pass removed anything. */
    public boolean removedAnything() {
        return tagsRemoved + manifestsRemoved + linksRemoved + blobsRemoved + repositoriesRemoved + generationsRemoved > 0;
    }

    /** One line for the log and the command line. */
    public String summary() {
        if (!skipped.isEmpty()) {
            return "garbage collection skipped: " + skipped;
        }
        return "garbage collection removed %d tags, %d manifests, %d links, %d blobs (%d bytes), %d repositories, %d mirror generations in %d ms; %d reviews queued"
                .formatted(tagsRemoved, manifestsRemoved, linksRemoved, blobsRemoved, bytesReclaimed, repositoriesRemoved,
                        generationsRemoved, took.toMillis(), reviewsQueued);
    }
}
