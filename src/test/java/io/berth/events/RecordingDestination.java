package io.berth.events;

import io.berth.metadata.OutboxEvent;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A destination that keeps every event it is handed, in memory; it can refuse a number of
 * deliveries first, and take a while over each, so that several dispatchers overlap.
 */
final class RecordingDestination implements EventDestination {
    private final String name;
    private final Set<String> families;
    private final AtomicInteger refusalsLeft = new AtomicInteger();
    private final List<OutboxEvent> delivered = new CopyOnWriteArrayList<>();
    private final Map<UUID, AtomicInteger> attemptsById = new ConcurrentHashMap<>();
    private volatile Duration delay = Duration.ZERO;

    /** @param families the families it accepts; empty for all */
    RecordingDestination(String name, Set<String> families) {
        this.name = name;
        this.families = Set.copyOf(families);
    }

    RecordingDestination(String name) {
        this(name, Set.of());
    }

    /** The next {@code count} deliveries fail. */
    RecordingDestination refuseNext(int count) {
        refusalsLeft.set(count);
        return this;
    }

    RecordingDestination takingEach(Duration delay) {
        this.delay = delay;
        return this;
    }

    List<OutboxEvent> delivered() {
        return List.copyOf(delivered);
    }

    int attempts(UUID id) {
        AtomicInteger attempts = attemptsById.get(id);
        return attempts == null ? 0 : attempts.get();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean accepts(EventType type) {
        return families.isEmpty() || families.contains(type.family());
    }

    @Override
    public void deliver(OutboxEvent event) {
        attemptsById.computeIfAbsent(event.id(), id -> new AtomicInteger()).incrementAndGet();
        if (!delay.isZero()) {
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DeliveryFailed("interrupted");
            }
        }
        if (refusalsLeft.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
            throw new DeliveryFailed("refused on purpose");
        }
        delivered.add(event);
    }

    @Override
    public void close() {
    }
}
