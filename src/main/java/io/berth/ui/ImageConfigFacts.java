package io.berth.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What a page shows of an image configuration (image spec "Image Configuration"): its platform,
 * when it was created, and its labels. A configuration that is not JSON, or lacks a field, gives
 * an empty value for it, never an error: a page shows what it can.
 */
public record ImageConfigFacts(Optional<Platform> platform, Optional<Instant> created, Map<String, String> labels) {
    static final ImageConfigFacts UNKNOWN = new ImageConfigFacts(Optional.empty(), Optional.empty(), Map.of());
    private static final ObjectMapper JSON = new ObjectMapper();

    public ImageConfigFacts {
        labels = Map.copyOf(labels);
    }

    /** Reads {@code bytes}, an image configuration the caller has checked against its digest. */
    static ImageConfigFacts read(byte[] bytes) {
        JsonNode root;
        try {
            root = JSON.readTree(bytes);
        } catch (IOException e) {
            return UNKNOWN;
        }
        if (root == null || !root.isObject()) {
            return UNKNOWN;
        }
        Map<String, String> labels = new LinkedHashMap<>();
        JsonNode configLabels = root.path("config").path("Labels");
        configLabels.properties().forEach(entry -> {
            if (entry.getValue().isTextual()) {
                labels.put(entry.getKey(), entry.getValue().asText());
            }
        });
        return new ImageConfigFacts(platform(root), instant(root.path("created")), labels);
    }

    /** The platform an object with {@code os} and {@code architecture} fields states, if both are there. */
    static Optional<Platform> platform(JsonNode node) {
        JsonNode os = node.path("os");
        JsonNode architecture = node.path("architecture");
        if (!os.isTextual() || !architecture.isTextual()) {
            return Optional.empty();
        }
        JsonNode variant = node.path("variant");
        return Optional.of(new Platform(os.asText(), architecture.asText(),
                variant.isTextual() && !variant.asText().isEmpty() ? Optional.of(variant.asText()) : Optional.empty()));
    }

    /** An RFC 3339 date-time, as {@code created} and the {@code org.opencontainers.image.created} annotation hold. */
    static Optional<Instant> instant(JsonNode node) {
        return node.isTextual() ? instant(node.asText()) : Optional.empty();
    }

    static Optional<Instant> instant(String text) {
        try {
            return Optional.of(java.time.OffsetDateTime.parse(text).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
