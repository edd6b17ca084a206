package io.berth.cli;

import io.berth.config.ConfigException;
import io.berth.metadata.MetadataException;
import io.berth.server.StartupException;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * What a command that failed prints and exits with: one line, {@code berth: …}, and the status of
 * {@link ExitCodes}. Never a stack trace on standard error; the full exception goes to the debug log
 * ({@code -Dorg.slf4j.simpleLogger.log.io.berth=debug} in {@code BERTH_JAVA_OPTS}).
 */
final class Failures implements CommandLine.IExecutionExceptionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(Failures.class);

    /** One failure as the user sees it. */
    record Failure(int exitCode, String message) {
    }

    @Override
    public int handleExecutionException(Exception exception, CommandLine command, CommandLine.ParseResult parsed) {
        Failure failure = of(exception);
        LOG.debug("berth {} failed", String.join(" ", parsed.originalArgs()), exception);
        command.getErr().println("berth: " + failure.message());
        command.getErr().flush();
        return failure.exitCode();
    }

    static Failure of(Throwable exception) {
        return switch (exception) {
            case ConfigException configuration -> new Failure(ExitCodes.CONFIGURATION, configuration.getMessage());
            case StartupException startup -> new Failure(exitCode(startup.problem()), startup.getMessage());
            case IllegalArgumentException usage -> new Failure(ExitCodes.USAGE, usage.getMessage());
            case RegistryApi.Failure remote -> new Failure(ExitCodes.FAILED, remote.getMessage());
            case MetadataException metadata -> new Failure(ExitCodes.FAILED, "the metadata database failed: " + metadata.getMessage());
            case UncheckedIOException io -> new Failure(ExitCodes.FAILED, io.getMessage());
            case IOException io -> new Failure(ExitCodes.FAILED, io.getMessage());
            default -> new Failure(ExitCodes.FAILED, "failed unexpectedly; run with -Dorg.slf4j.simpleLogger.log.io.berth=debug"
                    + " in BERTH_JAVA_OPTS for the details");
        };
    }

    static int exitCode(StartupException.Problem problem) {
        return switch (problem) {
            case DATA_DIRECTORY -> ExitCodes.DATA_DIRECTORY;
            case PORT_UNAVAILABLE -> ExitCodes.PORT_UNAVAILABLE;
            case DATABASE_UNAVAILABLE -> ExitCodes.DATABASE_UNAVAILABLE;
            case TLS_FILES -> ExitCodes.TLS_FILES;
        };
    }
}
