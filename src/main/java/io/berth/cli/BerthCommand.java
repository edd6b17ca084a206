package io.berth.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code berth}: the command-line entry point. */
@Command(name = "berth", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "A container image registry (OCI Distribution v1.1).",
        subcommands = {ServeCommand.class, RobotCommand.class, MirrorCommand.class, PromoteCommand.class, PromotionsCommand.class,
                SignCommand.class, AttestCommand.class, GenerateKeyPairCommand.class,
                FsckCommand.class, GcCommand.class, AuditCommand.class, HealthCommand.class, MaintenanceCommand.class, QuotasCommand.class,
                CommandLine.HelpCommand.class})
public final class BerthCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Remote mode for every command that offers it: {@code berth --registry URL promote …}. */
    @CommandLine.Mixin
    RemoteOptions remote;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** The command line with Berth's handling of failures: one line and an exit status of {@link ExitCodes}. */
    public static CommandLine commandLine() {
        return new CommandLine(new BerthCommand()).setExecutionExceptionHandler(new Failures());
    }

    public static void main(String[] args) {
        io.berth.server.OneLinePrintStream.install();
        // Every log line is stamped in UTC, as the access log is: the simple logger formats in the
        // JVM's default zone (simplelogger.properties writes the 'Z'), so set it before any logger exists.
        java.util.TimeZone.setDefault(java.util.TimeZone.getTimeZone(java.time.ZoneOffset.UTC));
        int exitCode = commandLine().execute(args);
        if (exitCode != 0) {
            System.exit(exitCode);
        }
    }
}
