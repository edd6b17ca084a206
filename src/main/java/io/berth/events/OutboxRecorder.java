package io.berth.events;

import io.berth.metadata.MetadataSession;
import io.berth.metadata.OutboxEvent;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

/** Records events in the metadata database's outbox, each with a new random id and the clock's time. */
public final class OutboxRecorder implements EventRecorder {
    private final Clock clock;

    public OutboxRecorder(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void record(MetadataSession session, EventOrigin origin, EventData data) {
        UUID id = UUID.randomUUID();
        Instant now = clock.instant();
        session.outbox().append(new OutboxEvent(id, data.type().wireName(), now, EventJson.encode(id, now, origin, data)));
    }

    @Override
    public boolean enabled() {
        return true;
    }
}
