package io.berth.clients;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The walkthrough at the top of {@code examples/promotion.yml}, run exactly as written with real
 * skopeo and umoci: the candidate is refused until {@code berth sign} and {@code berth attest} have
 * attached a signature and a signed test report by the release key, then refused for the one-day
 * minimum age alone, then promoted by the operator's audited override, with its signature carried
 * to the stable name.
 */
@Tag("clients")
class PromotionWalkthroughIT {
    private static final Path EXAMPLE = Path.of("examples/promotion.yml");

    @TempDir
    Path directory;

    @Test
    void thePromotionWalkthroughRunsAsWrittenAndEachGateDecidesAsItSays() throws Exception {
        assertThat(Walkthrough.portFree(5000)).as("the walkthrough listens on 127.0.0.1:5000, which something else holds").isTrue();
        List<Walkthrough.Step> steps = Walkthrough.ofExampleHeader(Files.readString(EXAMPLE));
        assertThat(steps.stream().filter(Walkthrough.Step::fails)).as("the refusals the walkthrough shows").hasSize(2);

        ContainersSandbox sandbox = ContainersSandbox.create(directory.resolve("sandbox"));
        Path work = Files.createDirectories(directory.resolve("work"));
        Walkthrough.Result run = Walkthrough.run(work, steps, sandbox.environment(), Duration.ofMinutes(4));
        String output = run.output();

        assertThat(run.finished()).as("the walkthrough finishes:\n%s", output).isTrue();
        assertThat(run.exitStatus()).as("the walkthrough's exit status:\n%s", output).isZero();
        assertThat(output).as(output)
                .contains("[pass] signature by release-signing.pub: signed by release-signing.pub")
                .containsPattern("\\[pass\\] [^\\n]*https://berth.dev/test-result/v1[^\\n]*: attested by release-signing.pub")
                .containsPattern("promoted OVERRIDDEN cli:\\S+ candidate/fedora/app@sha256:[0-9a-f]{64} -> fedora/app:41.1,latest")
                .contains("override by cli:")
                .contains("application/vnd.dev.cosign.simplesigning.v1+json");
    }
}
