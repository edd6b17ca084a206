package io.berth.metadata;

import io.berth.oci.RepositoryName;
import java.time.Instant;

/** The durable state of an upload session: which repository, and how many bytes are staged. */
public record UploadRecord(String id, RepositoryName repository, long size, Instant startedAt, Instant updatedAt) {
}
