package io.berth.gc;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What a soak saw. The invariants a run is held to: no failed pull of an acknowledged image whose tag
 * was still current, {@code berth fsck} clean, and the store holding exactly the blobs the remaining
 * images need. Refused pushes are allowed (they were never acknowledged) and only counted.
 *
 * @param setup              the nodes and backends
 * @param load               how long clients and collectors ran together
 * @param pushesAttempted    images the clients started to push
 * @param pushesAcknowledged manifest {@code PUT}s answered {@code 201}
 * @param pushesRetried      acknowledged after one {@code MANIFEST_BLOB_UNKNOWN} and the blobs pushed again
 * @param refusals           pushes not acknowledged (and refused manifests pushed again), by why
 * @param mounts             cross-repository mounts answered {@code 201}
 * @param mountFallbacks     mounts answered {@code 202} (nothing to mount from) and uploaded instead
 * @param tagDeletes         tags deleted
 * @param manifestDeletes    manifests deleted by digest
 * @param promotions         promotions answered {@code 201} or {@code 200}
 * @param verifiedPulls      pulls of acknowledged images that came back byte for byte, during the run and at its end
 * @param failedPulls        pulls of acknowledged, still-tagged images that did not
 * @param transientPullErrors pulls answered {@code 5xx} or cut off, right when asked again
 * @param otherFailures      anything else unexpected
 * @param failures           the first failed pulls and other failures, as text
 * @param gcPasses           garbage-collection passes run on all nodes during the load
 * @param gcDeadlocks        review batches PostgreSQL chose as deadlock victims (SQLSTATE 40P01)
 * @param requestDeadlocks   client requests whose transaction PostgreSQL chose as a deadlock victim
 * @param gcRemoved          blobs, manifests and links removed during the load
 * @param keptImages         images left tagged at the end, everything else deleted
 * @param expectedBlobs      distinct blobs those images need
 * @param actualBlobs        blobs the store holds after passes until nothing more was removed
 * @param expectedBytes      their size
 * @param actualBytes        what the store holds
 * @param fsckProblems       problems {@code berth fsck} found at the end
 * @param fsckFindings       everything it found, problems or not (unrecorded bytes, say), by kind
 * @param settled            how long the final passes took to remove everything else
 */
record SoakReport(String setup, Duration load, long pushesAttempted, long pushesAcknowledged, long pushesRetried,
                  Map<String, Long> refusals, long mounts, long mountFallbacks, long tagDeletes, long manifestDeletes,
                  long promotions, long verifiedPulls, long failedPulls, long transientPullErrors, long otherFailures,
                  List<String> failures, long gcPasses, long gcDeadlocks, long requestDeadlocks, String gcRemoved,
                  long keptImages, long expectedBlobs, long actualBlobs, long expectedBytes, long actualBytes,
                  long fsckProblems, Map<String, Long> fsckFindings, Duration settled) {

    long refused() {
        return refusals.entrySet().stream().filter(entry -> !entry.getKey().endsWith("(pushed again)"))
                .mapToLong(Map.Entry::getValue).sum();
    }

    /** Several lines for the benchmark's output and a failed test's message. */
    String summary() {
        return """
                %s, %d s of load
                  pushes: %d attempted, %d acknowledged (%d after pushing blobs again), %d not acknowledged
                  refusals by reason: %s
                  mounts: %d, fell back to upload: %d; tag deletes: %d; manifest deletes: %d; promotions: %d
                  pulls of acknowledged images: %d verified, %d failed, %d transient errors asked again
                  other failures: %d
                  gc: %d passes during the load, removed %s; deadlocks: %d in gc, %d in requests
                  end: %d images kept; blobs expected %d, stored %d; bytes expected %d, stored %d; fsck problems: %d (findings %s); settled in %d ms
                %s""".formatted(setup, load.toSeconds(), pushesAttempted, pushesAcknowledged, pushesRetried, refused(), refusals,
                mounts, mountFallbacks, tagDeletes, manifestDeletes, promotions, verifiedPulls, failedPulls,
                transientPullErrors, otherFailures, gcPasses, gcRemoved, gcDeadlocks, requestDeadlocks, keptImages,
                expectedBlobs, actualBlobs, expectedBytes, actualBytes, fsckProblems, fsckFindings, settled.toMillis(),
                failures.isEmpty() ? "" : "  first failures:\n    " + String.join("\n    ", failures) + "\n");
    }
}
