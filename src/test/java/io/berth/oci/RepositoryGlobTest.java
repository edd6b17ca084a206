package io.berth.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Policy patterns: {@code *} matches within one path component, {@code **} any number of whole
 * components, everything else is literal; a pattern with more literal characters is more specific.
 */
class RepositoryGlobTest {

    static Stream<Arguments> matches() {
        return Stream.of(
                argumentSet("** matches a one-component name", "**", "app", true),
                argumentSet("** matches a nested name", "**", "candidate/team/app", true),
                argumentSet("candidate/** matches one level below", "candidate/**", "candidate/app", true),
                argumentSet("candidate/** matches any depth below", "candidate/**", "candidate/team/app/base", true),
                argumentSet("candidate/** does not match candidate itself", "candidate/**", "candidate", false),
                argumentSet("candidate/** does not match a longer first component", "candidate/**", "candidates/app", false),
                argumentSet("candidate/** does not match a suffix", "candidate/**", "xcandidate/app", false),
                argumentSet("candidate/** does not match candidate deeper down", "candidate/**", "library/candidate/app", false),
                argumentSet("fedora/* matches one component", "fedora/*", "fedora/41", true),
                argumentSet("fedora/* does not cross a slash", "fedora/*", "fedora/41/base", false),
                argumentSet("fedora/* does not match fedora", "fedora/*", "fedora", false),
                argumentSet("fedora/* does not match another first component", "fedora/*", "centos/41", false),
                argumentSet("* inside a component", "lib*/app", "library/app", true),
                argumentSet("* inside a component may match nothing", "lib*/app", "lib/app", true),
                argumentSet("* inside a component stays in it", "lib*/app", "lib/x/app", false),
                argumentSet("**/ in front matches no components", "**/base", "base", true),
                argumentSet("**/ in front matches several components", "**/base", "fedora/41/base", true),
                argumentSet("**/ in front still needs the literal end", "**/base", "fedora/base2", false),
                argumentSet("/**/ in the middle matches no components", "a/**/z", "a/z", true),
                argumentSet("/**/ in the middle matches several components", "a/**/z", "a/b/c/z", true),
                argumentSet("a literal matches itself", "library/app", "library/app", true),
                argumentSet("a literal does not match a longer name", "library/app", "library/app2", false),
                argumentSet("a literal does not match a prefix", "library/app", "library/ap", false),
                argumentSet("a literal does not match a name below it", "library/app", "library/app/x", false),
                argumentSet("regex metacharacters are literal (.)", "a.b/c", "axb/c", false),
                argumentSet("regex metacharacters are literal (+)", "a.b/c+d", "a.b/c+d", true));
    }

    @ParameterizedTest
    @MethodSource("matches")
    void matchesRepositoryNames(String pattern, String repository, boolean expected) {
        assertThat(new RepositoryGlob(pattern).matches(repository)).isEqualTo(expected);
    }

    @Test
    void specificityCountsLiteralCharacters() {
        assertThat(new RepositoryGlob("**").specificity()).isZero();
        assertThat(new RepositoryGlob("fedora/*").specificity()).isEqualTo("fedora/".length());
        assertThat(new RepositoryGlob("candidate/**").specificity()).isEqualTo("candidate/".length());
        assertThat(new RepositoryGlob("candidate/app").specificity()).isEqualTo("candidate/app".length());
    }

    @Test
    void aNarrowerPatternOverTheSameNamesIsMoreSpecific() {
        List<String> fromLeastSpecific = Stream.of("candidate/app", "**", "candidate/**", "candidate/a*")
                .map(RepositoryGlob::new)
                .sorted(Comparator.comparingInt(RepositoryGlob::specificity))
                .map(RepositoryGlob::pattern)
                .toList();

        assertThat(fromLeastSpecific).containsExactly("**", "candidate/**", "candidate/a*", "candidate/app");
    }

    @Test
    void equalPatternsAreEqual() {
        assertThat(new RepositoryGlob("fedora/*")).isEqualTo(new RepositoryGlob("fedora/*"))
                .hasSameHashCodeAs(new RepositoryGlob("fedora/*"))
                .isNotEqualTo(new RepositoryGlob("fedora/**"))
                .hasToString("fedora/*");
    }

    @Test
    void refusesAnEmptyPattern() {
        assertThatIllegalArgumentException().isThrownBy(() -> new RepositoryGlob(""));
        assertThatIllegalArgumentException().isThrownBy(() -> new RepositoryGlob("  "));
        assertThatIllegalArgumentException().isThrownBy(() -> new RepositoryGlob(null));
    }
}
