package io.berth.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DatabindException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads {@link BerthConfig} from a YAML file. Unknown keys and keys given twice are errors, so typos
 * and pasted-over sections do not pass silently; every error names the file, the line and the key
 * path ({@link ConfigErrors}).
 */
public final class ConfigLoader {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private ConfigLoader() {
    }

    public static BerthConfig load(Path file) {
        if (Files.isDirectory(file)) {
            throw new ConfigException(file + ": is a directory, not a configuration file");
        }
        try {
            if (Files.size(file) == 0 || isEmptyDocument(YAML.readTree(file.toFile()))) {
                return BerthConfig.defaults();
            }
            BerthConfig config = YAML.readValue(file.toFile(), BerthConfig.class);
            return config == null ? BerthConfig.defaults() : config;
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": not found", e);
        } catch (AccessDeniedException e) {
            throw new ConfigException(file + ": cannot be read (permission denied)", e);
        } catch (DatabindException e) {
            throw ConfigErrors.describe(file, e);
        } catch (StreamReadException e) {
            throw ConfigErrors.describe(file, e);
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot be read", e);
        }
    }

    /** A document of only comments or blank lines has no content at all; every key then takes its default. */
    private static boolean isEmptyDocument(JsonNode document) {
        return document == null || document.isMissingNode();
    }
}
