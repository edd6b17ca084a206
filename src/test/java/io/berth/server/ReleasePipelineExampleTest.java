package io.berth.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.config.BerthConfig;
import io.berth.config.ConfigLoader;
import io.berth.mirror.ExportScope;
import io.berth.oci.RepositoryName;
import io.berth.testing.RegistryHttp;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code examples/release-pipeline.yml} starts, and does what its comments say: candidates are not
 * public and never leave Berth, released repositories are public and exported, releng may promote.
 */
class ReleasePipelineExampleTest {
    private static final Path EXAMPLE = Path.of("examples/release-pipeline.yml");

    @TempDir
    Path temporary;

    @Test
    void onlyReleasedRepositoriesAreExported() {
        ExportScope scope = MirrorSetup.exportScope(ConfigLoader.load(EXAMPLE));

        assertThat(scope.includes(new RepositoryName("app"))).isTrue();
        assertThat(scope.includes(new RepositoryName("candidate/app"))).isFalse();
    }

    @Test
    void theExampleHasPromotionRulesTagProtectionRetentionAndGarbageCollection() {
        BerthConfig config = ConfigLoader.load(EXAMPLE);

        assertThat(PromotionSetup.rules(config.promotion()).allows(new RepositoryName("candidate/app"), new RepositoryName("app")))
                .isTrue();
        assertThat(PromotionSetup.rules(config.promotion()).allows(new RepositoryName("app"), new RepositoryName("candidate/app")))
                .isFalse();
        assertThat(config.tagProtection()).isNotEmpty();
        assertThat(config.retention()).isNotEmpty();
        assertThat(config.gc().interval()).isPresent();
    }

    @Test
    void berthStartsWithTheExampleAndKeepsCandidatesFromAnonymousCallers() throws Exception {
        BerthConfig config = ConfigLoader.load(EXAMPLE).withListen("127.0.0.1:0").withDataDir(temporary.toString());
        try (BerthServer server = BerthServer.start(config)) {
            RegistryHttp anonymous = new RegistryHttp(server.uri());

            assertThat(anonymous.get("/v2/candidate/app/tags/list").statusCode()).isEqualTo(401);
            assertThat(anonymous.get("/v2/app/tags/list").statusCode()).as("public, and empty").isEqualTo(404);
        }
    }
}
