package io.berth.clients;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.testing.OciLayoutBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
            assertThat(free(port)).as("the walkthrough listens on 127.0.0.1:%d, which something else holds", port).isTrue();
        }
        Path repository = Path.of("").toAbsolutePath();
        Files.createSymbolicLink(directory.resolve("berth"), repository.resolve("berth"));
        Files.createSymbolicLink(directory.resolve("examples"), repository.resolve("examples"));
        OciLayoutBuilder image = OciLayoutBuilder.create(directory.resolve("my-image"));
        image.tag("1", SampleImages.application(image)).write();

        String script = "set -euo pipefail\ntrap 'kill $(jobs -p) 2>/dev/null || true' EXIT\n"
                + String.join("\n", walkthrough(Files.readString(EXAMPLE))) + "\n";
        Files.writeString(directory.resolve("walkthrough.sh"), script);
        Process bash = new ProcessBuilder("bash", "walkthrough.sh").directory(directory.toFile())
                .redirectErrorStream(true).redirectOutput(directory.resolve("walkthrough.log").toFile()).start();
        boolean finished = bash.waitFor(4, TimeUnit.MINUTES);
        bash.descendants().forEach(ProcessHandle::destroyForcibly);
        if (!finished) {
            bash.destroyForcibly();
        }
        String output = Files.readString(directory.resolve("walkthrough.log"));

        assertThat(finished).as("the walkthrough finishes:\n%s", output).isTrue();
        assertThat(bash.exitValue()).as("the walkthrough's exit status:\n%s", output).isZero();
        assertThat(output).as(output)
                .containsPattern("302 http://127\\.0\\.0\\.1:8081/blobs/sha256/[0-9a-f]{2}/[0-9a-f]{64}")
                .containsPattern("302 http://127\\.0\\.0\\.1:8082/blobs/sha256/[0-9a-f]{2}/[0-9a-f]{64}");
    }

    /**
     * The command lines of the comment block that opens {@code example}: the lines indented by
     * three spaces after {@code #}, with lines ending in a backslash joined to the next, up to the
     * first comment line that is empty.
     */
    static List<String> walkthrough(String example) {
        List<String> commands = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean started = false;
        for (String line : example.split("\n")) {
            if (line.startsWith("#   ")) {
                started = true;
                String command = line.substring(4);
                if (command.endsWith("\\")) {
                    current.append(command, 0, command.length() - 1);
                    continue;
                }
                commands.add(current.append(command).toString());
                current.setLength(0);
            } else if (started && line.strip().equals("#")) {
                break;
            }
        }
        return commands;
    }

    private static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
