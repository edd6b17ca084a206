package io.berth.ui;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
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
    /** Labels kept of one configuration; the rest are not shown. */
    static final int MAX_LABELS = 64;
    /** Characters kept of a label's value. */
    static final int MAX_LABEL_CHARACTERS = 1024;
    /** The longest string or name the parser materializes; a configuration with a longer one kept is shown without facts. */
    static final int MAX_STRING_CHARACTERS = 64 * 1024;
    /**
     * Closing the parser leaves the stream open: the caller reads it to its end for the digest.
     * Strings it skips are never held; one it keeps (a field name, a label) is held whole while it is
     * read, so both are bounded.
     */
    private static final JsonFactory JSON = JsonFactory.builder()
            .disable(com.fasterxml.jackson.core.StreamReadFeature.AUTO_CLOSE_SOURCE)
            .streamReadConstraints(com.fasterxml.jackson.core.StreamReadConstraints.builder()
                    .maxStringLength(MAX_STRING_CHARACTERS).maxNameLength(MAX_STRING_CHARACTERS).build())
            .build();

    public ImageConfigFacts {
        labels = Map.copyOf(labels);
    }

    /**
     * Reads an image configuration from {@code in} as it streams, keeping only the fields a page
     * shows (at most {@link #MAX_LABELS} labels, keys and values of at most
     * {@link #MAX_LABEL_CHARACTERS} characters), so that what a page holds does not grow with the configuration. The caller reads
     * {@code in} to its end afterwards and checks its digest before trusting the result.
     */
    static ImageConfigFacts read(InputStream in) throws IOException {
        try (JsonParser json = JSON.createParser(in)) {
            if (json.nextToken() != JsonToken.START_OBJECT) {
                return UNKNOWN;
            }
            Map<String, String> text = new LinkedHashMap<>();
            Map<String, String> labels = new LinkedHashMap<>();
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String field = json.currentName();
                JsonToken value = json.nextToken();
                if (field.equals("config") && value == JsonToken.START_OBJECT) {
                    readLabels(json, labels);
                } else if (value == JsonToken.VALUE_STRING && TOP_LEVEL_TEXT.contains(field)) {
                    text.put(field, json.getText());
                } else {
                    json.skipChildren();
                }
            }
            Optional<Platform> platform = text.containsKey("os") && text.containsKey("architecture")
                    ? Optional.of(new Platform(text.get("os"), text.get("architecture"),
                            Optional.ofNullable(text.get("variant")).filter(variant -> !variant.isEmpty())))
                    : Optional.empty();
            return new ImageConfigFacts(platform, Optional.ofNullable(text.get("created")).flatMap(ImageConfigFacts::instant),
                    labels);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return UNKNOWN;
        }
    }

    private static final java.util.Set<String> TOP_LEVEL_TEXT = java.util.Set.of("os", "architecture", "variant", "created");

    /** The {@code Labels} of the {@code config} object the parser has just entered; leaves it at that object's end. */
    private static void readLabels(JsonParser json, Map<String, String> labels) throws IOException {
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            String field = json.currentName();
            JsonToken value = json.nextToken();
            if (field.equals("Labels") && value == JsonToken.START_OBJECT) {
                while (json.nextToken() == JsonToken.FIELD_NAME) {
                    String key = json.currentName();
                    boolean kept = labels.size() < MAX_LABELS && key.length() <= MAX_LABEL_CHARACTERS;
                    if (json.nextToken() == JsonToken.VALUE_STRING && kept) {
                        String label = json.getText();
                        labels.put(key, label.length() > MAX_LABEL_CHARACTERS ? label.substring(0, MAX_LABEL_CHARACTERS) : label);
                    } else {
                        json.skipChildren();
                    }
                }
            } else {
                json.skipChildren();
            }
        }
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
    static Optional<Instant> instant(String text) {
        try {
            return Optional.of(java.time.OffsetDateTime.parse(text).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
