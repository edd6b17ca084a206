package io.berth.registry;

import io.berth.events.EventRecorder;
import io.berth.metadata.MetadataStore;
import io.berth.protection.TagProtection;
import io.berth.storage.BlobStore;
import java.time.Clock;
import java.time.Duration;

/** The registry's operations, wired over one metadata store and one blob store. */
public record Registry(BlobService blobs, UploadService uploads, ManifestService manifests, ContentListing listing,
                       HealthCheck health, MaintenanceMode maintenance) {

    /** The garbage-collection grace assumed when none is given. */
    public static final Duration DEFAULT_GC_GRACE = Duration.ofDays(1);

    public static Registry create(MetadataStore metadata, BlobStore blobStore, Clock clock) {
        return create(metadata, blobStore, clock, DEFAULT_GC_GRACE);
    }

    /** @param gcGrace how long garbage collection leaves unreferenced content alone ({@link BlobService}) */
    public static Registry create(MetadataStore metadata, BlobStore blobStore, Clock clock, Duration gcGrace) {
        return create(metadata, blobStore, clock, gcGrace, TagProtection.NONE);
    }

    /** @param protection immutable and protected tags, enforced on every manifest push and delete */
    public static Registry create(MetadataStore metadata, BlobStore blobStore, Clock clock, Duration gcGrace,
                                  TagProtection protection) {
        return create(metadata, blobStore, clock, gcGrace, protection, Quotas.NONE);
    }

    /** @param quotas limits on bytes and repositories, enforced on every push that adds to a repository */
    public static Registry create(MetadataStore metadata, BlobStore blobStore, Clock clock, Duration gcGrace,
                                  TagProtection protection, Quotas quotas) {
        return create(metadata, blobStore, clock, gcGrace, protection, quotas, EventRecorder.NONE);
    }

    /** @param events records pushes, tag moves and deletes in their transactions (docs/operations.md, "Events") */
    public static Registry create(MetadataStore metadata, BlobStore blobStore, Clock clock, Duration gcGrace,
                                  TagProtection protection, Quotas quotas, EventRecorder events) {
        return new Registry(new BlobService(metadata, blobStore, clock, gcGrace, quotas),
                new UploadService(metadata, blobStore, clock, quotas), new ManifestService(metadata, protection, quotas, events),
                new ContentListing(metadata, quotas), new HealthCheck(metadata, blobStore, clock),
                new MaintenanceMode(metadata, clock));
    }
}
