package io.berth.server;

import io.berth.config.BerthConfig;
import io.berth.gc.GarbageCollector;
import io.berth.gc.GcPlan;
import io.berth.gc.GcPlanner;
import io.berth.gc.GcReport;
import io.berth.metadata.MetadataStore;
import io.berth.storage.BlobStore;
import io.berth.storage.PrivateFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;

/** {@code berth gc} over the configured metadata and blob store, beside running servers. */
public final class GcTools {
    private GcTools() {
    }

    /** What a pass would remove now, reading only. */
    public static GcPlan plan(BerthConfig config) {
        try (MetadataStore metadata = BerthServer.openMetadata(config, Clock.systemUTC())) {
            return new GcPlanner(metadata, Clock.systemUTC(), GcSetup.policy(config)).plan();
        }
    }

    /** Runs one garbage-collection pass now, as the configuration's policy says. */
    public static GcReport runPass(BerthConfig config) throws IOException {
        Clock clock = Clock.systemUTC();
        Path dataDir = Path.of(config.dataDir()).toAbsolutePath().normalize();
        try (MetadataStore metadata = BerthServer.openMetadata(config, clock)) {
            PrivateFiles.createDirectories(dataDir);
            BlobStore blobs = BerthServer.openBlobStore(config, dataDir);
            return new GarbageCollector(metadata, blobs, clock, GcSetup.policy(config),
                    () -> MaintenanceTools.readOnly(config, metadata)).runPass();
        }
    }
}
