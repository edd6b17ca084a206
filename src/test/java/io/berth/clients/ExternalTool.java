package io.berth.clients;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * An external client program (skopeo, podman, buildah, Maven) run to completion with a timeout,
 * its outputs captured to files so that neither pipe can fill and block it.
 *
 * <p>A missing program fails the test with an {@link AssertionError} naming what to install: these
 * tests prove interoperability, so a machine without the client must not pass them by skipping.
 */
final class ExternalTool {
    private final String executable;
    private final String installHint;
    private final Map<String, String> environment;
    private final Path workingDirectory;

    /**
     * @param executable       a program name looked up on {@code PATH}, or a path
     * @param installHint      how to get the program, for the failure message when it is missing
     * @param environment      variables added to (or replacing those of) this JVM's environment
     * @param workingDirectory where the program runs; also holds its captured output
     */
    ExternalTool(String executable, String installHint, Map<String, String> environment, Path workingDirectory) {
        this.executable = executable;
        this.installHint = installHint;
        this.environment = Map.copyOf(environment);
        this.workingDirectory = workingDirectory;
    }

    /** Runs the program with {@code arguments}; a run longer than {@code timeout} is killed and fails the test. */
    ToolRun run(Duration timeout, List<String> arguments) {
        Path program = locate().orElseThrow(() -> new AssertionError(
                executable + " is required by this integration test but is not installed (looked on PATH="
                        + System.getenv("PATH") + "); " + installHint));
        List<String> command = new ArrayList<>();
        command.add(program.toString());
        command.addAll(arguments);
        try {
            Files.createDirectories(workingDirectory);
            File stdout = Files.createTempFile(workingDirectory, "stdout-", ".txt").toFile();
            File stderr = Files.createTempFile(workingDirectory, "stderr-", ".txt").toFile();
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(workingDirectory.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(stdout)
                    .redirectError(stderr);
            builder.environment().putAll(environment);
            long started = System.nanoTime();
            Process process = builder.start();
            boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
            Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
            ToolRun run = new ToolRun(command, finished ? process.exitValue() : -1,
                    read(stdout.toPath()), read(stderr.toPath()), elapsed);
            Files.deleteIfExists(stdout.toPath());
            Files.deleteIfExists(stderr.toPath());
            if (!finished) {
                throw new AssertionError("killed after the " + timeout.toSeconds() + " s timeout\n" + run.transcript());
            }
            return run;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        }
    }

    ToolRun run(Duration timeout, String... arguments) {
        return run(timeout, List.of(arguments));
    }

    private Optional<Path> locate() {
        if (executable.contains(File.separator)) {
            Path path = Path.of(executable);
            return Files.isExecutable(path) ? Optional.of(path) : Optional.empty();
        }
        String path = environment.getOrDefault("PATH", System.getenv("PATH"));
        if (path == null) {
            return Optional.empty();
        }
        for (String directory : path.split(File.pathSeparator)) {
            Path candidate = Path.of(directory.isEmpty() ? "." : directory, executable);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static String read(Path file) throws IOException {
        return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    }
}
