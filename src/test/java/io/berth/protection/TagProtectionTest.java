package io.berth.protection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.oci.Digest;
import io.berth.oci.ErrorCode;
import io.berth.oci.RegistryException;
import io.berth.oci.RepositoryGlob;
import io.berth.oci.RepositoryName;
import io.berth.oci.Tag;
import io.berth.oci.TagPattern;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TagProtectionTest {
    private static final RepositoryName APP = RepositoryName.parse("fedora/app");
    private static final Optional<Digest> OLD = Optional.of(digest("old"));
    private static final Optional<Digest> NEW = Optional.of(digest("new"));
    private static final Optional<Digest> NONE = Optional.empty();

    private final TagProtection protection = new TagProtection(List.of(
            new TagProtection.Rule(new RepositoryGlob("fedora/*"), List.of(new TagPattern("41.*")),
                    List.of(new TagPattern("stable")), Set.of("alice", "robot$ci", "ci@https://issuer.example"))));

    @Test
    void anImmutableTagIsSetOnceAndSetAgainOnlyToTheSameDigest() {
        assertThat(decide("41.1", NONE, NEW, TagWriter.ANONYMOUS).allowed()).isTrue();
        assertThat(decide("41.1", OLD, OLD, TagWriter.ANONYMOUS).allowed()).isTrue();
    }

    @Test
    void anImmutableTagIsNeverMovedOrDeletedEvenByPrincipalsOrTheLocalOperator() {
        for (TagWriter writer : List.of(TagWriter.ANONYMOUS, TagWriter.named("alice"), TagWriter.LOCAL_OPERATOR)) {
            assertThat(decide("41.1", OLD, NEW, writer)).isInstanceOf(TagDecision.Refused.class);
            assertThat(decide("41.1", OLD, NONE, writer)).isInstanceOf(TagDecision.Refused.class);
        }
    }

    @Test
    void aRefusalNamesTheTagAndTheRule() {
        TagDecision decision = decide("41.1", OLD, NEW, TagWriter.named("alice"));

        assertThat(((TagDecision.Refused) decision).reason())
                .contains("fedora/app:41.1", "immutable", "fedora/*", "41.*", OLD.get().toString(), "move");
        assertThatThrownBy(decision::orThrow).isInstanceOfSatisfying(RegistryException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.DENIED);
            assertThat(e.httpStatus()).isEqualTo(403);
        });
    }

    @Test
    void onlyNamedPrincipalsAndTheLocalOperatorSetMoveOrDeleteAProtectedTag() {
        for (TagWriter writer : List.of(TagWriter.named("alice"), TagWriter.named("robot$ci"),
                TagWriter.named("ci@https://issuer.example"), TagWriter.LOCAL_OPERATOR)) {
            assertThat(decide("stable", NONE, NEW, writer).allowed()).as("set by %s", writer).isTrue();
            assertThat(decide("stable", OLD, NEW, writer).allowed()).as("move by %s", writer).isTrue();
            assertThat(decide("stable", OLD, NONE, writer).allowed()).as("delete by %s", writer).isTrue();
        }
        for (TagWriter writer : List.of(TagWriter.ANONYMOUS, TagWriter.named("bob"), TagWriter.named("robot$other"),
                TagWriter.named("alice@https://issuer.example"))) {
            assertThat(decide("stable", NONE, NEW, writer)).as("set by %s", writer).isInstanceOf(TagDecision.Refused.class);
            assertThat(decide("stable", OLD, NEW, writer)).as("move by %s", writer).isInstanceOf(TagDecision.Refused.class);
            assertThat(decide("stable", OLD, NONE, writer)).as("delete by %s", writer).isInstanceOf(TagDecision.Refused.class);
        }
        assertThat(((TagDecision.Refused) decide("stable", OLD, NEW, TagWriter.named("bob"))).reason())
                .contains("fedora/app:stable", "protected", "bob", "alice", "robot$ci");
    }

    @Test
    void pushingTheDigestAProtectedTagAlreadyHasChangesNothingAndIsAllowed() {
        assertThat(decide("stable", OLD, OLD, TagWriter.ANONYMOUS).allowed()).isTrue();
    }

    @Test
    void otherTagsAndOtherRepositoriesAreFree() {
        assertThat(decide("latest", OLD, NEW, TagWriter.ANONYMOUS).allowed()).isTrue();
        assertThat(protection.decide(RepositoryName.parse("fedora/sub/app"), Tag.parse("41.1"), OLD, NEW,
                TagWriter.ANONYMOUS).allowed()).isTrue();
        assertThat(protection.covers(APP, "41.1")).isTrue();
        assertThat(protection.covers(APP, "stable")).isTrue();
        assertThat(protection.covers(APP, "latest")).isFalse();
        assertThat(protection.coversRepository(RepositoryName.parse("debian/app"))).isFalse();
        assertThat(TagProtection.NONE.decide(APP, Tag.parse("41.1"), OLD, NEW, TagWriter.ANONYMOUS).allowed()).isTrue();
    }

    @Test
    void everyMatchingEntryApplies() {
        TagProtection two = new TagProtection(List.of(
                new TagProtection.Rule(new RepositoryGlob("fedora/**"), List.of(), List.of(new TagPattern("*")), Set.of("alice")),
                new TagProtection.Rule(new RepositoryGlob("fedora/app"), List.of(), List.of(new TagPattern("stable")),
                        Set.of("bob"))));

        assertThat(two.decide(APP, Tag.parse("stable"), OLD, NEW, TagWriter.named("alice"))).isInstanceOf(TagDecision.Refused.class);
        assertThat(two.decide(APP, Tag.parse("stable"), OLD, NEW, TagWriter.named("bob"))).isInstanceOf(TagDecision.Refused.class);
        assertThat(two.decide(APP, Tag.parse("other"), OLD, NEW, TagWriter.named("alice")).allowed()).isTrue();
    }

    private TagDecision decide(String tag, Optional<Digest> current, Optional<Digest> next, TagWriter writer) {
        return protection.decide(APP, Tag.parse(tag), current, next, writer);
    }

    private static Digest digest(String content) {
        return Digest.of(io.berth.oci.DigestAlgorithm.SHA256, content.getBytes(StandardCharsets.UTF_8));
    }
}
