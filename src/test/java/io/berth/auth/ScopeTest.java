package io.berth.auth;

import static io.berth.auth.Action.ADMIN;
import static io.berth.auth.Action.DELETE;
import static io.berth.auth.Action.PROMOTE;
import static io.berth.auth.Action.PULL;
import static io.berth.auth.Action.PUSH;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Scopes follow the token protocol's grammar ({@code specs/docker/scope.md}, "Resource Scope
 * Grammar": {@code type:name:action[,action…]}), where a name may carry one colon, before a
 * registry port; unknown actions grant nothing and are dropped.
 */
class ScopeTest {

    static Stream<Arguments> wellFormedScopes() {
        return Stream.of(
                argumentSet("one action", "repository:app:pull", "repository", "app", EnumSet.of(PULL)),
                argumentSet("two actions", "repository:library/app:pull,push", "repository", "library/app", EnumSet.of(PULL, PUSH)),
                argumentSet("name with several slashes", "repository:candidate/team/app/base:push", "repository",
                        "candidate/team/app/base", EnumSet.of(PUSH)),
                argumentSet("name with a registry port (the one colon a name may hold)", "repository:localhost:5000/app:pull",
                        "repository", "localhost:5000/app", EnumSet.of(PULL)),
                argumentSet("* is every action", "repository:app:*", "repository", "app", EnumSet.allOf(Action.class)),
                argumentSet("Berth's own actions", "repository:app:delete,promote,admin", "repository", "app",
                        EnumSet.of(DELETE, PROMOTE, ADMIN)),
                argumentSet("unknown action dropped, known kept", "repository:app:pull,frobnicate", "repository", "app",
                        EnumSet.of(PULL)),
                argumentSet("only unknown actions: a scope granting nothing", "repository:app:frobnicate", "repository",
                        "app", EnumSet.noneOf(Action.class)),
                argumentSet("repeated action counted once", "repository:app:pull,pull", "repository", "app", EnumSet.of(PULL)),
                argumentSet("the catalog", "registry:catalog:*", "registry", "catalog", EnumSet.allOf(Action.class)));
    }

    @ParameterizedTest
    @MethodSource("wellFormedScopes")
    void parsesTypeNameAndActions(String text, String type, String name, Set<Action> actions) {
        assertThat(Scope.parse(text)).hasValue(new Scope(type, name, actions));
    }

    static Stream<Arguments> malformedScopes() {
        return Stream.of(
                argumentSet("empty", ""),
                argumentSet("type only", "repository"),
                argumentSet("no actions part", "repository:app"),
                argumentSet("empty actions after the colon", "repository:app:"),
                argumentSet("empty type", ":app:pull"),
                argumentSet("empty name", "repository::pull"),
                argumentSet("colons only", "::"));
    }

    @ParameterizedTest
    @MethodSource("malformedScopes")
    void malformedScopesAreEmpty(String text) {
        assertThat(Scope.parse(text)).isEmpty();
    }

    @Test
    void parseAllReadsRepeatedParametersAndSpaceSeparatedLists() {
        // GET repeats the scope parameter; POST sends one parameter with a space-separated list.
        List<Scope> scopes = Scope.parseAll(List.of("repository:a:pull", " repository:b:push  registry:catalog:* "));

        assertThat(scopes).containsExactly(
                Scope.repository("a", EnumSet.of(PULL)),
                Scope.repository("b", EnumSet.of(PUSH)),
                Scope.catalog());
    }

    @Test
    void parseAllSkipsMalformedAndBlankEntries() {
        List<Scope> scopes = Scope.parseAll(List.of("", "   ", "repository:app", "repository:ok:pull", "nonsense"));

        assertThat(scopes).containsExactly(Scope.repository("ok", EnumSet.of(PULL)));
    }

    @Test
    void parseAllOfNothingIsEmpty() {
        assertThat(Scope.parseAll(List.of())).isEmpty();
    }

    @Test
    void printsInTheGrammarAndParsesBackToItself() {
        Scope scope = Scope.repository("candidate/app", EnumSet.of(PUSH, PULL));

        assertThat(scope).hasToString("repository:candidate/app:pull,push");
        assertThat(Scope.parse(scope.toString())).hasValue(scope);
    }

    @Test
    void everyActionAtOnceIsPrintedAsStar() {
        // Challenges name the catalog scope as clients and other token servers know it.
        assertThat(Scope.catalog()).hasToString("registry:catalog:*");
        assertThat(Scope.repository("app", EnumSet.allOf(Action.class))).hasToString("repository:app:*");
        assertThat(Scope.parse("registry:catalog:*")).hasValue(Scope.catalog());
    }

    @Test
    void knowsRepositoryScopesFromTheCatalog() {
        Scope repository = Scope.parse("repository:app:pull").orElseThrow();
        Scope catalog = Scope.parse("registry:catalog:*").orElseThrow();
        Scope otherRegistryScope = Scope.parse("registry:other:*").orElseThrow();

        assertThat(repository.isRepository()).isTrue();
        assertThat(repository.isCatalog()).isFalse();
        assertThat(catalog.isCatalog()).isTrue();
        assertThat(catalog.isRepository()).isFalse();
        assertThat(otherRegistryScope.isCatalog()).isFalse();
        assertThat(otherRegistryScope.isRepository()).isFalse();
    }

    @Test
    void actionsAreCopiedSoTheScopeCannotChangeLater() {
        Set<Action> actions = EnumSet.of(PULL);
        Scope scope = Scope.repository("app", actions);

        actions.add(PUSH);

        assertThat(scope.actions()).containsExactly(PULL);
    }
}
