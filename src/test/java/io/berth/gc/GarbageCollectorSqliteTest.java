package io.berth.gc;

import io.berth.metadata.MetadataStore;
import io.berth.metadata.SqlMetadataStore;
import io.berth.testing.MutableClock;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class GarbageCollectorSqliteTest extends GarbageCollectorContract {
    @TempDir
    Path directory;

    @Override
    protected MetadataStore openStore(MutableClock clock) {
        return SqlMetadataStore.openSqlite(directory.resolve("berth.db"), clock);
    }
}
