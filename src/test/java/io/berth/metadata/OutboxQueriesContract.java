package io.berth.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The event outbox: an event commits or rolls back with the transaction that appends it, and
 * claimers never hold one event at the same time.
 */
interface OutboxQueriesContract extends MetadataContractFixture {

    private OutboxEvent event(String type) {
        return new OutboxEvent(UUID.randomUUID(), type, clock().instant(), "{\"type\":\"" + type + "\"}");
    }

    private List<PendingEvent> claim(Instant now, Instant leaseUntil) {
        return store().inTransaction(session -> session.outbox().claimDue(now, leaseUntil, 10));
    }

    @Test
    default void anAppendedEventIsPendingWithItsBody() {
        OutboxEvent pushed = event("push");

        write(session -> session.outbox().append(pushed));

        assertThat(metadata().outbox().pending()).containsExactly(new PendingEvent(pushed, 0, Set.of()));
    }

    @Test
    default void anEventAppendedInATransactionThatRollsBackIsNotKept() {
        assertThatThrownBy(() -> store().inTransaction(session -> {
            session.outbox().append(event("push"));
            throw new IllegalStateException("the change failed");
        })).isInstanceOf(IllegalStateException.class);

        assertThat(metadata().outbox().pending()).isEmpty();
        assertThat(claim(clock().instant(), clock().instant())).isEmpty();
    }

    @Test
    default void aClaimedEventIsNotDueAgainUntilItsLeaseEnds() {
        OutboxEvent pushed = event("push");
        write(session -> session.outbox().append(pushed));
        Instant now = clock().instant();

        List<PendingEvent> first = store().inTransaction(session ->
                session.outbox().claimDue(now, now.plus(Duration.ofMinutes(1)), 10));
        List<PendingEvent> meanwhile = store().inTransaction(session ->
                session.outbox().claimDue(now.plusSeconds(59), now.plusSeconds(120), 10));
        List<PendingEvent> afterTheLease = store().inTransaction(session ->
                session.outbox().claimDue(now.plusSeconds(60), now.plusSeconds(120), 10));

        assertThat(first).extracting(PendingEvent::event).containsExactly(pushed);
        assertThat(meanwhile).isEmpty();
        assertThat(afterTheLease).extracting(PendingEvent::event).containsExactly(pushed);
    }

    @Test
    default void aRescheduledEventKeepsWhereItArrivedAndIsDueAtTheNewTime() {
        OutboxEvent pushed = event("push");
        write(session -> session.outbox().append(pushed));
        Instant retryAt = clock().instant().plusSeconds(4);

        write(session -> session.outbox().reschedule(pushed.id(), Set.of("amqp"), 2, retryAt,
                Optional.of("connection refused")));

        assertThat(claim(retryAt.minusMillis(1), retryAt)).isEmpty();
        assertThat(claim(retryAt, retryAt.plusSeconds(60))).containsExactly(new PendingEvent(pushed, 2, Set.of("amqp")));
    }

    @Test
    default void removingAndPruningDeleteEvents() {
        OutboxEvent old = event("push");
        write(session -> session.outbox().append(old));
        clock().advance(Duration.ofHours(2));
        OutboxEvent recent = event("delete");
        OutboxEvent delivered = event("tag");
        write(session -> {
            session.outbox().append(recent);
            session.outbox().append(delivered);
        });

        assertThat(metadata().outbox().remove(delivered.id())).isTrue();
        assertThat(metadata().outbox().remove(delivered.id())).isFalse();
        assertThat(metadata().outbox().pruneOccurredBefore(clock().instant().minus(Duration.ofHours(1)))).isEqualTo(1);

        assertThat(metadata().outbox().pending()).extracting(PendingEvent::event).containsExactly(recent);
    }

    /** Many claimers at once, as dispatchers on several nodes: every event is handed to exactly one of them. */
    @Test
    default void concurrentClaimersNeverTakeTheSameEvent() throws Exception {
        List<UUID> appended = new ArrayList<>();
        write(session -> {
            for (int i = 0; i < 200; i++) {
                OutboxEvent event = event("push");
                appended.add(event.id());
                session.outbox().append(event);
            }
        });
        Instant now = clock().instant();
        ConcurrentLinkedQueue<UUID> claimed = new ConcurrentLinkedQueue<>();
        try (ExecutorService claimers = Executors.newFixedThreadPool(6)) {
            List<Future<?>> running = new ArrayList<>();
            for (int claimer = 0; claimer < 6; claimer++) {
                running.add(claimers.submit(() -> {
                    List<PendingEvent> batch;
                    do {
                        batch = store().inTransaction(session ->
                                session.outbox().claimDue(now, now.plus(Duration.ofMinutes(5)), 7));
                        batch.forEach(pending -> claimed.add(pending.event().id()));
                    } while (!batch.isEmpty());
                }));
            }
            for (Future<?> claimer : running) {
                claimer.get();
            }
        }

        assertThat(claimed).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(appended);
    }
}
