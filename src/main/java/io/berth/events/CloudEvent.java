package io.berth.events;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.metadata.OutboxEvent;

/**
 * An event in CloudEvents 1.0 structured mode (JSON format, {@code application/cloudevents+json}):
 * {@code specversion}, {@code id} (the event's id), {@code source}, {@code type}
 * ({@link EventType#cloudEventType()}), {@code time}, {@code subject} (the repository or mirror),
 * {@code datacontenttype} and {@code data}: the event's JSON without the envelope's fields.
 */
final class CloudEvent {
    static final String CONTENT_TYPE = "application/cloudevents+json; charset=utf-8";

    private CloudEvent() {
    }

    static String encode(OutboxEvent event, String source) {
        ObjectNode data = EventJson.read(event.body());
        data.remove("id");
        data.remove("type");
        data.remove("time");
        ObjectNode envelope = EventJson.MAPPER.createObjectNode();
        envelope.put("specversion", "1.0");
        envelope.put("id", event.id().toString());
        envelope.put("source", source);
        envelope.put("type", EventType.CLOUD_EVENT_TYPE_PREFIX + event.type());
        envelope.put("time", event.occurredAt().toString());
        EventJson.text(data, "repository").or(() -> EventJson.text(data, "target_repository"))
                .or(() -> EventJson.text(data, "mirror"))
                .ifPresent(subject -> envelope.put("subject", subject));
        envelope.put("datacontenttype", "application/json");
        envelope.set("data", data);
        return EventJson.write(envelope);
    }
}
