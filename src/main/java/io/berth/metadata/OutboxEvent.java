package io.berth.metadata;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * An event as the outbox keeps it: the store does not read {@code body}, the event's fields as a
 * JSON object, which the events package writes and reads.
 *
 * @param id         unique per event, sent with every delivery so that receivers can drop a repeat
 * @param type       the event's type ({@code push}, {@code delete}, {@code tag}, …)
 * @param occurredAt when the change it describes was made
 */
public record OutboxEvent(UUID id, String type, Instant occurredAt, String body) {
    public OutboxEvent {
        Objects.requireNonNull(id);
        Objects.requireNonNull(occurredAt);
        Objects.requireNonNull(body);
        if (type == null || type.isBlank()) {
            throw new IllegalArgumentException("an event's type must not be blank");
        }
    }
}
