package io.berth.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.metadata.MetadataStore;
import io.berth.metadata.OutboxEvent;
import io.berth.metadata.PendingEvent;
import io.berth.metadata.SqlMetadataStore;
import io.berth.oci.Digest;
import io.berth.oci.RepositoryName;
import io.berth.oci.Tag;
import io.berth.testing.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dispatcher over a real (SQLite) outbox, with hand-written destinations and a test clock. */
class OutboxDispatcherTest {
    private static final RetryBackoff BACKOFF = new RetryBackoff(Duration.ofSeconds(1), Duration.ofSeconds(8));
    private static final EventData PUSHED = new EventData.ManifestPushed(new RepositoryName("app"),
            Digest.parse("sha256:" + "a".repeat(64)), "application/vnd.oci.image.manifest.v1+json", 512, List.of(Tag.parse("1.0")));
    private static final EventData TAG_DELETED = new EventData.TagDeleted(new RepositoryName("app"), Tag.parse("1.0"),
            Digest.parse("sha256:" + "a".repeat(64)));

    @TempDir
    Path directory;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-10T12:00:00Z"));
    private MetadataStore metadata;
    private final OutboxRecorder recorder = new OutboxRecorder(clock);

    @BeforeEach
    void open() {
        metadata = SqlMetadataStore.openSqlite(directory.resolve("metadata.db"), clock);
    }

    @AfterEach
    void close() {
        metadata.close();
    }

    private void record(EventData data) {
        metadata.inTransaction(session -> {
            recorder.record(session, EventOrigin.actor("alice").withClientAddress("192.0.2.7"), data);
            return null;
        });
    }

    private OutboxDispatcher dispatcher(EventDestination... destinations) {
        return new OutboxDispatcher(metadata, List.of(destinations), BACKOFF, Duration.ofHours(1), clock);
    }

    private List<PendingEvent> pending() {
        return metadata.read(session -> session.outbox().pending());
    }

    @Test
    void anEventReachesEveryDestinationOnceAndLeavesTheOutbox() {
        RecordingDestination broker = new RecordingDestination("broker");
        RecordingDestination hook = new RecordingDestination("hook");
        record(PUSHED);

        assertThat(dispatcher(broker, hook).dispatchDue()).isEqualTo(1);
        dispatcher(broker, hook).dispatchDue();

        assertThat(broker.delivered()).hasSize(1);
        assertThat(hook.delivered()).containsExactlyElementsOf(broker.delivered());
        OutboxEvent event = broker.delivered().getFirst();
        assertThat(event.type()).isEqualTo("push");
        assertThat(EventJson.read(event.body()).toString()).contains("\"actor\":\"alice\"", "\"client_address\":\"192.0.2.7\"",
                "\"repository\":\"app\"", "\"tags\":[\"1.0\"]", "\"size\":512", "\"id\":\"" + event.id() + "\"");
        assertThat(pending()).isEmpty();
    }

    @Test
    void anEventOfAChangeThatRolledBackIsNeverSent() {
        RecordingDestination broker = new RecordingDestination("broker");

        assertThatThrownBy(() -> metadata.inTransaction(session -> {
            recorder.record(session, EventOrigin.UNKNOWN, PUSHED);
            throw new IllegalStateException("the push failed");
        })).isInstanceOf(IllegalStateException.class);
        dispatcher(broker).dispatchDue();

        assertThat(broker.delivered()).isEmpty();
    }

    @Test
    void aFailedDestinationIsRetriedAfterADoublingBackoffAndTheOtherIsNotSentAgain() {
        RecordingDestination broker = new RecordingDestination("broker").refuseNext(2);
        RecordingDestination hook = new RecordingDestination("hook");
        record(PUSHED);
        OutboxDispatcher dispatcher = dispatcher(broker, hook);

        dispatcher.dispatchDue();
        assertThat(pending()).singleElement().satisfies(event -> {
            assertThat(event.attempts()).isEqualTo(1);
            assertThat(event.deliveredTo()).containsExactly("hook");
        });
        clock.advance(Duration.ofMillis(999));
        dispatcher.dispatchDue();
        assertThat(broker.attempts(pending().getFirst().event().id())).isEqualTo(1);
        clock.advance(Duration.ofMillis(1));
        dispatcher.dispatchDue();
        clock.advance(Duration.ofMillis(1999));
        dispatcher.dispatchDue();
        assertThat(pending()).singleElement().extracting(PendingEvent::attempts).isEqualTo(2);
        clock.advance(Duration.ofMillis(1));
        dispatcher.dispatchDue();

        assertThat(pending()).isEmpty();
        assertThat(broker.delivered()).hasSize(1);
        assertThat(hook.delivered()).hasSize(1);
        assertThat(broker.attempts(hook.delivered().getFirst().id())).isEqualTo(3);
    }

    @Test
    void aDestinationGetsOnlyTheFamiliesItWants() {
        RecordingDestination pushesOnly = new RecordingDestination("pushes", Set.of("push"));
        record(PUSHED);
        record(TAG_DELETED);

        dispatcher(pushesOnly).dispatchDue();

        assertThat(pushesOnly.delivered()).extracting(OutboxEvent::type).containsExactly("push");
        assertThat(pending()).isEmpty();
    }

    @Test
    void eventsUndeliveredPastTheRetentionArePruned() {
        RecordingDestination down = new RecordingDestination("down").refuseNext(Integer.MAX_VALUE);
        record(PUSHED);
        dispatcher(down).dispatchDue();
        assertThat(pending()).hasSize(1);

        clock.advance(Duration.ofHours(1).plusMinutes(1));
        dispatcher(down).dispatchDue();

        assertThat(pending()).isEmpty();
    }

    @Test
    void backoffDoublesFromItsStartAndStopsAtItsMaximum() {
        assertThat(List.of(1, 2, 3, 4, 5, 60).stream().map(BACKOFF::after).toList()).containsExactly(
                Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(8),
                Duration.ofSeconds(8), Duration.ofSeconds(8));
    }
}
