package io.berth.server;

import io.berth.config.BerthConfig;
import io.berth.config.StorageConfig;
import java.nio.file.Path;

/**
 * What a server runs on, for its start-up line: where blobs and metadata live and whether
 * authentication is on. Credentials are never part of it.
 */
final class StartupSummary {
    private StartupSummary() {
    }

    /** {@code storage filesystem /var/lib/berth, database SQLite /var/lib/berth/berth.db, authentication off}. */
    static String describe(BerthConfig config) {
        Path dataDir = Path.of(config.dataDir()).toAbsolutePath().normalize();
        String storage = config.storageSettings().filter(StorageConfig::isS3)
                .map(s3 -> "S3 " + s3.endpoint() + " bucket " + s3.bucket())
                .orElse("filesystem " + dataDir);
        String database = config.databaseSettings()
                .map(postgresql -> "PostgreSQL " + DatabaseFailures.describe(postgresql))
                .orElse("SQLite " + dataDir.resolve(BerthServer.SQLITE_FILE));
        return "storage " + storage + ", database " + database + ", authentication "
                + (config.authSettings().isPresent() ? "on" : "off");
    }
}
