package io.berth.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.metadata.MetadataException;
import io.berth.metadata.MetadataSession;
import io.berth.metadata.MetadataStore;
import io.berth.storage.InMemoryBlobStore;
import java.sql.SQLException;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class HealthCheckTest {

    @Test
    void aMetadataDatabaseThatFailsMakesTheNodeUnhealthyUntilItAnswersAgain() {
        FlakyMetadata metadata = new FlakyMetadata();
        HealthCheck health = new HealthCheck(metadata, new InMemoryBlobStore());

        metadata.failing = true;
        HealthCheck.Report down = health.check();
        assertThat(down.healthy()).isFalse();
        assertThat(down.metadata()).isFalse();
        assertThat(down.storage()).isTrue();

        metadata.failing = false;
        assertThat(health.check().healthy()).isTrue();
    }

    /** Answers every read with an empty catalogue, or fails as an unreachable database does. */
    private static final class FlakyMetadata implements MetadataStore {
        volatile boolean failing;

        @Override
        public <T> T read(Function<MetadataSession, T> work) {
            if (failing) {
                throw new MetadataException("cannot open a metadata connection", new SQLException("connection refused"));
            }
            @SuppressWarnings("unchecked")
            T empty = (T) java.util.List.of();
            return empty;
        }

        @Override
        public <T> T inTransaction(Function<MetadataSession, T> work) {
            return read(work);
        }

        @Override
        public void close() {
        }
    }
}
