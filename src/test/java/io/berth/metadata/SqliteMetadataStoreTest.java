package io.berth.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.oci.Digest;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SQLite backend passes the metadata contract, over a database file in a fresh temporary directory. */
class SqliteMetadataStoreTest extends MetadataStoreContract {
    @TempDir
    Path directory;

    @Override
    protected MetadataStore openStore(Clock clock) {
        return SqlMetadataStore.openSqlite(database(), clock);
    }

    private Path database() {
        return directory.resolve("berth.db");
    }

    /** What a transaction committed is in the file: a restarted registry finds it again. */
    @Test
    void committedDataSurvivesReopeningTheFile() {
        Digest blob = recordedBlob("layer", 5);
        ManifestRecord manifest = manifest("one");
        write(session -> {
            session.linkBlob(name("app"), blob);
            session.putManifest(name("app"), manifest);
            session.setTag(name("app"), tag("latest"), manifest.digest());
        });
        store.close();

        store = SqlMetadataStore.openSqlite(database(), clock);

        assertThat(metadata.linkedBlobSize(name("app"), blob)).hasValue(5);
        assertThat(metadata.manifestByTag(name("app"), tag("latest")))
                .map(StoredManifest::digest).contains(manifest.digest());
        assertThat(metadata.listTags(name("app"), Optional.empty(), 10)).containsExactly("latest");
    }

    /**
     * An unsynced transaction relaxes only its own commit: afterwards every connection of the pool
     * syncs its commits again.
     */
    @Test
    void everyConnectionSyncsAgainAfterUnsyncedTransactions() {
        for (int i = 0; i < 3 * SqlMetadataStore.SQLITE_CONNECTIONS; i++) {
            UploadRecord upload = upload(name("app"));
            store.inUnsyncedTransaction(session -> {
                session.uploads().createUpload(upload);
                return null;
            });
        }

        assertThat(synchronousSettings(SqlMetadataStore.SQLITE_CONNECTIONS))
                .hasSize(SqlMetadataStore.SQLITE_CONNECTIONS)
                .containsOnly(FULL);
    }

    private static final int FULL = 2;

    /** PRAGMA synchronous on {@code count} connections held at once (nested reads take distinct ones). */
    private java.util.List<Integer> synchronousSettings(int count) {
        if (count == 0) {
            return new java.util.ArrayList<>();
        }
        return store.read(session -> {
            java.util.List<Integer> settings = synchronousSettings(count - 1);
            settings.add(((SqlSession) session).synchronousSetting());
            return settings;
        });
    }

    /** Opening runs the migrations; opening an already migrated file again changes nothing. */
    @Test
    void reopeningAMigratedFileIsHarmless() {
        store.close();
        store = SqlMetadataStore.openSqlite(database(), clock);
        store.close();

        store = SqlMetadataStore.openSqlite(database(), clock);

        assertThat(metadata.listRepositories(Optional.empty(), 10)).isEmpty();
    }
}
