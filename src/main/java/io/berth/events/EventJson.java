package io.berth.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.oci.Digest;
import io.berth.oci.Tag;
import java.time.Instant;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The JSON of an event, as the outbox keeps it and as the AMQP message body carries it: {@code id},
 * {@code type}, {@code time} (RFC 3339, UTC), {@code actor} and {@code client_address} when known,
 * then the fields of its {@link EventData} in snake_case (docs/operations.md, "Events").
 */
final class EventJson {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private EventJson() {
    }

    static String encode(UUID id, Instant time, EventOrigin origin, EventData data) {
        ObjectNode event = MAPPER.createObjectNode();
        event.put("id", id.toString());
        event.put("type", data.type().wireName());
        event.put("time", time.toString());
        origin.actor().ifPresent(actor -> event.put("actor", actor));
        origin.clientAddress().ifPresent(address -> event.put("client_address", address));
        fields(event, data);
        return write(event);
    }

    /** The fields of what happened, without the event's id, time and origin: the audit trail's detail. */
    static String fields(EventData data) {
        ObjectNode fields = MAPPER.createObjectNode();
        fields(fields, data);
        return write(fields);
    }

    private static void fields(ObjectNode event, EventData data) {
        switch (data) {
            case EventData.ManifestPushed pushed -> {
                event.put("repository", pushed.repository().value());
                event.put("digest", pushed.digest().toString());
                event.put("media_type", pushed.mediaType());
                event.put("size", pushed.size());
                tags(event.putArray("tags"), pushed.tags());
            }
            case EventData.ManifestDeleted deleted -> {
                event.put("repository", deleted.repository().value());
                event.put("digest", deleted.digest().toString());
                tags(event.putArray("tags"), deleted.tags());
            }
            case EventData.TagDeleted deleted -> {
                event.put("repository", deleted.repository().value());
                event.put("digest", deleted.digest().toString());
                event.put("tag", deleted.tag().value());
            }
            case EventData.TagMoved moved -> {
                event.put("repository", moved.repository().value());
                event.put("tag", moved.tag().value());
                event.put("from_digest", moved.from().toString());
                event.put("to_digest", moved.to().toString());
            }
            case EventData.PromotionDecided promotion -> promotion(event, promotion);
            case EventData.MirrorStateChanged mirror -> {
                event.put("mirror", mirror.mirror());
                event.put("previous_state", mirror.previousState());
                event.put("state", mirror.state());
                mirror.error().ifPresent(error -> event.put("error", error));
            }
        }
    }

    private static void promotion(ObjectNode event, EventData.PromotionDecided promotion) {
        event.put("promotion_id", promotion.promotionId());
        event.put("source_repository", promotion.sourceRepository());
        event.put("source_reference", promotion.sourceReference());
        promotion.sourceDigest().ifPresent(digest -> event.put("source_digest", digest.toString()));
        event.put("target_repository", promotion.targetRepository());
        ArrayNode tags = event.putArray("tags");
        promotion.tags().forEach(tags::add);
        ObjectNode previous = event.putObject("previous");
        new TreeMap<>(promotion.previous()).forEach((tag, digest) ->
                previous.put(tag, digest.map(Digest::toString).orElse(null)));
        event.put("outcome", promotion.outcome());
        ObjectNode failed = event.putObject("failed_gates");
        new TreeMap<>(promotion.failedGates()).forEach(failed::put);
        event.put("overridden", promotion.overridden());
        promotion.overrideReason().ifPresent(reason -> event.put("override_reason", reason));
    }

    private static void tags(ArrayNode array, java.util.List<Tag> tags) {
        tags.forEach(tag -> array.add(tag.value()));
    }

    static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an event could not be written as JSON", e);
        }
    }

    static ObjectNode read(String json) {
        try {
            return (ObjectNode) MAPPER.readTree(json);
        } catch (JsonProcessingException | ClassCastException e) {
            throw new IllegalArgumentException("an outbox event's body is not a JSON object", e);
        }
    }

    static Optional<String> text(JsonNode event, String field) {
        return Optional.ofNullable(event.get(field)).filter(JsonNode::isTextual).map(JsonNode::asText);
    }
}
