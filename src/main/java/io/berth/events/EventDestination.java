package io.berth.events;

import io.berth.metadata.OutboxEvent;

/** Somewhere events are delivered: an AMQP exchange, a webhook. */
public interface EventDestination extends AutoCloseable {

    /**
     * A stable name, recorded with each event it has received; it holds no secret. Two destinations
     * of one registry never share a name.
     */
    String name();

    /** Whether this destination wants events of {@code type} at all. */
    boolean accepts(EventType type);

    /**
     * Delivers {@code event}, returning once the receiver has acknowledged it (a publisher confirm,
     * a 2xx answer), within the destination's timeouts.
     *
     * @throws DeliveryFailed when it was not acknowledged; it may have arrived all the same
     */
    void deliver(OutboxEvent event);

    @Override
    void close();
}
