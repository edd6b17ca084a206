package io.berth.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.OptionalInt;

/**
 * Finds where a key path is written in a YAML file, so that an error about it can name the line.
 * The file is parsed a second time, as tokens, only when there is an error to report.
 */
final class ConfigLocator {
    private static final YAMLFactory YAML = new YAMLFactory();

    private ConfigLocator() {
    }

    /**
     * The line (1-based) of the first token at {@code target} (a key, or the value or section that
     * starts there), or empty when it is not in the file or the file cannot be read up to it.
     */
    static OptionalInt lineOf(Path file, JsonPointer target) {
        return find(file, target, 1, false);
    }

    /** The line of the {@code occurrence}-th key written at {@code target} (1 is the first), for duplicate keys. */
    static OptionalInt keyLineOf(Path file, JsonPointer target, int occurrence) {
        return find(file, target, occurrence, true);
    }

    private static OptionalInt find(Path file, JsonPointer target, int occurrence, boolean keysOnly) {
        int seen = 0;
        try (JsonParser parser = YAML.createParser(file.toFile())) {
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                if (keysOnly && token != JsonToken.FIELD_NAME) {
                    continue;
                }
                // A key's path is the key's; a section's or a list item's is where it stands.
                if (target.equals(parser.getParsingContext().pathAsPointer()) && ++seen == occurrence) {
                    return OptionalInt.of(parser.currentTokenLocation().getLineNr());
                }
            }
        } catch (IOException | RuntimeException e) {
            // The file is broken further on; what was found before that is all there is.
        }
        return OptionalInt.empty();
    }
}
