package io.berth.registry;

import io.berth.metadata.MetadataStore;
import io.berth.storage.BlobStore;
import java.time.Clock;

/** The registry's operations, wired over one metadata store and one blob store. */
public record Registry(BlobService blobs, UploadService uploads, ManifestService manifests, ContentListing listing,
                       HealthCheck health) {

    public static Registry create(MetadataStore metadata, BlobStore blobStore, Clock clock) {
        return new Registry(new BlobService(metadata, blobStore), new UploadService(metadata, blobStore, clock),
                new ManifestService(metadata), new ContentListing(metadata), new HealthCheck(metadata, blobStore, clock));
    }
}
