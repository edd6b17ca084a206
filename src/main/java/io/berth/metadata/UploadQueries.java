package io.berth.metadata;

import java.time.Instant;
import java.util.Optional;

/** Upload sessions, durable across restarts. */
public interface UploadQueries {

    void createUpload(UploadRecord upload);

    Optional<UploadRecord> upload(String id);

    void updateUploadSize(String id, long size, Instant updatedAt);

    /** True when the session existed. */
    boolean deleteUpload(String id);
}
