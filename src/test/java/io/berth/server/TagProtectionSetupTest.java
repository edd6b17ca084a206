package io.berth.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.config.BerthConfig;
import io.berth.config.ConfigException;
import io.berth.config.ConfigLoader;
import io.berth.config.TagProtectionConfig;
import io.berth.gc.TagGuard;
import io.berth.oci.Digest;
import io.berth.oci.DigestAlgorithm;
import io.berth.oci.RepositoryName;
import io.berth.oci.Tag;
import io.berth.protection.TagDecision;
import io.berth.protection.TagProtection;
import io.berth.protection.TagWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The {@code tag-protection} section of {@code examples/retention.yml}, as the decisions it makes. */
class TagProtectionSetupTest {
    private static final RepositoryName STABLE = RepositoryName.parse("fedora/app");
    private static final Optional<Digest> OLD = Optional.of(Digest.of(DigestAlgorithm.SHA256, "old".getBytes(StandardCharsets.UTF_8)));
    private static final Optional<Digest> NEW = Optional.of(Digest.of(DigestAlgorithm.SHA256, "new".getBytes(StandardCharsets.UTF_8)));

    private final BerthConfig config = ConfigLoader.load(Path.of("examples/retention.yml"));
    private final TagProtection protection = TagProtectionSetup.protection(config.tagProtection());

    @Test
    void versionTagsOfStableRepositoriesNeverMove() {
        assertThat(decide(STABLE, "41", Optional.empty(), NEW, TagWriter.ANONYMOUS).allowed()).isTrue();
        assertThat(decide(STABLE, "41", OLD, NEW, TagWriter.named("robot$release"))).isInstanceOf(TagDecision.Refused.class);
        assertThat(decide(RepositoryName.parse("fedora/a/b"), "41", OLD, Optional.empty(), TagWriter.LOCAL_OPERATOR))
                .as("fedora/** reaches any depth").isInstanceOf(TagDecision.Refused.class);
    }

    @Test
    void latestMovesOnlyForTheReleaseRobotAndTheLocalOperator() {
        assertThat(decide(STABLE, "latest", OLD, NEW, TagWriter.named("robot$release")).allowed()).isTrue();
        assertThat(decide(STABLE, "latest", OLD, NEW, TagWriter.LOCAL_OPERATOR).allowed()).isTrue();
        assertThat(decide(STABLE, "latest", OLD, NEW, TagWriter.named("release"))).isInstanceOf(TagDecision.Refused.class);
        assertThat(decide(STABLE, "latest", OLD, NEW, TagWriter.ANONYMOUS)).isInstanceOf(TagDecision.Refused.class);
    }

    @Test
    void candidatesAreNotProtected() {
        RepositoryName candidate = RepositoryName.parse("candidate/fedora/app");
        assertThat(decide(candidate, "41", OLD, NEW, TagWriter.ANONYMOUS).allowed()).isTrue();
        assertThat(decide(candidate, "latest", OLD, Optional.empty(), TagWriter.ANONYMOUS).allowed()).isTrue();
    }

    @Test
    void retentionGuardsExactlyTheTagsProtectionCovers() {
        TagGuard guard = GcSetup.tagGuard(config.tagProtection());

        assertThat(guard.guarded(STABLE, "41")).isTrue();
        assertThat(guard.guarded(STABLE, "latest")).isTrue();
        assertThat(guard.guarded(STABLE, "rawhide")).isFalse();
        assertThat(guard.guarded(RepositoryName.parse("candidate/fedora/app"), "41")).isFalse();
        assertThat(GcSetup.tagGuard(List.of())).isSameAs(TagGuard.NONE);
    }

    @Test
    void anEmptyPatternIsAConfigurationError() {
        List<TagProtectionConfig> broken = List.of(new TagProtectionConfig("fedora/*", List.of(""), null, null));

        assertThatThrownBy(() -> TagProtectionSetup.protection(broken)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("tag-protection");
    }

    private TagDecision decide(RepositoryName repository, String tag, Optional<Digest> current, Optional<Digest> next,
                               TagWriter writer) {
        return protection.decide(repository, Tag.parse(tag), current, next, writer);
    }
}
