package io.berth.registry;

import io.berth.metadata.MetadataStore;
import io.berth.storage.BlobStore;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether this node can serve: its metadata database answers a query and its blob store answers a
 * probe. A load balancer asks this to stop sending requests to a node that cannot serve them.
 * A failure is logged when a part becomes unhealthy, and its recovery when it is healthy again,
 * not on every check.
 */
public final class HealthCheck {
    private static final Logger LOG = LoggerFactory.getLogger(HealthCheck.class);

    /** The state of each part; the reasons for failures stay in the log. */
    public record Report(boolean metadata, boolean storage) {
        public boolean healthy() {
            return metadata && storage;
        }
    }

    private final MetadataStore metadata;
    private final BlobStore blobs;
    private final AtomicBoolean metadataWasHealthy = new AtomicBoolean(true);
    private final AtomicBoolean storageWasHealthy = new AtomicBoolean(true);

    public HealthCheck(MetadataStore metadata, BlobStore blobs) {
        this.metadata = metadata;
        this.blobs = blobs;
    }

    public Report check() {
        return new Report(checkMetadata(), checkStorage());
    }

    private boolean checkMetadata() {
        try {
            metadata.read(session -> session.listRepositories(Optional.empty(), 1));
            return recovered("metadata database", metadataWasHealthy);
        } catch (RuntimeException e) {
            return failed("metadata database", metadataWasHealthy, e);
        }
    }

    private boolean checkStorage() {
        try {
            blobs.probe();
            return recovered("blob store", storageWasHealthy);
        } catch (Exception e) {
            return failed("blob store", storageWasHealthy, e);
        }
    }

    private static boolean recovered(String part, AtomicBoolean wasHealthy) {
        if (!wasHealthy.getAndSet(true)) {
            LOG.info("health: the {} answers again", part);
        }
        return true;
    }

    private static boolean failed(String part, AtomicBoolean wasHealthy, Exception e) {
        if (wasHealthy.getAndSet(false)) {
            LOG.warn("health: the {} does not answer: {}", part, e.toString());
        }
        return false;
    }
}
