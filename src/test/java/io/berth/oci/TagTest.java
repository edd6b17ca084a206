package io.berth.oci;

import static io.berth.testing.RegistryErrors.thrownBy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Tags follow the distribution spec ("Pulling manifests"): at most 128 characters matching
 * {@code [a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}}. Berth refuses others with {@code MANIFEST_INVALID}.
 */
class TagTest {

    static Stream<Arguments> validTags() {
        return Stream.of(
                argumentSet("word", "latest"),
                argumentSet("one character", "a"),
                argumentSet("one digit", "1"),
                argumentSet("leading underscore", "_private"),
                argumentSet("upper and lower case", "Release-Candidate"),
                argumentSet("version with periods", "1.2.3"),
                argumentSet("every allowed character", "aZ09_.-"),
                argumentSet("referrers tag schema", "sha256-" + "a".repeat(64)),
                argumentSet("exactly 128 characters", "a".repeat(128)));
    }

    @ParameterizedTest
    @MethodSource("validTags")
    void acceptsTagsMatchingTheGrammar(String value) {
        assertThat(Tag.parse(value).value()).isEqualTo(value);
    }

    static Stream<Arguments> invalidTags() {
        return Stream.of(
                argumentSet("empty", ""),
                argumentSet("leading period", ".hidden"),
                argumentSet("leading hyphen", "-rc1"),
                argumentSet("129 characters", "a".repeat(129)),
                argumentSet("colon", "v1:2"),
                argumentSet("slash", "a/b"),
                argumentSet("plus", "1.0+build"),
                argumentSet("space", "my tag"),
                argumentSet("at sign", "a@b"),
                argumentSet("non-ASCII letter", "v\u00e9"));
    }

    @ParameterizedTest
    @MethodSource("invalidTags")
    void refusesEverythingElseWithManifestInvalid(String value) {
        RegistryException error = thrownBy(() -> Tag.parse(value));

        assertThat(error.code()).isEqualTo(ErrorCode.MANIFEST_INVALID);
        assertThat(error.httpStatus()).isEqualTo(400);
    }

    @Test
    void refusesNullWithManifestInvalid() {
        assertThat(thrownBy(() -> new Tag(null)).code()).isEqualTo(ErrorCode.MANIFEST_INVALID);
    }

    @Test
    void theScanAgreesWithTheSpecRegularExpression() {
        Pattern spec = Pattern.compile(Tag.PATTERN);
        List<String> samples = new ArrayList<>(GrammarSamples.every("aZ0_.-/", 5));
        samples.addAll(GrammarSamples.random("aZ9_.-:@", 20_000, 140, 11));
        samples.addAll(List.of("a".repeat(127), "a".repeat(128), "a".repeat(129), "_".repeat(128), "-".repeat(2)));

        for (String sample : samples) {
            assertThat(Tag.matchesGrammar(sample)).as(sample).isEqualTo(spec.matcher(sample).matches());
        }
    }
}
