package io.berth.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code berth}: the command-line entry point. */
@Command(name = "berth", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "A container image registry (OCI Distribution v1.1).",
        subcommands = {ServeCommand.class, RobotCommand.class, MirrorCommand.class, PromoteCommand.class, PromotionsCommand.class,
                SignCommand.class, AttestCommand.class, GenerateKeyPairCommand.class,
                FsckCommand.class, GcCommand.class, MaintenanceCommand.class, QuotasCommand.class, CommandLine.HelpCommand.class})
public final class BerthCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        io.berth.server.OneLinePrintStream.install();
        int exitCode = new CommandLine(new BerthCommand()).execute(args);
        if (exitCode != 0) {
            System.exit(exitCode);
        }
    }
}
