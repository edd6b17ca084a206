package io.berth.audit;

import io.berth.events.EventData;
import io.berth.events.EventOrigin;
import io.berth.events.EventRecorder;
import io.berth.metadata.MetadataSession;
import java.util.Optional;

/**
 * Audits every change an operation records as an event, in the same transaction, then hands the
 * event on to {@code events} (the outbox, or nothing when no destination is configured). It is
 * always {@linkplain #enabled() enabled}: the trail is kept whether or not events are sent.
 */
public final class AuditedEvents implements EventRecorder {
    private final AuditTrail trail;
    private final EventRecorder events;

    public AuditedEvents(AuditTrail trail, EventRecorder events) {
        this.trail = trail;
        this.events = events;
    }

    @Override
    public void record(MetadataSession session, EventOrigin origin, EventData data) {
        AuditAction.of(data.type()).ifPresent(action -> trail.record(session, origin, action, repository(data),
                source(data), data.fieldsAsJson()));
        events.record(session, origin, data);
    }

    @Override
    public boolean enabled() {
        return true;
    }

    private static Optional<String> repository(EventData data) {
        return switch (data) {
            case EventData.ManifestPushed pushed -> Optional.of(pushed.repository().value());
            case EventData.ManifestDeleted deleted -> Optional.of(deleted.repository().value());
            case EventData.TagDeleted deleted -> Optional.of(deleted.repository().value());
            case EventData.TagMoved moved -> Optional.of(moved.repository().value());
            case EventData.PromotionDecided promotion -> Optional.of(promotion.targetRepository());
            case EventData.MirrorStateChanged mirror -> Optional.empty();
        };
    }

    private static Optional<String> source(EventData data) {
        return data instanceof EventData.PromotionDecided promotion ? Optional.of(promotion.sourceRepository()) : Optional.empty();
    }
}
