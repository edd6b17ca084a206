package io.berth.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Berth as a separate operating-system process, started from the packaged jar the way operators
 * run it, so that tests can bound its heap, send it SIGTERM or SIGKILL, and restart it.
 */
public final class BerthProcess implements AutoCloseable {
    private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(2);

    private final Process process;
    private final int port;
    private final Path log;

    private BerthProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts {@code berth serve} over {@code dataDir} on a free port with the given JVM options. */
    public static BerthProcess start(Path dataDir, List<String> jvmOptions) throws IOException, InterruptedException {
        return serve(jvmOptions, List.of("--data", dataDir.toString()));
    }

    /**
     * Starts {@code berth serve --config configFile} on a free port: the {@code --listen} flag
     * overrides the file's {@code listen}; every other setting, the data directory included, comes
     * from the file.
     */
    public static BerthProcess startWithConfig(Path configFile, List<String> jvmOptions) throws IOException, InterruptedException {
        return serve(jvmOptions, List.of("--config", configFile.toString()));
    }

    private static BerthProcess serve(List<String> jvmOptions, List<String> serveOptions) throws IOException, InterruptedException {
        int port = LoopbackPorts.free();
        List<String> command = javaCommand(jvmOptions);
        command.addAll(List.of("serve", "--listen", "127.0.0.1:" + port));
        command.addAll(serveOptions);
        Path log = Files.createTempFile("berth-process-", ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        BerthProcess berth = new BerthProcess(process, port, log);
        berth.awaitReady();
        return berth;
    }

    private void awaitReady() throws InterruptedException, IOException {
        CountDownLatch ready = new CountDownLatch(1);
        Thread.ofVirtual().start(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    Files.writeString(log, line + "\n", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
                    if (line.startsWith("Berth listening on")) {
                        ready.countDown();
                    }
                }
            } catch (IOException e) {
                // The process ended; its exit is reported by whoever waits for it.
            }
        });
        if (!ready.await(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("Berth did not start within 60 s:\n" + Files.readString(log));
        }
    }

    /**
     * The memory and garbage-collector options the {@code ./berth} launcher starts the JVM with by
     * default (its heap, direct-memory and stack bounds, and exit on {@code OutOfMemoryError}), read
     * from the launcher itself so that a test runs Berth as operators do. Options that need the
     * launcher's shell (the class-data archive, the native-heap trim) are left out.
     */
    public static List<String> launcherMemoryOptions() {
        Path launcher = Path.of(System.getProperty("berth.root", ".")).resolve("berth");
        try {
            java.util.regex.Matcher defaults = java.util.regex.Pattern.compile("default_opts=\"([^\"]*)\"", java.util.regex.Pattern.DOTALL)
                    .matcher(Files.readString(launcher));
            if (!defaults.find()) {
                throw new IllegalStateException(launcher + " no longer sets default_opts");
            }
            List<String> options = new ArrayList<>();
            for (String option : defaults.group(1).replace("\\\n", " ").split("\\s+")) {
                if (option.matches("-Xm[sx]\\d+[kmg]|-Xss\\d+[kmg]|-XX:[+-]?(UseSerialGC|ExitOnOutOfMemoryError)"
                        + "|-XX:(MaxDirectMemorySize|ReservedCodeCacheSize)=\\d+[kmg]")) {
                    options.add(option);
                }
            }
            return options;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read the launcher " + launcher, e);
        }
    }

    /**
     * {@code java [jvmOptions] -jar berth.jar}, ready for a subcommand and its arguments: how
     * operators run Berth, from the jar that {@code mvn package} built.
     */
    public static List<String> javaCommand(List<String> jvmOptions) {
        Path jar = Path.of(System.getProperty("berth.jar", "target/berth.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("the packaged jar " + jar + " is missing: run the tests with mvn verify");
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("--enable-native-access=ALL-UNNAMED");
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar.toString()));
        return command;
    }

    /**
     * Runs {@code berth arguments…} from the packaged jar to completion, as an operator runs a
     * subcommand such as {@code mirror export} or {@code promote}; a run longer than two minutes is
     * killed and fails the test.
     */
    public static Run run(String... arguments) throws IOException, InterruptedException {
        List<String> command = javaCommand(List.of());
        command.addAll(List.of(arguments));
        Path printed = Files.createTempFile("berth-command-", ".log");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(printed.toFile()).start();
            boolean exited = process.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            if (!exited) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            String output = new String(Files.readAllBytes(printed), StandardCharsets.UTF_8);
            assertThat(exited).as("berth %s exited within %s:%n%s", String.join(" ", arguments), COMMAND_TIMEOUT, output)
                    .isTrue();
            return new Run(process.exitValue(), output);
        } finally {
            Files.deleteIfExists(printed);
        }
    }

    /**
     * One finished {@code berth} command.
     *
     * @param exitCode the process's exit status
     * @param output   standard output and standard error, interleaved as printed
     */
    public record Run(int exitCode, String output) {
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + port + "/");
    }

    public RegistryHttp http() {
        return new RegistryHttp(uri());
    }

    public Process process() {
        return process;
    }

    /** Everything the process printed so far. */
    public String output() throws IOException {
        return Files.readString(log);
    }

    /** SIGTERM, then waits for the exit code. */
    public int terminate() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("Berth did not stop within 60 s of SIGTERM");
        }
        return process.exitValue();
    }

    /** SIGKILL: the process gets no chance to clean up. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
