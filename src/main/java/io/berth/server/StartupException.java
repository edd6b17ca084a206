package io.berth.server;

/**
 * Berth cannot start, or a command cannot open what it works on, for a reason a person must fix:
 * the message is one line saying what and where, without library wording; the cause is kept for
 * a debug log. The command line turns each {@link Problem} into its exit status.
 */
public final class StartupException extends RuntimeException {
    /** What is wrong, each with its own exit status. */
    public enum Problem {
        /** The data directory is missing, not a directory, not writable, or not a Berth data directory. */
        DATA_DIRECTORY,
        /** The listen address cannot be bound. */
        PORT_UNAVAILABLE,
        /** The metadata database cannot be reached or opened. */
        DATABASE_UNAVAILABLE,
        /** The TLS certificate or key file cannot be read or used. */
        TLS_FILES
    }

    private final Problem problem;

    public StartupException(Problem problem, String message) {
        super(message);
        this.problem = problem;
    }

    public StartupException(Problem problem, String message, Throwable cause) {
        super(message, cause);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }
}
