package io.berth.events;

import io.berth.metadata.MetadataSession;

/**
 * Records an event in the transaction of the change it describes, so that the event is kept if and
 * only if the change commits. The operations call it; they never send anything themselves.
 */
public interface EventRecorder {
    /** Records nothing: for a registry with no event destination configured. */
    EventRecorder NONE = new EventRecorder() {
        @Override
        public void record(MetadataSession session, EventOrigin origin, EventData data) {
        }

        @Override
        public boolean enabled() {
            return false;
        }
    };

    /** Adds the event to {@code session}'s transaction. */
    void record(MetadataSession session, EventOrigin origin, EventData data);

    /** Whether events are recorded at all: when not, callers skip reads they make only to describe a change. */
    boolean enabled();
}
