package io.berth.storage;

/** Everything the registry needs from a place that keeps blob bytes. */
public interface BlobStore extends BlobReader, UploadStaging {
}
