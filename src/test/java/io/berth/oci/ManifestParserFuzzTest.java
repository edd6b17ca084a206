package io.berth.oci;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Fuzzes {@link ManifestParser} with arbitrary bytes. Properties: the only failure is
 * {@code MANIFEST_INVALID} (never another exception, so never a 500); and whatever is accepted, a
 * lenient reader that decodes as Go's {@code encoding/json} does (case-insensitive keys, the last
 * duplicate winning, lone surrogates replaced with U+FFFD) reads the same type, the same config,
 * layers and child manifests, and the same annotations.
 *
 * <p>In a normal build the seeds under {@code ManifestParserFuzzTestInputs/} run as regression
 * tests; {@code JAZZER_FUZZ=1} fuzzes (see docs/operations.md, "Fuzzing").
 */
class ManifestParserFuzzTest {
    private static final ObjectMapper LENIENT = JsonMapper.builder()
            .disable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    @FuzzTest(maxDuration = "2m")
    void manifests(byte[] content) {
        Manifest manifest;
        try {
            manifest = ManifestParser.parse(content, Optional.empty());
        } catch (RegistryException refused) {
            assertThat(refused.code()).isEqualTo(ErrorCode.MANIFEST_INVALID);
            assertThat(refused.httpStatus()).isEqualTo(400);
            return;
        }
        JsonNode root = goRead(content);
        assertThat(goField(root, "schemaVersion").intValue()).isEqualTo(2);
        assertThat(descriptors(goField(root, "layers"))).isEqualTo(manifest.layers().stream().map(ManifestParserFuzzTest::facts).toList());
        assertThat(descriptors(goField(root, "manifests"))).isEqualTo(manifest.manifests().stream().map(ManifestParserFuzzTest::facts).toList());
        assertThat(manifest.config().map(ManifestParserFuzzTest::facts)).isEqualTo(
                Optional.ofNullable(goField(root, "config")).filter(JsonNode::isObject).map(ManifestParserFuzzTest::facts));
        assertThat(goStrings(goField(root, "annotations"))).isEqualTo(manifest.annotations());
    }

    /** The bytes as Go reads them: invalid UTF-8 replaced, duplicates collapsed to the last. */
    private static JsonNode goRead(byte[] content) {
        try (JsonParser parser = LENIENT.createParser(new String(content, StandardCharsets.UTF_8))) {
            return LENIENT.readTree(parser);
        } catch (IOException e) {
            throw new AssertionError("accepted a manifest that a lenient reader cannot read", e);
        }
    }

    /** Go's field lookup: the last member whose key equals {@code field} under case folding, or null. */
    private static JsonNode goField(JsonNode object, String field) {
        if (object == null || !object.isObject()) {
            return null;
        }
        JsonNode found = null;
        for (Map.Entry<String, JsonNode> member : object.properties()) {
            if (StrictJsonReader.fold(member.getKey()).equals(StrictJsonReader.fold(field))) {
                found = member.getValue();
            }
        }
        return found;
    }

    private record Facts(String mediaType, String digest, long size) {
    }

    private static Facts facts(Descriptor descriptor) {
        return new Facts(descriptor.mediaType(), descriptor.digest().toString(), descriptor.size());
    }

    private static Facts facts(JsonNode descriptor) {
        JsonNode size = goField(descriptor, "size");
        assertThat(size.isIntegralNumber() && size.canConvertToLong()).as("size %s", size).isTrue();
        return new Facts(goText(goField(descriptor, "mediaType")), goText(goField(descriptor, "digest")), size.longValue());
    }

    private static List<Facts> descriptors(JsonNode array) {
        List<Facts> result = new ArrayList<>();
        if (array != null && array.isArray()) {
            array.forEach(element -> result.add(facts(element)));
        }
        return result;
    }

    private static Map<String, String> goStrings(JsonNode object) {
        Map<String, String> result = new java.util.HashMap<>();
        if (object != null && object.isObject()) {
            object.properties().forEach(member -> result.put(goText(member.getKey()), goText(member.getValue())));
        }
        return result;
    }

    private static String goText(JsonNode node) {
        return node == null || node.isNull() ? null : goText(node.textValue());
    }

    /** A string as Go decodes it: each lone surrogate becomes U+FFFD. */
    private static String goText(String text) {
        StringBuilder result = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                result.append(c).append(text.charAt(++i));
            } else {
                result.append(Character.isSurrogate(c) ? '\uFFFD' : c);
            }
        }
        return result.toString();
    }
}
