package io.berth.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.config.BerthConfig;
import io.berth.config.DatabaseConfig;
import io.berth.config.StorageConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The start-up line names where blobs and metadata live and whether authentication is on, and never a credential. */
class StartupSummaryTest {
    @Test
    void filesystemAndSqliteByTheirPaths() {
        BerthConfig config = BerthConfig.defaults().withDataDir("/var/lib/berth");

        assertThat(StartupSummary.describe(config)).isEqualTo(
                "storage filesystem /var/lib/berth, database SQLite /var/lib/berth/berth.db, authentication off");
    }

    @Test
    void s3AndPostgresqlWithoutTheirSecrets() {
        BerthConfig config = BerthConfig.defaults().withDataDir("/var/lib/berth")
                .withStorage(new StorageConfig("s3", "https://s3.example.org", null, "blobs", "ACCESSKEY", "SECRETKEY",
                        null, null))
                .withDatabase(new DatabaseConfig("jdbc:postgresql://db.example.org:6543/registry?password=urlsecret",
                        "berth", "dbsecret", "berth_eu", 4));

        String summary = StartupSummary.describe(config);

        assertThat(summary).isEqualTo("storage S3 https://s3.example.org bucket blobs, database PostgreSQL"
                + " db.example.org:6543/registry (schema berth_eu), authentication off");
        assertThat(summary).doesNotContain("SECRETKEY", "ACCESSKEY", "dbsecret", "urlsecret");
    }

    @Test
    void aRelativeDataDirectoryIsNamedAbsolutely() {
        assertThat(StartupSummary.describe(BerthConfig.defaults()))
                .contains("storage filesystem " + Path.of("berth-data").toAbsolutePath());
    }
}
