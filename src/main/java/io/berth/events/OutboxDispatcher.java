package io.berth.events;

import io.berth.metadata.MetadataStore;
import io.berth.metadata.OutboxEvent;
import io.berth.metadata.PendingEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the outbox, on every node: claims due events in a short transaction (so nodes take
 * disjoint events, see {@link io.berth.metadata.OutboxQueries#claimDue}), sends each to every
 * destination that wants it and does not have it yet, outside any transaction, then removes the
 * event once every destination has it, or records where it arrived and retries the rest after a
 * {@link RetryBackoff}. Delivery is at least once: a node that stops between sending and recording
 * leaves the event to be sent again, with the same id, after its lease.
 */
public final class OutboxDispatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OutboxDispatcher.class);
    /** Events claimed at once: few enough that their lease outlasts their delivery, even past timeouts. */
    static final int BATCH = 20;
    /** How long a claimed event is left to its claimer before another node may take it. */
    static final Duration LEASE = Duration.ofMinutes(5);
    /** How often a node prunes events past the retention. */
    private static final Duration PRUNE_EVERY = Duration.ofMinutes(10);

    private final MetadataStore metadata;
    private final List<EventDestination> destinations;
    private final RetryBackoff backoff;
    private final Duration retention;
    private final Clock clock;
    private final ScheduledExecutorService schedule = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("berth-event-dispatcher").factory());
    private volatile Instant lastPrune = Instant.EPOCH;

    /** @param retention how long an event is kept when it cannot be delivered everywhere */
    public OutboxDispatcher(MetadataStore metadata, List<EventDestination> destinations, RetryBackoff backoff,
                            Duration retention, Clock clock) {
        this.metadata = metadata;
        this.destinations = List.copyOf(destinations);
        this.backoff = backoff;
        this.retention = retention;
        this.clock = clock;
    }

    /** Dispatches every {@code pollInterval} in the background, until {@link #close}. */
    public void start(Duration pollInterval) {
        schedule.scheduleWithFixedDelay(this::dispatchQuietly, 0, pollInterval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Claims and delivers due events until none is due; returns how many were removed as delivered everywhere. */
    public int dispatchDue() {
        pruneWhenDue();
        int delivered = 0;
        List<PendingEvent> batch;
        do {
            Instant now = clock.instant();
            batch = metadata.inTransaction(session -> session.outbox().claimDue(now, now.plus(LEASE), BATCH));
            delivered += deliver(batch);
        } while (batch.size() == BATCH);
        return delivered;
    }

    private int deliver(List<PendingEvent> batch) {
        int delivered = 0;
        // A destination that failed once in this batch is not tried again for the batch's other events:
        // a broker that is down costs one timeout per batch, not one per event.
        Map<String, String> failedThisBatch = new LinkedHashMap<>();
        for (PendingEvent pending : batch) {
            if (deliver(pending, failedThisBatch)) {
                delivered++;
            }
        }
        return delivered;
    }

    /** True when {@code pending} has now reached every destination that wants it, and was removed. */
    private boolean deliver(PendingEvent pending, Map<String, String> failedThisBatch) {
        OutboxEvent event = pending.event();
        Optional<EventType> type = EventType.fromWireName(event.type());
        Set<String> deliveredTo = new HashSet<>(pending.deliveredTo());
        Optional<String> error = Optional.empty();
        for (EventDestination destination : destinations) {
            if (deliveredTo.contains(destination.name()) || type.isPresent() && !destination.accepts(type.get())) {
                continue;
            }
            String earlier = failedThisBatch.get(destination.name());
            if (earlier != null) {
                error = Optional.of(earlier);
                continue;
            }
            try {
                destination.deliver(event);
                deliveredTo.add(destination.name());
            } catch (RuntimeException e) {
                String reason = destination.name() + ": " + e.getMessage();
                failedThisBatch.put(destination.name(), reason);
                error = Optional.of(reason);
                LOG.warn("event {} ({}) not delivered to {}: {}", event.id(), event.type(), destination.name(), e.getMessage());
            }
        }
        if (error.isEmpty()) {
            metadata.inTransaction(session -> session.outbox().remove(event.id()));
            return true;
        }
        int attempts = pending.attempts() + 1;
        Instant retryAt = clock.instant().plus(backoff.after(attempts));
        Optional<String> lastError = error;
        metadata.inTransaction(session -> {
            session.outbox().reschedule(event.id(), deliveredTo, attempts, retryAt, lastError);
            return null;
        });
        return false;
    }

    private void pruneWhenDue() {
        Instant now = clock.instant();
        if (now.isBefore(lastPrune.plus(PRUNE_EVERY))) {
            return;
        }
        lastPrune = now;
        int pruned = metadata.inTransaction(session -> session.outbox().pruneOccurredBefore(now.minus(retention)));
        if (pruned > 0) {
            LOG.warn("{} events older than {} h were dropped undelivered", pruned, retention.toHours());
        }
    }

    private void dispatchQuietly() {
        try {
            dispatchDue();
        } catch (RuntimeException e) {
            LOG.error("event dispatch failed; trying again at the next poll", e);
        }
    }

    /** Stops dispatching and closes the destinations; undelivered events stay in the outbox. */
    @Override
    public void close() {
        schedule.shutdownNow();
        try {
            schedule.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        destinations.forEach(EventDestination::close);
    }
}
