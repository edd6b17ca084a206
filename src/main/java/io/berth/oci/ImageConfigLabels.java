package io.berth.oci;

import com.fasterxml.jackson.core.JsonToken;
import io.berth.oci.StrictJsonReader.ObjectKeys;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the labels of an image configuration (image spec "Image Configuration",
 * {@code config.Labels}) as the Go clients that build and run images read them: keys of the
 * configuration and of its {@code config} object are matched case-insensitively, so a
 * configuration whose keys collide that way ({@code config} and {@code Config}, {@code Labels}
 * and {@code labels}) is refused rather than read one way here and another way by a client.
 */
public final class ImageConfigLabels {
    private static final Map<String, String> ROOT_FIELDS = ObjectKeys.fields("config");
    private static final Map<String, String> CONFIG_FIELDS = ObjectKeys.fields("Labels");

    private ImageConfigLabels() {
    }

    /**
     * The labels of the configuration {@code bytes}; empty when it has none.
     *
     * @throws StrictJsonException when the bytes are not a configuration that Go clients read the same way
     */
    public static Map<String, String> read(byte[] bytes) {
        try (StrictJsonReader json = StrictJsonReader.of(bytes)) {
            if (json.next() != JsonToken.START_OBJECT) {
                throw new StrictJsonException("an image configuration must be a JSON object");
            }
            Map<String, String> labels = Map.of();
            ObjectKeys keys = new ObjectKeys(ROOT_FIELDS);
            while (json.next() == JsonToken.FIELD_NAME) {
                String name = keys.add(json.text());
                json.next();
                if (name.equals("config") && json.token() == JsonToken.START_OBJECT) {
                    labels = config(json);
                } else if (name.equals("config") && !json.isNull()) {
                    throw new StrictJsonException("config must be an object");
                } else {
                    json.skipValue();
                }
            }
            json.requireEnd();
            return labels;
        }
    }

    private static Map<String, String> config(StrictJsonReader json) {
        Map<String, String> labels = Map.of();
        ObjectKeys keys = new ObjectKeys(CONFIG_FIELDS);
        while (json.next() == JsonToken.FIELD_NAME) {
            String name = keys.add(json.text());
            json.next();
            if (name.equals("Labels") && !json.isNull()) {
                labels = labels(json);
            } else {
                json.skipValue();
            }
        }
        return labels;
    }

    /** Go: {@code map[string]string}, so keys are exact; values must be strings. */
    private static Map<String, String> labels(StrictJsonReader json) {
        if (json.token() != JsonToken.START_OBJECT) {
            throw new StrictJsonException("config.Labels must be an object of strings");
        }
        Map<String, String> labels = new LinkedHashMap<>();
        while (json.next() == JsonToken.FIELD_NAME) {
            String key = json.text();
            if (json.next() != JsonToken.VALUE_STRING) {
                throw new StrictJsonException("label " + key + " must be a string");
            }
            if (labels.size() == Limits.MAX_JSON_ELEMENTS) {
                throw new StrictJsonException("more than " + Limits.MAX_JSON_ELEMENTS + " labels");
            }
            labels.put(key, json.text());
        }
        return labels;
    }
}
