package io.berth.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One {@code berth} command run to completion from the packaged jar, in a working directory of the
 * test's choosing, with standard output and standard error kept apart: what an operator's terminal,
 * or a service manager's journal, would show of each.
 *
 * @param exitCode the process's exit status
 * @param out      what it printed on standard output
 * @param err      what it printed on standard error
 */
public record BerthCommandRun(int exitCode, String out, String err) {
    private static final long TIMEOUT_SECONDS = 120;

    /** Runs {@code berth arguments…} in {@code workingDirectory}; a run longer than two minutes is killed and fails. */
    public static BerthCommandRun in(Path workingDirectory, String... arguments) throws IOException, InterruptedException {
        List<String> command = BerthProcess.javaCommand(List.of());
        command.addAll(List.of(arguments));
        Path out = Files.createTempFile("berth-out-", ".log");
        Path err = Files.createTempFile("berth-err-", ".log");
        try {
            Process process = new ProcessBuilder(command).directory(workingDirectory.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError("berth " + String.join(" ", arguments) + " did not exit within "
                        + TIMEOUT_SECONDS + " s:\n" + Files.readString(out) + Files.readString(err));
            }
            return new BerthCommandRun(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** Whether anything printed looks like a Java stack trace or names an exception class. */
    public boolean showsAStackTrace() {
        String all = out + err;
        return all.contains("\tat ") || all.contains("at io.") || all.contains("Exception") || all.contains("Caused by");
    }
}
