package io.berth.metadata;

import java.util.Objects;
import java.util.Set;

/**
 * An outbox event claimed for delivery.
 *
 * @param attempts    deliveries tried so far (0 for a new event)
 * @param deliveredTo the names of the destinations that already have it
 */
public record PendingEvent(OutboxEvent event, int attempts, Set<String> deliveredTo) {
    public PendingEvent {
        Objects.requireNonNull(event);
        deliveredTo = Set.copyOf(deliveredTo);
    }
}
