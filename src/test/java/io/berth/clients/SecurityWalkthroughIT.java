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
 * The step-by-step example of {@code docs/security.md} ("The example: examples/locked-down.yml"),
 * run exactly as written with real skopeo, umoci and podman: the robot is created, the build system
 * pushes a candidate and is denied outside {@code candidate/}, anonymous callers cannot read
 * candidates, release engineering can, admin publishes and deletes, a revoked robot is refused, and
 * admin creates the robot again over the API in remote mode, which the audit trail shows.
 * Each refusal the document shows must happen, with the message it shows.
 */
@Tag("clients")
class SecurityWalkthroughIT {
    private static final Path DOCUMENT = Path.of("docs/security.md");
    private static final String SECTION = "## The example: `examples/locked-down.yml`";

    @TempDir
    Path directory;

    @Test
    void theLockedDownExampleRunsAsTheSecurityGuideWritesIt() throws Exception {
        assertThat(Walkthrough.portFree(5000)).as("the example listens on 127.0.0.1:5000, which something else holds").isTrue();
        List<Walkthrough.Step> steps = Walkthrough.ofMarkdownSection(Files.readString(DOCUMENT), SECTION);
        assertThat(steps).as("the commands of the section").hasSizeGreaterThan(15);
        assertThat(steps.stream().filter(Walkthrough.Step::fails)).as("the refusals the section shows").hasSize(5);

        ContainersSandbox sandbox = ContainersSandbox.create(directory.resolve("sandbox"));
        Path work = Files.createDirectories(directory.resolve("work"));
        Walkthrough.Result run = Walkthrough.run(work, steps, sandbox.environment(), Duration.ofMinutes(5));

        assertThat(run.finished()).as("the walkthrough finishes:\n%s", run.output()).isTrue();
        assertThat(run.exitStatus()).as("the walkthrough's exit status:\n%s", run.output()).isZero();
        assertThat(run.output()).as(run.output())
                .contains("user name: robot$osbs")
                .contains("robot.created", "\"replaces_revoked\":true", " admin 127.0.0.1 ")
                .contains("requested access to the resource is denied")
                .containsPattern("\"Digest\": \"sha256:[0-9a-f]{64}\"");
        assertThat(work.resolve("candidate-copy").resolve("index.json")).as("release engineering's copy").exists();
    }
}
