package io.berth.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.config.BerthConfig;
import io.berth.config.ConfigLoader;
import io.berth.oci.RepositoryName;
import io.berth.promotion.Gate;
import io.berth.promotion.Gates;
import io.berth.promotion.PromotionRules;
import io.berth.promotion.RequiredAttestation;
import io.berth.promotion.RequiredSignature;
import io.berth.testing.RegistryHttp;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code examples/promotion.yml} is a configuration Berth starts with, with the rules its comments describe. */
class PromotionExampleTest {

    @TempDir
    Path temporary;

    @Test
    void theExampleMapsCandidatesToStableAndGatesTheDistributionsImagesHarder() {
        PromotionRules rules = PromotionSetup.rules(ConfigLoader.load(Path.of("examples/promotion.yml")).promotion());

        assertThat(rules.allows(RepositoryName.parse("candidate/fedora/app"), RepositoryName.parse("fedora/app"))).isTrue();
        assertThat(rules.allows(RepositoryName.parse("candidate/app"), RepositoryName.parse("app"))).isTrue();
        assertThat(rules.allows(RepositoryName.parse("fedora/app"), RepositoryName.parse("app"))).isFalse();
        List<Gate> everywhere = rules.gatesFor(RepositoryName.parse("tools/x"));
        assertThat(everywhere).hasSize(2).hasAtLeastOneElementOfType(Gates.ImmutableTags.class)
                .hasAtLeastOneElementOfType(RequiredSignature.class);
        List<Gate> fedora = rules.gatesFor(RepositoryName.parse("fedora/app"));
        assertThat(fedora).contains(new Gates.MinimumAge(Duration.ofDays(1)))
                .hasAtLeastOneElementOfType(Gates.SourceTagPattern.class)
                .hasAtLeastOneElementOfType(Gates.RequiredLabel.class)
                .hasAtLeastOneElementOfType(Gates.RequiredAnnotation.class)
                .hasAtLeastOneElementOfType(RequiredSignature.class)
                .doesNotHaveAnyElementsOfTypes(Gates.RequiredReferrer.class)
                .filteredOn(gate -> gate instanceof RequiredAttestation).singleElement()
                .satisfies(gate -> {
                    RequiredAttestation report = (RequiredAttestation) gate;
                    assertThat(report.predicateType()).isEqualTo("https://berth.dev/test-result/v1");
                    assertThat(report.predicate()).containsExactly(java.util.Map.entry("/result", "passed"));
                    assertThat(report.keys()).extracting(io.berth.promotion.SigningKey::name)
                            .containsExactly("release-signing.pub");
                });
    }

    @Test
    void berthStartsWithTheExample() throws Exception {
        BerthConfig config = ConfigLoader.load(Path.of("examples/promotion.yml"))
                .withListen("127.0.0.1:0").withDataDir(temporary.toString());
        try (BerthServer server = BerthServer.start(config)) {
            assertThat(new RegistryHttp(server.uri()).get("/berth/v1/promotions").statusCode()).isEqualTo(200);
        }
    }
}
