package io.berth.registry;

import io.berth.oci.RepositoryName;
import io.berth.storage.UploadId;

/** Where an upload session stands: the bytes received so far. */
public record UploadStatus(RepositoryName repository, UploadId id, long size) {
}
