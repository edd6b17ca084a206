package io.berth.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code docs/configuration.md} names every key {@link BerthConfig} reads, so a new key cannot
 * land undocumented. A key counts as documented when the page shows it in backticks, alone or as
 * the end of a dotted path ({@code `gc.grace-seconds`}, {@code `retention[].keep-last`}).
 */
class ConfigurationReferenceTest {

    private static final Path REFERENCE = Path.of("docs/configuration.md");

    @Test
    void everyKeyIsInTheReference() throws IOException {
        String reference = Files.readString(REFERENCE);
        List<String> missing = new ArrayList<>();
        for (String key : keys(BerthConfig.class, "")) {
            String leaf = key.substring(key.lastIndexOf('.') + 1).replace("[]", "");
            boolean documented = reference.contains("`" + key + "`")
                    || reference.contains("`" + leaf + "`")
                    || reference.contains("." + leaf + "`")
                    || reference.contains("[]." + leaf + "`");
            if (!documented) {
                missing.add(key);
            }
        }
        assertThat(missing).as("keys missing from %s", REFERENCE).isEmpty();
    }

    @Test
    void theWalkFindsNestedAndListKeys() {
        List<String> keys = keys(BerthConfig.class, "");
        assertThat(keys).contains("listen", "gc.grace-seconds", "retention[].keep-last", "database.url");
    }

    /** The dotted key paths of a configuration record, lists marked {@code []}. */
    private static List<String> keys(Class<?> type, String prefix) {
        List<String> keys = new ArrayList<>();
        for (RecordComponent component : type.getRecordComponents()) {
            JsonProperty property = component.getAccessor().getAnnotation(JsonProperty.class);
            if (property == null) {
                continue;
            }
            String key = prefix + property.value();
            keys.add(key);
            Class<?> nested = configRecord(component.getGenericType());
            if (nested != null) {
                String marker = List.class.isAssignableFrom(component.getType()) ? "[]." : ".";
                keys.addAll(keys(nested, key + marker));
            }
        }
        return keys;
    }

    private static Class<?> configRecord(Type type) {
        if (type instanceof ParameterizedType parameterized) {
            return configRecord(parameterized.getActualTypeArguments()[0]);
        }
        if (type instanceof Class<?> plain && plain.isRecord() && plain.getPackageName().equals(BerthConfig.class.getPackageName())) {
            return plain;
        }
        return null;
    }
}
