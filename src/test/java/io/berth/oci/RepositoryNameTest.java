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
 * Repository names follow the distribution spec's {@code <name>} grammar ("Pulling manifests"):
 * {@code [a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(\/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*}, and Berth keeps them
 * to {@link Limits#MAX_REPOSITORY_NAME_LENGTH} characters.
 */
class RepositoryNameTest {

    static Stream<Arguments> validNames() {
        return Stream.of(
                argumentSet("one letter", "a"),
                argumentSet("one digit", "0"),
                argumentSet("two components", "library/ubuntu"),
                argumentSet("four components", "a/b/c/d"),
                argumentSet("period separator", "a.b"),
                argumentSet("underscore separator", "a_b"),
                argumentSet("double underscore separator", "a__b"),
                argumentSet("hyphen separator", "a-b"),
                argumentSet("run of hyphens", "a--b"),
                argumentSet("long run of hyphens", "a-----b"),
                argumentSet("every separator in one component", "a.b-c_d__e--f"),
                argumentSet("digits and letters mixed", "team1/app2.v3"),
                argumentSet("components named like API segments", "blobs/manifests/tags/uploads"),
                argumentSet("exactly 255 characters", "a".repeat(255)),
                argumentSet("255 characters over many components", ("abcd/".repeat(51)).substring(0, 254) + "a"));
    }

    @ParameterizedTest
    @MethodSource("validNames")
    void acceptsNamesMatchingTheGrammar(String value) {
        assertThat(RepositoryName.parse(value).value()).isEqualTo(value);
    }

    static Stream<Arguments> invalidNames() {
        return Stream.of(
                argumentSet("empty", ""),
                argumentSet("single upper case letter", "A"),
                argumentSet("upper case first component", "Library/ubuntu"),
                argumentSet("upper case last component", "library/Ubuntu"),
                argumentSet("parent directory", "../x"),
                argumentSet("parent directory inside", "a/../b"),
                argumentSet("current directory inside", "a/./b"),
                argumentSet("two periods", "a..b"),
                argumentSet("three underscores", "a___b"),
                argumentSet("period then hyphen", "a.-b"),
                argumentSet("underscore then hyphen", "a_-b"),
                argumentSet("leading slash", "/a"),
                argumentSet("trailing slash", "a/"),
                argumentSet("empty component", "a//b"),
                argumentSet("leading period", ".a"),
                argumentSet("trailing period", "a."),
                argumentSet("leading hyphen", "-a"),
                argumentSet("trailing hyphen", "a-"),
                argumentSet("leading underscore", "_a"),
                argumentSet("trailing underscore", "a_"),
                argumentSet("separator ending a component", "a-/b"),
                argumentSet("separator starting a component", "a/-b"),
                argumentSet("space", "a b"),
                argumentSet("colon (a tag is not part of the name)", "ubuntu:latest"),
                argumentSet("at sign", "ubuntu@sha256"),
                argumentSet("backslash", "a\\b"),
                argumentSet("non-ASCII letter", "caf\u00e9"),
                argumentSet("256 characters", "a".repeat(256)),
                argumentSet("256 characters over many components", ("abcd/".repeat(52)).substring(0, 255) + "a"));
    }

    @ParameterizedTest
    @MethodSource("invalidNames")
    void refusesEverythingElseWithNameInvalid(String value) {
        RegistryException error = thrownBy(() -> RepositoryName.parse(value));

        assertThat(error.code()).isEqualTo(ErrorCode.NAME_INVALID);
        assertThat(error.httpStatus()).isEqualTo(400);
    }

    @Test
    void refusesNullWithNameInvalid() {
        assertThat(thrownBy(() -> new RepositoryName(null)).code()).isEqualTo(ErrorCode.NAME_INVALID);
    }

    @Test
    void sortsInByteOrderAsTheCatalogDoes() {
        List<RepositoryName> names = Stream.of("b", "a_b", "a/b", "a.b", "a-b", "a0", "a")
                .map(RepositoryName::parse).sorted().toList();

        assertThat(names).extracting(RepositoryName::value).containsExactly("a", "a-b", "a.b", "a/b", "a0", "a_b", "b");
    }

    @Test
    void theScanAgreesWithTheSpecRegularExpression() {
        Pattern spec = Pattern.compile(RepositoryName.PATTERN);
        List<String> samples = new ArrayList<>(GrammarSamples.every("a0._-/A", 6));
        samples.addAll(GrammarSamples.random("ab9._-/", 20_000, 40, 7));
        samples.addAll(List.of("a___b", "a..b", "a__b__c", "a-_b", "a_-b", "a/-b", "a/", "/a", "a//b", "a.-b"));

        for (String sample : samples) {
            assertThat(RepositoryName.matchesGrammar(sample)).as(sample).isEqualTo(spec.matcher(sample).matches());
        }
    }
}
