package io.berth.clients;

import java.time.Duration;
import java.util.List;

/**
 * One finished run of an external client program.
 *
 * @param command  the program and its arguments
 * @param exitCode the process's exit status
 * @param stdout   what it printed on standard output
 * @param stderr   what it printed on standard error
 * @param elapsed  how long it ran
 */
public record ToolRun(List<String> command, int exitCode, String stdout, String stderr, Duration elapsed) {

    public ToolRun {
        command = List.copyOf(command);
    }

    public boolean succeeded() {
        return exitCode == 0;
    }

    /**
     * Returns this run when it exited 0.
     *
     * @throws AssertionError carrying the whole {@link #transcript()} otherwise
     */
    public ToolRun assertSucceeded() {
        if (!succeeded()) {
            throw new AssertionError("expected exit status 0\n" + transcript());
        }
        return this;
    }

    /** The command, its status and both outputs, for assertion messages. */
    public String transcript() {
        return "$ " + String.join(" ", command) + "\n"
                + "exit status " + exitCode + " after " + elapsed.toMillis() + " ms\n"
                + "--- stdout ---\n" + stdout + (stdout.endsWith("\n") || stdout.isEmpty() ? "" : "\n")
                + "--- stderr ---\n" + stderr;
    }
}
