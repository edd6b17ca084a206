package io.berth.clients;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The command lines a document gives a reader, run by bash exactly as written, in order, in one
 * shell, in a fresh directory that holds only {@code ./berth} and {@code examples/} (links to the
 * checkout's) and whatever the test puts there first.
 *
 * <p>A command the document shows failing is followed by a comment line {@code # … TEXT}: the
 * command must then fail, and its output must contain each piece of {@code TEXT} between the
 * ellipses ({@code …} stands for what the document leaves out). Every other command must succeed:
 * the script runs under {@code set -euo pipefail}. Background jobs are killed when it ends.
 */
final class Walkthrough {
    private static final String ELLIPSIS = "…";
    private static final String SHOWN_FAILURE = "# " + ELLIPSIS + " ";

    /** One command line, and the output the document shows it failing with, if it does. */
    record Step(String command, List<String> failsWith) {
        Step {
            failsWith = List.copyOf(failsWith);
        }

        boolean fails() {
            return !failsWith.isEmpty();
        }
    }

    /** What the run printed and how it ended. */
    record Result(boolean finished, int exitStatus, String output) {
    }

    private Walkthrough() {
    }

    /**
     * The steps of the comment block that opens a YAML example: the lines indented by three spaces
     * after {@code #}, with lines ending in a backslash joined to the next, up to the first comment
     * line that is empty.
     */
    static List<Step> ofExampleHeader(String example) {
        List<String> lines = new ArrayList<>();
        boolean started = false;
        for (String line : example.split("\n")) {
            if (line.startsWith("#   ")) {
                started = true;
                lines.add(line.substring(4));
            } else if (started && line.strip().equals("#")) {
                break;
            }
        }
        return steps(lines);
    }

    /**
     * The steps of the {@code sh} code blocks under the Markdown heading {@code heading} (up to the
     * next heading of the same or a higher level), in order; indented blocks (in list items) count.
     */
    static List<Step> ofMarkdownSection(String markdown, String heading) {
        List<String> lines = new ArrayList<>();
        int level = -1;
        boolean inBlock = false;
        for (String line : markdown.split("\n")) {
            String stripped = line.strip();
            if (!inBlock && stripped.startsWith("#") && line.startsWith("#")) {
                int hashes = stripped.indexOf(' ');
                if (level < 0 && stripped.equals(heading)) {
                    level = hashes;
                    continue;
                }
                if (level > 0 && hashes > 0 && hashes <= level) {
                    break;
                }
            }
            if (level < 0) {
                continue;
            }
            if (stripped.startsWith("```")) {
                inBlock = !inBlock && stripped.equals("```sh");
                continue;
            }
            if (inBlock) {
                lines.add(stripped);
            }
        }
        if (level < 0) {
            throw new IllegalArgumentException("no heading '" + heading + "'");
        }
        return steps(lines);
    }

    /** Joins continued lines, drops comment lines, and attaches shown failures to their command. */
    private static List<Step> steps(List<String> lines) {
        List<Step> steps = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : lines) {
            if (current.isEmpty() && line.startsWith(SHOWN_FAILURE) && !steps.isEmpty()) {
                Step last = steps.removeLast();
                List<String> pieces = new ArrayList<>(last.failsWith());
                for (String piece : line.substring(SHOWN_FAILURE.length()).split(ELLIPSIS)) {
                    if (!piece.isBlank()) {
                        pieces.add(piece.strip());
                    }
                }
                steps.add(new Step(last.command(), pieces));
                continue;
            }
            if (current.isEmpty() && (line.isBlank() || line.startsWith("#"))) {
                continue;
            }
            if (line.endsWith("\\")) {
                current.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            steps.add(new Step(current.append(line).toString(), List.of()));
            current.setLength(0);
        }
        return List.copyOf(steps);
    }

    /** Whether nothing listens on {@code 127.0.0.1:port}, which a walkthrough's example uses as written. */
    static boolean portFree(int port) {
        try (java.net.ServerSocket socket = new java.net.ServerSocket()) {
            socket.bind(new java.net.InetSocketAddress("127.0.0.1", port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The bash script that runs {@code steps}, checking the failures they show. */
    static String script(List<Step> steps) {
        StringBuilder script = new StringBuilder("""
                set -euo pipefail
                trap 'kill $(jobs -p) 2>/dev/null || true' EXIT
                shown_failure() {  # the expected output pieces, one per argument; the output on stdin
                  local output; output=$(cat); printf '%s\\n' "$output"
                  for piece in "$@"; do
                    grep -qF -- "$piece" <<<"$output" || { echo "WALKTHROUGH: the output lacks: $piece"; exit 1; }
                  done
                }
                """);
        for (Step step : steps) {
            script.append("echo '+ ").append(step.command().replace("'", "'\\''")).append("'\n");
            if (!step.fails()) {
                script.append(step.command()).append('\n');
                continue;
            }
            script.append("if output=$( { ").append(step.command()).append(" ; } 2>&1 ); then printf '%s\\n' \"$output\"; ")
                    .append("echo 'WALKTHROUGH: the command should have failed'; exit 1; fi\n");
            script.append("shown_failure");
            for (String piece : step.failsWith()) {
                script.append(" '").append(piece.replace("'", "'\\''")).append('\'');
            }
            script.append(" <<<\"$output\"\n");
        }
        return script.toString();
    }

    /**
     * Runs {@code steps} in {@code directory} (which gets links to {@code ./berth} and {@code
     * examples/}) with {@code environment} added, for at most {@code timeout}.
     */
    static Result run(Path directory, List<Step> steps, Map<String, String> environment, Duration timeout)
            throws IOException, InterruptedException {
        Path checkout = Path.of("").toAbsolutePath();
        Files.createSymbolicLink(directory.resolve("berth"), checkout.resolve("berth"));
        Files.createSymbolicLink(directory.resolve("examples"), checkout.resolve("examples"));
        Files.writeString(directory.resolve("walkthrough.sh"), script(steps));
        ProcessBuilder builder = new ProcessBuilder("bash", "walkthrough.sh").directory(directory.toFile())
                .redirectErrorStream(true).redirectOutput(directory.resolve("walkthrough.log").toFile());
        Map<String, String> variables = new HashMap<>(environment);
        builder.environment().putAll(variables);
        Process bash = builder.start();
        boolean finished = bash.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        bash.descendants().forEach(ProcessHandle::destroyForcibly);
        if (!finished) {
            bash.destroyForcibly();
            bash.waitFor(10, TimeUnit.SECONDS);
        }
        return new Result(finished, finished ? bash.exitValue() : -1, Files.readString(directory.resolve("walkthrough.log")));
    }
}
