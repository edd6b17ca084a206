package io.berth.events;

import io.berth.metadata.OutboxEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An event as an AMQP message in the style of fedora-messaging: the body is the event's JSON, the
 * routing key its {@link EventType#routingKey()}, the message id its id, and the headers say the
 * schema ({@code fedora_messaging_schema}: {@code berth.v1.<type>}), the severity
 * ({@code fedora_messaging_severity}: 20 for information, 30 for a warning) and when it was sent
 * ({@code sent-at}, RFC 3339).
 */
record FedoraMessage(String routingKey, String messageId, Map<String, Object> headers, byte[] body) {
    static final String SCHEMA_PREFIX = "berth.v1.";
    static final int INFO = 20;
    static final int WARNING = 30;

    static FedoraMessage of(OutboxEvent event, Instant sentAt) {
        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put("fedora_messaging_schema", SCHEMA_PREFIX + event.type());
        headers.put("fedora_messaging_severity", severity(event));
        headers.put("sent-at", sentAt.toString());
        return new FedoraMessage(EventType.ROUTING_KEY_PREFIX + event.type(), event.id().toString(), headers,
                event.body().getBytes(StandardCharsets.UTF_8));
    }

    /** Refused or overridden promotions, and mirrors that are no longer healthy, are warnings. */
    private static int severity(OutboxEvent event) {
        return switch (EventType.fromWireName(event.type()).orElse(EventType.PUSH)) {
            case PROMOTION_REFUSED -> WARNING;
            case PROMOTION_GRANTED -> EventJson.read(event.body()).path("overridden").asBoolean() ? WARNING : INFO;
            case MIRROR_STATE -> EventJson.text(EventJson.read(event.body()), "state").filter("healthy"::equals).isPresent()
                    ? INFO : WARNING;
            case PUSH, DELETE, TAG -> INFO;
        };
    }
}
