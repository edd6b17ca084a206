package io.berth.metadata;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Upload sessions, durable across restarts. */
public interface UploadQueries {

    void createUpload(UploadRecord upload);

    Optional<UploadRecord> upload(String id);

    void updateUploadSize(String id, long size, Instant updatedAt);

    /** True when the session existed. */
    boolean deleteUpload(String id);

    /** At most {@code limit} sessions last updated before {@code cutoff}, the longest idle first. */
    List<UploadRecord> uploadsIdleSince(Instant cutoff, int limit);

    /**
     * Deletes the session only if it was last updated before {@code cutoff}, so that a chunk that
     * arrived meanwhile, on any node, keeps it. True when it was deleted.
     */
    boolean deleteUploadIdleSince(String id, Instant cutoff);
}
