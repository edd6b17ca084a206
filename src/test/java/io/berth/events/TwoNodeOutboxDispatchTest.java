package io.berth.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.metadata.MetadataStore;
import io.berth.metadata.OutboxEvent;
import io.berth.metadata.SqlMetadataStore;
import io.berth.oci.Digest;
import io.berth.oci.RepositoryName;
import io.berth.testing.PostgresqlSchema;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Two nodes over one PostgreSQL schema, each with its own connection pool and dispatcher, deliver
 * the same outbox at the same time: every event reaches the destination exactly once.
 */
class TwoNodeOutboxDispatchTest {
    private static final int EVENTS = 150;

    @Test
    void twoDispatchersDeliverEachEventOnce() throws Exception {
        try (PostgresqlSchema schema = PostgresqlSchema.named("berth_events_")) {
            Clock clock = Clock.systemUTC();
            try (MetadataStore first = open(schema, clock); MetadataStore second = open(schema, clock)) {
                List<UUID> recorded = record(first, clock);
                // One destination both nodes send to, as both would publish to one broker; each delivery
                // takes a moment, so the two dispatchers are at work at the same time.
                RecordingDestination broker = new RecordingDestination("broker").takingEach(Duration.ofMillis(2));
                OutboxDispatcher onFirst = new OutboxDispatcher(first, List.of(broker), RetryBackoff.DEFAULT,
                        Duration.ofDays(1), clock);
                OutboxDispatcher onSecond = new OutboxDispatcher(second, List.of(broker), RetryBackoff.DEFAULT,
                        Duration.ofDays(1), clock);

                int removed;
                try (ExecutorService nodes = Executors.newFixedThreadPool(2)) {
                    Future<Integer> firstRun = nodes.submit(onFirst::dispatchDue);
                    Future<Integer> secondRun = nodes.submit(onSecond::dispatchDue);
                    removed = firstRun.get() + secondRun.get();
                }

                assertThat(broker.delivered()).extracting(OutboxEvent::id)
                        .doesNotHaveDuplicates()
                        .containsExactlyInAnyOrderElementsOf(recorded);
                assertThat(removed).isEqualTo(EVENTS);
                List<io.berth.metadata.PendingEvent> left = first.read(session -> session.outbox().pending());
                assertThat(left).isEmpty();
            }
        }
    }

    private static MetadataStore open(PostgresqlSchema schema, Clock clock) {
        return SqlMetadataStore.openPostgresql(PostgresqlSchema.URL, PostgresqlSchema.USER, PostgresqlSchema.PASSWORD,
                schema.name(), 4, clock);
    }

    private static List<UUID> record(MetadataStore metadata, Clock clock) {
        OutboxRecorder recorder = new OutboxRecorder(clock);
        for (int i = 0; i < EVENTS; i++) {
            Digest digest = Digest.parse("sha256:%064x".formatted(i));
            metadata.inTransaction(session -> {
                recorder.record(session, EventOrigin.UNKNOWN, new EventData.ManifestDeleted(new RepositoryName("app"),
                        digest, List.of()));
                return null;
            });
        }
        List<UUID> ids = new ArrayList<>();
        metadata.read(session -> session.outbox().pending()).forEach(pending -> ids.add(pending.event().id()));
        return ids;
    }
}
