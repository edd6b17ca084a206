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
