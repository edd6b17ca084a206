package io.berth.clients;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.testing.OciLayoutBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The walkthrough at the top of {@code examples/mirrors.yml}, run exactly as written: its command
 * lines, in order, by bash in a fresh directory holding only {@code ./berth}, {@code examples/}
 * and the image {@code ./my-image} the walkthrough copies. The two redirects it promises must come
 * out: a campus client to the campus mirror, anyone else to the global one.
 */
@Tag("clients")
class MirrorsWalkthroughIT {
    private static final Path EXAMPLE = Path.of("examples/mirrors.yml");
    /** The ports the example listens on: Berth, the two mirrors and the CDN. */
    private static final List<Integer> PORTS = List.of(5000, 8081, 8082, 8090);

    @TempDir
    Path directory;

    @Test
    void theMirrorsWalkthroughRunsAsWrittenAndRedirectsAsItSays() throws Exception {
        for (int port : PORTS) {
            assertThat(Walkthrough.portFree(port)).as("the walkthrough listens on 127.0.0.1:%d, which something else holds", port).isTrue();
        }
        OciLayoutBuilder image = OciLayoutBuilder.create(directory.resolve("my-image"));
        image.tag("1", SampleImages.application(image)).write();

        Walkthrough.Result run = Walkthrough.run(directory, Walkthrough.ofExampleHeader(Files.readString(EXAMPLE)),
                Map.of(), Duration.ofMinutes(4));
        String output = run.output();

        assertThat(run.finished()).as("the walkthrough finishes:\n%s", output).isTrue();
        assertThat(run.exitStatus()).as("the walkthrough's exit status:\n%s", output).isZero();
        assertThat(output).as(output)
                .containsPattern("302 http://127\\.0\\.0\\.1:8081/blobs/sha256/[0-9a-f]{2}/[0-9a-f]{64}")
                .containsPattern("302 http://127\\.0\\.0\\.1:8082/blobs/sha256/[0-9a-f]{2}/[0-9a-f]{64}");
    }
}
