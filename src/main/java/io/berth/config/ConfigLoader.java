package io.berth.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads {@link BerthConfig} from a YAML file; unknown keys are errors, so typos do not pass silently. */
public final class ConfigLoader {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private ConfigLoader() {
    }

    public static BerthConfig load(Path file) {
        try {
            if (Files.size(file) == 0 || isEmptyDocument(YAML.readTree(file.toFile()))) {
                return BerthConfig.defaults();
            }
            BerthConfig config = YAML.readValue(file.toFile(), BerthConfig.class);
            return config == null ? BerthConfig.defaults() : config;
        } catch (UnrecognizedPropertyException e) {
            throw new ConfigException(file + ": unknown key '" + e.getPropertyName() + "'", e);
        } catch (IOException e) {
            throw new ConfigException(file + ": " + e.getMessage(), e);
        }
    }

    /** A document of only comments or blank lines has no content at all; every key then takes its default. */
    private static boolean isEmptyDocument(JsonNode document) {
        return document == null || document.isMissingNode();
    }
}
